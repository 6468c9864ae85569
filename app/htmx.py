"""Render a full page or just its fragment, depending on whether htmx asked.

Also the one home of the htmx vocabulary: the events a response triggers so other panels
refresh (templates listen with ``hx-trigger="{{ events.TASKS }} from:body"``) and the 422
status of a form shown again with its errors.
"""
from types import SimpleNamespace

from flask import flash, make_response, redirect, render_template, request

UNPROCESSABLE = 422  # a form shown again with its errors; nothing changed

EVENTS = SimpleNamespace(
    TASKS="tasks-changed",
    CONTACTS="contacts-changed",
    NOTIFICATIONS="notifications-changed",
    SERVICE_REQUESTS="service-requests-changed",
)


def is_htmx():
    """Tell whether the current request came from htmx (and is not a history restore)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def render_htmx(page, fragment, *, page_context=None, **context):
    """Render ``fragment`` for htmx requests, else ``page`` (which includes the fragment).

    ``page_context`` is a function returning what only the full page needs (filter options,
    say); it is called only when the page is rendered.
    """
    if is_htmx():
        template = fragment
    else:
        template = page
        context.update(page_context() if page_context else {})
    response = make_response(render_template(template, **context))
    response.headers.add("Vary", "HX-Request")
    return response


def page_or_fragment(page, fragment):
    """Return ``fragment()`` for htmx requests, else ``page()`` (functions returning responses).

    For a page whose context differs from its fragment's; else use :func:`render_htmx`.
    """
    response = make_response(fragment() if is_htmx() else page())
    response.headers.add("Vary", "HX-Request")
    return response


def htmx_or_redirect(answer, url, message=None, level="success", code=302):
    """Answer htmx with ``answer()``; others get ``message`` flashed and a redirect to ``url``.

    The post/redirect/get of a form that also works without JavaScript.
    """
    if is_htmx():
        return answer()
    if message:
        flash(message, level)
    return redirect(url, code)


def trigger(response, *events):
    """Add ``events`` to the response's ``HX-Trigger`` header so other panels refresh."""
    names = [e for e in response.headers.get("HX-Trigger", "").split(",") if e]
    response.headers["HX-Trigger"] = ",".join(names + [e for e in events if e not in names])
    return response


def register_htmx(app):
    """Make the event names available to every template as ``events``."""
    app.jinja_env.globals["events"] = EVENTS
