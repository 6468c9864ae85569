"""Configuration: production safety, the instance config file, SQLite connection settings."""
import pytest
from sqlalchemy import text

from app import create_app
from app.config import DEFAULT_DATA_KEY, DEFAULT_SECRET_KEY, ProductionConfig, TestingConfig
from app.extensions import db as _db


def test_production_refuses_the_default_secret_key():
    class Unsafe(ProductionConfig):
        SECRET_KEY = DEFAULT_SECRET_KEY
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    with pytest.raises(RuntimeError, match="default secret key"):
        create_app(Unsafe)


def test_production_needs_a_database_url():
    class NoDatabase(ProductionConfig):
        SECRET_KEY = "a-long-random-production-secret"
        SQLALCHEMY_DATABASE_URI = None

    with pytest.raises(RuntimeError, match="PORTAL_DATABASE_URL"):
        create_app(NoDatabase)


@pytest.mark.parametrize("data_key", [None, "", DEFAULT_DATA_KEY])
def test_production_refuses_to_start_without_its_own_data_key(data_key):
    class NoDataKey(ProductionConfig):
        SECRET_KEY = "a-long-random-production-secret"
        SQLALCHEMY_DATABASE_URI = "sqlite://"
        DATA_KEY = data_key

    with pytest.raises(RuntimeError, match="without a data key: set PORTAL_DATA_KEY"):
        create_app(NoDataKey)


def test_production_starts_with_a_data_key():
    class WithDataKey(ProductionConfig):
        SECRET_KEY = "a-long-random-production-secret"
        SQLALCHEMY_DATABASE_URI = "sqlite://"
        DATA_KEY = "cHJvZHVjdGlvbi1kYXRhLWtleS1mb3ItdGhlLXRlc3Q="

    assert create_app(WithDataKey).config["IS_PRODUCTION"]


@pytest.mark.parametrize("setting", ["DATA_KEY", "DATA_KEY_OLD"])
def test_a_malformed_data_key_stops_the_start_with_a_clear_message(setting):
    class Malformed(TestingConfig):
        pass

    setattr(Malformed, setting, "too-short")
    with pytest.raises(RuntimeError, match="must be 32 random bytes in base64"):
        create_app(Malformed)


def test_unknown_environment_name_is_refused():
    with pytest.raises(RuntimeError, match="PORTAL_ENV"):
        create_app("staging")


def test_instance_config_file_overrides_the_defaults(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text('PAGE_SIZE = 7\n')

    class FromInstance(TestingConfig):
        TESTING = False
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'x.db'}"

    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(tmp_path))
    assert create_app(FromInstance).config["PAGE_SIZE"] == 7


def test_sqlite_connections_use_wal_a_busy_timeout_and_foreign_keys(tmp_path):
    class FileDatabase(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'pragmas.db'}"

    app = create_app(FileDatabase)
    with app.app_context(), _db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    with app.app_context():
        _db.engine.dispose()


def test_an_unexpected_error_shows_the_error_page_not_a_traceback(tmp_path):
    class Plain(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'e.db'}"
        PROPAGATE_EXCEPTIONS = False

    app = create_app(Plain)

    @app.route("/boom")
    def boom():
        raise ValueError("secret detail")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong" in page and "secret detail" not in page
    with app.app_context():
        _db.engine.dispose()
