"""Language selection: English and Simplified Chinese."""
from flask import current_app, has_request_context, request, session
from flask_babel import get_locale

from .extensions import babel


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
    babel.init_app(app, locale_selector=select_locale)
    app.context_processor(lambda: {"get_locale": get_locale})
