"""Domain errors raised by services, and the handlers that turn them into responses."""
from flask import request
from flask_babel import lazy_gettext as _l

from .htmx import render_htmx


class DomainError(Exception):
    """Base of every error a service raises on purpose; carries a user-facing message."""

    status = 400

    def __init__(self, message=None):
        super().__init__(message or self.default_message)
        self.message = message or self.default_message

    default_message = _l("The request could not be carried out.")


class NotFound(DomainError):
    """The record does not exist or lies outside the actor's scope."""

    status = 404
    default_message = _l("Not found.")


class NotAllowed(DomainError):
    """The actor's role may not do this."""

    status = 403
    default_message = _l("You are not allowed to do this.")


class Conflict(DomainError):
    """The record changed or the action clashes with its current state."""

    status = 409
    default_message = _l("The record changed meanwhile; reload and try again.")


class Invalid(DomainError):
    """The input breaks a business rule."""

    status = 400


class FieldInvalid(Invalid):
    """The input breaks a rule; ``field`` names the form field at fault (or None).

    The one field-carrying domain error: a view shows it on its form with
    :func:`app.forms.apply_field_error`.
    """

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


ERROR_TITLES = {
    400: _l("Bad request"),
    403: _l("Not allowed"),
    404: _l("Not found"),
    405: _l("Method not allowed"),
    409: _l("Conflict"),
    413: _l("File too large"),
    429: _l("Too many requests"),
    500: _l("Something went wrong"),
}


def render_error(status, message=None):
    """Render the error page, or its fragment for an htmx request, with ``status``."""
    title = ERROR_TITLES.get(status, ERROR_TITLES[500])
    response = render_htmx("errors/error.html", "errors/_error.html", status=status,
                           title=title, message=message)
    response.status_code = status
    return response


def register_errorhandlers(app):
    """Map HTTP errors and domain errors to the portal's error pages."""

    def http_error(error):
        status = getattr(error, "code", 500) or 500
        if status == 400 and getattr(error, "description", "").startswith("The CSRF"):
            return render_error(400, _l("Your form expired or was sent without its security "
                                        "token. Reload the page and try again."))
        return render_error(status)

    for status in ERROR_TITLES:
        if status != 500:
            app.register_error_handler(status, http_error)

    @app.errorhandler(DomainError)
    def domain_error(error):
        return render_error(error.status, error.message)

    @app.errorhandler(500)
    def server_error(error):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(500)
