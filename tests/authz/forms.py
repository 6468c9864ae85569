"""Discover the form fields and query parameters of every route, to fuzz them all.

Three sources, so that a new blueprint's forms are found without listing them: the forms of
the pages every role can open (fields with the values the page gives them, ``form=``
attributes included), the query strings of the links and htmx attributes on those pages,
and the names the view module reads from ``request.args`` / ``request.form`` itself.
"""
import inspect
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import wtforms
from werkzeug.exceptions import HTTPException
from wtforms.fields.core import UnboundField

from .matrix import MATRIX
from .requests import send, target
from .world import rolled_back

FIELD_TAGS = ("input", "select", "textarea", "button")
LINK_ATTRS = ("href", "hx-get", "hx-post", "action")
FORM_CALL = re.compile(r"\b([A-Z]\w*Form)\(([^()]*)")
PREFIX_ARG = re.compile(r"prefix\s*=\s*[\"'](\w+)[\"']")
SOURCE_NAMES = re.compile(
    r"request\.(?:args|form|files|values)(?:\.get(?:list)?\(|\[)\s*[\"']([\w.-]+)[\"']")


@dataclass
class Form:
    """A form as the page shows it: where it goes, and its fields with their values."""

    action: str
    method: str
    fields: list = field(default_factory=list)  # (name, value, kind)
    files: set = field(default_factory=set)


class PageParser(HTMLParser):
    """Collect the forms of a page and the URLs of its links and htmx attributes."""

    def __init__(self, page_url):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms, self.by_id, self.urls = [], {}, []
        self._open = None
        self._select = self._textarea = None
        self._detached = []  # fields naming their form by id, attached when the page ends

    def handle_starttag(self, tag, attrs):
        """Note forms, their fields (also those attached with ``form=``) and every URL."""
        attrs = {name: value or "" for name, value in attrs}
        self.urls += [attrs[name] for name in LINK_ATTRS if attrs.get(name)]
        if tag == "form":
            self._start_form(attrs)
        elif tag in FIELD_TAGS and attrs.get("name"):
            self._field(tag, attrs)
        elif tag == "option" and self._select is not None:
            form, name, chosen = self._select
            if chosen is None or "selected" in attrs:
                self._select = (form, name, attrs.get("value", ""))

    def handle_endtag(self, tag):
        """Close the open form, select or textarea."""
        if tag == "form":
            self._open = None
        elif tag == "select" and self._select is not None:
            form, name, chosen = self._select
            form.fields.append((name, chosen or "", "select"))
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        """Keep a textarea's text as its value."""
        if self._textarea is not None:
            form, index = self._textarea
            name, _, kind = form.fields[index]
            form.fields[index] = (name, data.strip(), kind)

    def close(self):
        """Attach the fields that name their form by id, wherever it stood on the page."""
        super().close()
        for form_id, tag, attrs in self._detached:
            if form_id in self.by_id:
                self._open = self.by_id[form_id]
                self._field(tag, {**attrs, "form": ""})
        self._open = None

    def _start_form(self, attrs):
        action = attrs.get("action") or attrs.get("hx-post") or attrs.get("hx-get") or ""
        method = "POST" if attrs.get("hx-post") else (attrs.get("method") or "get").upper()
        form = Form(urljoin(self.page_url, action), method)
        self.forms.append(form)
        if attrs.get("id"):
            self.by_id[attrs["id"]] = form
        self._open = form

    def _field(self, tag, attrs):
        if attrs.get("form"):
            self._detached.append((attrs["form"], tag, attrs))
            return
        form = self._open
        if form is None:
            return
        kind = attrs.get("type", "submit" if tag == "button" else "text")
        name = attrs["name"]
        if tag == "select":
            self._select = (form, name, None)
        elif tag == "textarea":
            self._textarea = (form, len(form.fields))
            form.fields.append((name, "", "textarea"))
        elif kind == "file":
            form.files.add(name)
        elif kind in ("submit", "image"):
            if name not in (n for n, _, _ in form.fields):
                form.fields.append((name, attrs.get("value", ""), kind))
        elif kind not in ("checkbox", "radio") or "checked" in attrs:
            form.fields.append((name, attrs.get("value", ""), kind))


@dataclass
class Fields:
    """What is known of the parameters of every route: per role defaults, names, files."""

    defaults: dict = field(default_factory=dict)  # (endpoint, method, role) -> [(name, value)]
    names: dict = field(default_factory=dict)  # (endpoint, method) -> {name}
    files: dict = field(default_factory=dict)  # (endpoint, method) -> {name}

    def add_form(self, adapter, form, role):
        """Record a form under the route its action goes to."""
        route = match(adapter, form.action, form.method)
        if route is None:
            return
        self.defaults.setdefault(route + (role,), [(n, v) for n, v, _ in form.fields])
        self.names.setdefault(route, set()).update(n for n, _, _ in form.fields)
        self.files.setdefault(route, set()).update(form.files)
        self.names[route].update(form.files)

    def add_url(self, adapter, url):
        """Record the query parameter names of a link under the route it goes to."""
        query = urlsplit(url).query
        route = match(adapter, url, "GET")
        if route is not None and query:
            self.names.setdefault(route, set()).update(n for n, _ in parse_qsl(query, True))


def match(adapter, url, method):
    """Return the (endpoint, method) ``url`` goes to on this site, or None."""
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != "localhost":
        return None
    try:
        endpoint, _ = adapter.match(parts.path, method=method)
    except HTTPException:
        return None
    return endpoint, method


def source_names(app, endpoint):
    """Return the names the view module reads by name and those of the forms the view builds.

    A form class the view instantiates (``CommentForm(prefix="note")``) gives its fields'
    names, prefixed as the view prefixes them.
    """
    view = inspect.unwrap(app.view_functions[endpoint])
    names = set(SOURCE_NAMES.findall(inspect.getsource(sys.modules[view.__module__])))
    for class_name, args in FORM_CALL.findall(inspect.getsource(view)):
        form_class = view.__globals__.get(class_name)
        if not (isinstance(form_class, type) and issubclass(form_class, wtforms.Form)):
            continue
        prefix = PREFIX_ARG.search(args)
        for name, _ in inspect.getmembers(form_class, lambda v: isinstance(v, UnboundField)):
            names.add(f"{prefix.group(1)}-{name}" if prefix else name)
    return names


def discover(bank):
    """Open every page each role may see and collect the forms and links on it."""
    fields = Fields()
    adapter = bank.app.url_map.bind("localhost")
    for endpoint, access in MATRIX.items():
        if "GET" not in access.method_set or endpoint == "static":
            continue
        for role in access.roles:
            url, params, _ = target(bank, endpoint, role)
            with rolled_back(bank):
                response = send(bank, "GET", url, role, params)
            if response.mimetype != "text/html":
                continue
            parser = PageParser("http://localhost" + url)
            parser.feed(response.get_data(as_text=True))
            parser.close()
            for form in parser.forms:
                fields.add_form(adapter, form, role)
            for link in parser.urls:
                fields.add_url(adapter, urljoin("http://localhost" + url, link))
    for endpoint, access in MATRIX.items():
        for method in access.method_set:
            fields.names.setdefault((endpoint, method), set()).update(
                source_names(bank.app, endpoint))
    return fields
