"""``flask seed-demo``: load the demo bank, with a progress bar, a summary and the logins."""
import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _

from ..errors import DomainError
from .generator import DEFAULT_SEED, MAX_CUSTOMERS
from .services import existing_data
from .services import seed_demo as load_demo

ALREADY = {
    "demo": lambda: _("Demo data is already loaded; nothing changed "
                      "(use --reset to load it again)."),
    "other": lambda: _("The database already holds data; nothing changed "
                       "(use --reset to replace everything with demo data)."),
}


def _summary(result):
    """Echo what was loaded, how long it took, and the demo logins."""
    labels = {
        "branches": _("Branches"), "staff": _("Staff"), "products": _("Products"),
        "value_added_services": _("Value-added services"),
        "tier_thresholds_added": _("Tier thresholds added"), "customers": _("Customers"),
        "holdings": _("Holdings"), "tier_history": _("Tier history rows"),
        "service_requests": _("Service requests"), "courses": _("Courses"),
        "training_sessions": _("Training sessions"), "attendance": _("Attendance"),
        "assessments": _("Assessments"), "certifications": _("Certifications"),
    }
    click.echo(_("Demo data loaded in %(seconds).1f s:", seconds=result.seconds))
    for key, label in labels.items():
        click.echo(f"  {label:<24} {result.counts.get(key, 0):>10,}")
    click.echo(_("Demo logins (password: %(password)s):",
                 password=current_app.config["DEMO_PASSWORD"]))
    for username, display_name, role, branch in result.logins:
        pad = " " * max(0, 8 - 2 * len(display_name))  # CJK characters take two columns
        click.echo(f"  {username:<12} {role:<11} {display_name}{pad} {branch}")


@click.command("seed-demo")
@click.option("--customers", type=click.IntRange(0, MAX_CUSTOMERS), default=2000,
              show_default=True, help="How many customers to generate.")
@click.option("--reset", is_flag=True,
              help="Delete every row of every table first, then load the demo data.")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True,
              help="Random seed: the same seed gives the same customers.")
@with_appcontext
def seed_demo(customers, reset, seed):
    """Load demo branches, staff, products and customers (never in production)."""
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "en")):
        if current_app.config.get("IS_PRODUCTION"):
            raise click.ClickException(_("Refusing to load demo data under the production "
                                         "configuration."))
        found = "" if reset else existing_data()
        if found:
            click.echo(ALREADY[found]())
            return
        with click.progressbar(length=customers, label=_("Customers"), show_pos=True,
                               file=sys.stderr) as bar:
            try:
                result = load_demo(customers=customers, reset=reset, seed=seed,
                                   progress=bar.update)
            except DomainError as error:
                raise click.ClickException(str(error.message))
        if result.seeded:
            _summary(result)
        else:
            click.echo(ALREADY[result.reason]())
