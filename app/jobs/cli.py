"""``flask tasks generate|retier`` and ``flask training reminders``: one day's daily jobs by hand.

A bad ``--date`` is refused with a clear message and exit status 2 (click's usage error).
"""
from datetime import date

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import ngettext

from ..clock import today as bank_today
from ..customers.retier import retier_customers
from ..extensions import db
from ..labels import TASK_KIND_LABELS
from ..tasks.followups import generate_followups
from ..tasks.levelling import level_workload
from .certifications import certification_reminders

tasks_cli = AppGroup("tasks", help="Follow-up task commands.")


class DateParam(click.ParamType):
    """A calendar date written YYYY-MM-DD."""

    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        """Return ``value`` as a date, or fail with a usage error (exit status 2)."""
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            self.fail(f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-01.",
                      param, ctx)


date_option = click.option("--date", "day", type=DateParam(), default=None,
                           help="The day to run for (default: today in the bank's time zone).")


def _default_locale():
    return force_locale(current_app.config["BABEL_DEFAULT_LOCALE"])


@tasks_cli.command("generate")
@date_option
def generate_command(day):
    """Raise the day's follow-up tasks and level the workload; print what each rule created.

    Safe to run again: a second run of the same day creates nothing.
    """
    day = day or bank_today()
    result = generate_followups(day)
    levelled = level_workload(day)
    db.session.commit()
    with _default_locale():
        click.echo(_("Follow-up tasks for %(day)s:", day=day.isoformat()))
        for kind, count in result.created.items():
            click.echo(f"  {str(TASK_KIND_LABELS.get(kind, kind)):<20} {count:>9,}")
        total = _("Total")
        click.echo(f"  {total:<20} {result.total:>9,}")
        click.echo(ngettext("%(num)s customer has no maintainer and got no task.",
                            "%(num)s customers have no maintainer and got no task.",
                            result.unassigned))
        click.echo(_("Workload levelled: %(levelled)s pending tasks, %(moved)s moved to "
                     "another day.", levelled="{:,}".format(levelled.levelled),
                     moved="{:,}".format(levelled.moved)))


@tasks_cli.command("retier")
@date_option
def retier_command(day):
    """Re-tier every customer from their AUM for the day; print how many moved."""
    day = day or bank_today()
    result = retier_customers(day)
    db.session.commit()
    with _default_locale():
        click.echo(_("Re-tiering for %(day)s: %(up)s upgraded, %(down)s downgraded.",
                     day=day.isoformat(), up="{:,}".format(result.upgraded),
                     down="{:,}".format(result.downgraded)))


training_cli = AppGroup("training", help="Training and certification commands.")


@training_cli.command("reminders")
@date_option
def reminders_command(day):
    """Send the day's certification reminders and count overdue mandatory courses.

    Safe to run again: each reminder is sent once (a unique key per certification, stage
    and expiry).
    """
    day = day or bank_today()
    result = certification_reminders(day)
    db.session.commit()
    with _default_locale():
        click.echo(_("Certification reminders for %(day)s: %(sent)s sent, %(notes)s "
                     "notifications.", day=day.isoformat(), sent=sum(result["sent"].values()),
                     notes=result["notifications"]))
        click.echo(ngettext("%(num)s mandatory course is overdue.",
                            "%(num)s mandatory courses are overdue.",
                            result["overdue_mandatory"]))
