"""Ids and paths from requests: ids that cannot exist are not found, links stay on this site."""
from urllib.parse import urlsplit

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """The ``int`` converter, limited to what an integer column holds (larger ids: 404)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def register_converters(app):
    """Replace the default ``int`` converter before any blueprint adds its routes."""
    app.url_map.converters["int"] = IdConverter
    app.jinja_env.globals["url_for_ids"] = url_for_ids


def url_for_ids(endpoint, key):
    """Return ``id -> URL`` of ``endpoint`` with the id as ``key``, building the URL once.

    A list of many rows calls ``url_for`` once per page instead of once per row and link.
    """
    from flask import url_for

    head, tail = url_for(endpoint, **{key: MAX_ID}).rsplit(str(MAX_ID), 1)
    return lambda record_id: f"{head}{int(record_id)}{tail}"


def valid_id(value):
    """Return ``value`` if it can be a row id, else None (so a bad id simply matches nothing)."""
    return value if isinstance(value, int) and 0 < value <= MAX_ID else None


def clamp_id(value):
    """Clamp a paging id into the id column's range (None stays None)."""
    return None if value is None else min(max(value, 0), MAX_ID)


def local_path(target):
    """Return ``target`` if it is a path on this site, else None (never an open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
