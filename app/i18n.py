"""Language selection: English and Simplified Chinese."""
from flask import current_app, request, session

from flask_babel import get_locale

from .extensions import babel


def _locale(tag):
    # Locale.parse("zh_CN") would add the script (zh_Hans_CN) and miss the zh_CN catalogue.
    language, _, territory = tag.partition("_")
    return Locale(language, territory=territory or None)


def select_locale():
    """Use the language chosen in the session, else the browser's best match."""
    chosen = session.get("lang")
    if chosen not in current_app.config["LANGUAGES"]:
        best = request.accept_languages.best_match(["en", "zh_CN", "zh"])
        if best is None:
            return None
        chosen = "zh_CN" if best.startswith("zh") else "en"
    return _locale(chosen)


def init_babel(app):
    """Initialise Flask-Babel with the portal's locale selector."""
    babel.init_app(app, locale_selector=select_locale)
    app.context_processor(lambda: {"get_locale": get_locale})
