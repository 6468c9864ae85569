"""The PCRM Portal application factory."""
import os

from flask import Flask

from .config import DEFAULT_SECRET_KEY, config_for
from .encryption import check_data_key
from .routing import register_converters

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(config=None):
    """Create the portal: configuration, extensions, blueprints, error pages, commands."""
    app = Flask(__name__, instance_relative_config=True,
                template_folder=os.path.join(PROJECT_ROOT, "templates"),
                static_folder=os.path.join(PROJECT_ROOT, "static"))
    configure(app, config)
    register_converters(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def configure(app, config):
    """Load the configuration class, then ``instance/config.py``, then check it is safe."""
    config_class = config if isinstance(config, type) else config_for(config)
    app.config.from_object(config_class)
    if not app.config.get("TESTING"):
        app.config.from_pyfile("config.py", silent=True)
    if app.config.get("IS_PRODUCTION") and app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY:
        raise RuntimeError("Refusing to start in production with the default secret key: "
                           "set PORTAL_SECRET_KEY.")
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        if app.config.get("IS_PRODUCTION"):
            raise RuntimeError("Set PORTAL_DATABASE_URL to the production database.")
        os.makedirs(app.instance_path, exist_ok=True)
        path = os.path.join(app.instance_path, "portal.db")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    check_data_key(app.config)


def register_extensions(app):
    """Initialise every extension object of ``app.extensions``."""
    from . import i18n, sqlite
    from .auth.session import init_login
    from .extensions import csrf, db, htmx, migrate
    from .formatting import register_filters
    from .htmx import register_htmx
    from .access import register_role_groups
    from .labels import register_labels
    from .navigation import register_navigation
    from .security import register_security
    from .sql_count import register_sql_count

    db.init_app(app)
    sqlite.register_pragmas(app)
    migrate.init_app(app, db, directory=os.path.join(PROJECT_ROOT, "migrations"),
                     render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    htmx.init_app(app)
    i18n.init_babel(app)
    init_login(app)
    register_security(app)
    register_filters(app)
    register_htmx(app)
    register_labels(app)
    register_role_groups(app)
    register_navigation(app)
    register_sql_count(app)


def register_blueprints(app):
    """Attach every feature blueprint."""
    from .admin import blueprint as admin_bp
    from .auditlog import blueprint as auditlog_bp
    from .auth import blueprint as auth_bp
    from .customers import blueprint as customers_bp
    from .dashboard import blueprint as dashboard_bp
    from .imports import blueprint as imports_bp
    from .notifications import blueprint as notifications_bp
    from .service_requests import blueprint as service_requests_bp
    from .tasks import blueprint as tasks_bp
    from .training import blueprint as training_bp

    app.register_blueprint(auth_bp())
    app.register_blueprint(dashboard_bp())
    app.register_blueprint(customers_bp(), url_prefix="/customers")
    app.register_blueprint(tasks_bp(), url_prefix="/tasks")
    app.register_blueprint(imports_bp(), url_prefix="/imports")
    app.register_blueprint(service_requests_bp(), url_prefix="/service-requests")
    app.register_blueprint(notifications_bp(), url_prefix="/notifications")
    app.register_blueprint(training_bp(), url_prefix="/training")
    app.register_blueprint(admin_bp(), url_prefix="/admin")
    app.register_blueprint(auditlog_bp(), url_prefix="/audit")


def register_errorhandlers(app):
    """Render the portal's error pages for HTTP and domain errors."""
    from .errors import register_errorhandlers as register

    register(app)


def register_commands(app):
    """Add the portal's ``flask`` commands."""
    from .cli import register_cli

    register_cli(app)
