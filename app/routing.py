"""URL converters: ids in paths that cannot exist in the database are simply not found."""
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
