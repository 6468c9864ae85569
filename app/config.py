"""Configuration classes; every setting can be overridden by a ``PORTAL_*`` variable."""
import os
from datetime import timedelta

DEFAULT_SECRET_KEY = "dev-only-change-me"
# Encrypts resident ID numbers in development and tests only; production refuses it.
DEFAULT_DATA_KEY = "ZGV2ZWxvcG1lbnQtb25seS1kYXRhLWtleS0zMmJ5dGU="


def _env(name, default=None, cast=str):
    """Read ``PORTAL_<name>`` from the environment, cast, or return the default."""
    raw = os.environ.get(f"PORTAL_{name}")
    if raw is None or raw == "":
        return default
    if cast is bool:
        return raw.strip().lower() in ("1", "true", "yes", "on")
    return cast(raw)


class Config:
    """Settings for the embedded SQLite set-up used in development and demos."""

    SECRET_KEY = _env("SECRET_KEY", DEFAULT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL")  # None: SQLite file in the instance folder
    DATA_KEY = _env("DATA_KEY", DEFAULT_DATA_KEY)  # base64 of 32 bytes: encrypts ID numbers
    DATA_KEY_OLD = _env("DATA_KEY_OLD")  # the previous key, still read during a rekey
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLITE_BUSY_TIMEOUT_MS = _env("SQLITE_BUSY_TIMEOUT_MS", 10000, int)  # wait for the lock
    TIMEZONE = _env("TIMEZONE", "Asia/Shanghai")
    BABEL_DEFAULT_LOCALE = _env("DEFAULT_LOCALE", "en")
    BABEL_DEFAULT_TIMEZONE = TIMEZONE
    LANGUAGES = ("en", "zh_CN")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env("SECURE_COOKIES", False, bool)
    SESSION_COOKIE_NAME = "portal_session"
    INACTIVITY_TIMEOUT = timedelta(minutes=_env("INACTIVITY_MINUTES", 30, int))
    ABSOLUTE_SESSION_LIFETIME = timedelta(hours=_env("SESSION_HOURS", 10, int))
    PERMANENT_SESSION_LIFETIME = ABSOLUTE_SESSION_LIFETIME
    LOGIN_MAX_FAILURES = _env("LOGIN_MAX_FAILURES", 5, int)
    LOGIN_LOCKOUT = timedelta(minutes=_env("LOGIN_LOCKOUT_MINUTES", 15, int))
    LOGIN_IP_LIMIT = _env("LOGIN_IP_LIMIT", 30, int)  # failed attempts per IP per lock-out window
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    MAX_CONTENT_LENGTH = _env("MAX_UPLOAD_MB", 20, int) * 1024 * 1024
    PAGE_SIZE = _env("PAGE_SIZE", 50, int)
    FOLLOWUP_HOUR = _env("FOLLOWUP_HOUR", 6, int)
    DEMO_PASSWORD = "portal-demo"
    IS_PRODUCTION = False


class TestingConfig(Config):
    """Settings for the test suite: a throw-away database, fast password hashes."""

    TESTING = True
    SECRET_KEY = "testing-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("PORTAL_TEST_DATABASE_URL") or "sqlite://"
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"
    WTF_CSRF_ENABLED = True
    BABEL_DEFAULT_LOCALE = "en"
    LOGIN_IP_LIMIT = 1000


class ProductionConfig(Config):
    """Settings for production: PostgreSQL, secure cookies, a real secret key."""

    SESSION_COOKIE_SECURE = _env("SECURE_COOKIES", True, bool)
    DATA_KEY = _env("DATA_KEY")  # no default: production refuses to start without one
    IS_PRODUCTION = True


CONFIGS = {"development": Config, "testing": TestingConfig, "production": ProductionConfig}


def config_for(name=None):
    """Return the configuration class named by ``name`` or ``PORTAL_ENV``."""
    name = name or os.environ.get("PORTAL_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"PORTAL_ENV must be one of {', '.join(CONFIGS)}, not {name!r}")
