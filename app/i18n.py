"""Language selection: English and Simplified Chinese."""
from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_babel.speaklater import LazyString
from markupsafe import escape

from .extensions import babel


def _lazy_string_as_text(lazy):
    """Return the HTML of a lazy translation: its text, escaped like any other string."""
    return str(escape(str(lazy)))


def treat_lazy_strings_as_text():
    """Make Jinja escape lazy translations instead of trusting them as markup.

    Flask-Babel's ``LazyString.__html__`` returns the text as it is, so Jinja's autoescape
    took every ``lazy_gettext`` result for safe HTML, values interpolated into it included
    (a staff name with ``<b>`` or ``hx-get=`` came out as markup). The portal's messages hold
    no markup, so every lazy string is text, wherever it was made.
    """
    LazyString.__html__ = _lazy_string_as_text


def select_locale():
    """Use the language chosen in the session, else the browser's best match.

    Babel names zh_CN in full as zh_Hans_CN, which is where its catalogue lives.
    """
    if not has_request_context():
        return None
    chosen = session.get("lang")
    if chosen not in current_app.config["LANGUAGES"]:
        best = request.accept_languages.best_match(["en", "zh_CN", "zh"])
        if best is None:
            return None
        chosen = "zh_CN" if best.startswith("zh") else "en"
    return chosen


def init_babel(app):
    """Initialise Flask-Babel with the portal's locale selector."""
    treat_lazy_strings_as_text()
    babel.init_app(app, locale_selector=select_locale)
    app.context_processor(lambda: {"get_locale": get_locale})
