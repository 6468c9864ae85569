"""Render a full page or just its fragment, depending on whether htmx asked."""
from flask import make_response, render_template, request


def is_htmx():
    """Tell whether the current request came from htmx (and is not a history restore)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def render_htmx(page, fragment, **context):
    """Render ``fragment`` for htmx requests, else ``page`` (which includes the fragment)."""
    template = fragment if is_htmx() else page
    response = make_response(render_template(template, **context))
    response.headers.add("Vary", "HX-Request")
    return response


def trigger(response, *events):
    """Add ``events`` to the response's ``HX-Trigger`` header so other panels refresh."""
    names = [e for e in response.headers.get("HX-Trigger", "").split(",") if e]
    response.headers["HX-Trigger"] = ",".join(names + [e for e in events if e not in names])
    return response
