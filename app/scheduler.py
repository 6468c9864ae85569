"""APScheduler wiring for the scheduler process (``flask scheduler run``); the web never starts it.

The daily jobs run at ``FOLLOWUP_HOUR``:00 in the bank's time zone (after the night's imports
from core banking). A tick every ten minutes and a run at start catch up any day missed while
the process was down, up to the last day whose hour has come (cheap when nothing is missing).
Every job body catches up through ``app.jobs.runner.catch_up_all``, which records each day in
``job_run``; a single worker thread keeps the jobs of one process from overlapping, and the
``job_run`` record (plus an advisory lock on PostgreSQL) keeps a second process from doing a
day twice. Every five minutes the service-request SLA check flags breaches and escalates
(idempotent: each escalation happens once).
"""
import logging
import signal
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import current_app
from flask.cli import AppGroup, with_appcontext

log = logging.getLogger(__name__)
scheduler_cli = AppGroup("scheduler", help="The scheduler process.")

DAILY_JOB_ID = "daily-jobs"
TICK_JOB_ID = "catch-up-tick"
START_JOB_ID = "catch-up-at-start"
SLA_JOB_ID = "sla-escalation"
TICK_MINUTES = 10
SLA_MINUTES = 5
MISFIRE_GRACE_SECONDS = 3600
JOB_DEFAULTS = {"misfire_grace_time": MISFIRE_GRACE_SECONDS, "coalesce": True,
                "max_instances": 1}


def due_day(now, followup_hour):
    """Return the latest day whose daily run is due at ``now``: today from the hour on."""
    today = now.date()
    return today if now.hour >= followup_hour else today - timedelta(days=1)


def catch_up_job(app):
    """Catch up every daily job up to the day now due, inside ``app``'s context.

    A job that never ran (a new installation) runs for today at once, whatever the hour,
    so the first start opens on a filled queue.
    """
    from .jobs.runner import catch_up_all

    with app.app_context():
        now = datetime.now(ZoneInfo(app.config["TIMEZONE"]))
        day = due_day(now, app.config["FOLLOWUP_HOUR"])
        runs = catch_up_all(day, first_day=now.date())
        if not runs:
            log.debug("nothing to catch up up to %s", day)  # each run logs itself
        return runs


def sla_job(app):
    """Flag service-request SLA breaches and escalate them, inside ``app``'s context."""
    from .jobs.sla import run_sla_escalation

    with app.app_context():
        result = run_sla_escalation()
        log.info("SLA check: %s", result.as_dict())
        return result


def build_scheduler(app):
    """Return a ``BlockingScheduler`` with the portal's jobs for ``app`` (not started)."""
    zone = ZoneInfo(app.config["TIMEZONE"])
    scheduler = BlockingScheduler(timezone=zone, job_defaults=dict(JOB_DEFAULTS),
                                  executors={"default": ThreadPoolExecutor(1)})
    options = dict(args=(app,), replace_existing=True, **JOB_DEFAULTS)
    scheduler.add_job(catch_up_job, CronTrigger(hour=app.config["FOLLOWUP_HOUR"], minute=0,
                                                timezone=zone),
                      id=DAILY_JOB_ID, name="Daily jobs (re-tiering, follow-ups, reminders)",
                      **options)
    scheduler.add_job(catch_up_job, IntervalTrigger(minutes=TICK_MINUTES, timezone=zone),
                      id=TICK_JOB_ID, name="Catch up missed days", **options)
    scheduler.add_job(catch_up_job, DateTrigger(datetime.now(zone), timezone=zone),
                      id=START_JOB_ID, name="Catch up at start", **options)
    scheduler.add_job(sla_job, IntervalTrigger(minutes=SLA_MINUTES, timezone=zone),
                      id=SLA_JOB_ID, name="Service-request SLA escalation", **options)
    return scheduler


def _stop_on_sigterm(_signum, _frame):
    raise SystemExit(0)


def run_scheduler(app):
    """Run the scheduler in this process until Ctrl-C or SIGTERM (``flask scheduler run``).

    A job already running finishes before the process stops.
    """
    scheduler = build_scheduler(app)
    for job in scheduler.get_jobs():
        log.info("job %s: %s (%s)", job.id, job.name, job.trigger)
    log.info("scheduler started (time zone %s, daily jobs at %02d:00); Ctrl-C stops it",
             app.config["TIMEZONE"], app.config["FOLLOWUP_HOUR"])
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        log.info("stopping the scheduler (a running job finishes first)")
        scheduler.shutdown(wait=True)
        log.info("scheduler stopped")
    finally:
        signal.signal(signal.SIGTERM, previous)


@scheduler_cli.command("run")
@with_appcontext
def run_command():
    """Run the scheduler process: daily jobs at FOLLOWUP_HOUR, catch-up at start and every tick.

    Stops cleanly on Ctrl-C or SIGTERM (a job already running finishes first).
    """
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("app").setLevel(logging.INFO)
    run_scheduler(current_app._get_current_object())
