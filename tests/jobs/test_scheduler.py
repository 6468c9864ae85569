"""build_scheduler: the scheduler process's jobs, triggers and settings (never started here)."""
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from app.scheduler import (DAILY_JOB_ID, SLA_JOB_ID, START_JOB_ID, TICK_JOB_ID, build_scheduler,
                           catch_up_job, due_day, sla_job)


def test_build_scheduler_has_the_daily_tick_start_and_sla_jobs(app):
    scheduler = build_scheduler(app)

    assert isinstance(scheduler, BlockingScheduler)
    assert not scheduler.running
    assert str(scheduler.timezone) == app.config["TIMEZONE"]
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {DAILY_JOB_ID, TICK_JOB_ID, START_JOB_ID, SLA_JOB_ID}
    assert jobs[SLA_JOB_ID].trigger.interval.total_seconds() == 5 * 60
    for job in jobs.values():
        assert job.func is (sla_job if job.id == SLA_JOB_ID else catch_up_job)
        assert job.args == (app,)
        assert (job.misfire_grace_time, job.coalesce, job.max_instances) == (3600, True, 1)
    daily = jobs[DAILY_JOB_ID].trigger
    assert isinstance(daily, CronTrigger)
    fields = {field.name: str(field) for field in daily.fields}
    assert (fields["hour"], fields["minute"]) == (str(app.config["FOLLOWUP_HOUR"]), "0")
    assert str(daily.timezone) == app.config["TIMEZONE"]
    tick = jobs[TICK_JOB_ID].trigger
    assert isinstance(tick, IntervalTrigger)
    assert tick.interval.total_seconds() == 600
    assert isinstance(jobs[START_JOB_ID].trigger, DateTrigger)


def test_building_twice_replaces_rather_than_duplicates(app):
    scheduler = build_scheduler(app)

    assert len(scheduler.get_jobs()) == 4
    assert len(build_scheduler(app).get_jobs()) == 4


def test_the_day_is_due_from_the_followup_hour():
    zone = ZoneInfo("Asia/Shanghai")

    assert due_day(datetime(2026, 12, 1, 5, 59, tzinfo=zone), 6) == datetime(2026, 11, 30).date()
    assert due_day(datetime(2026, 12, 1, 6, 0, tzinfo=zone), 6) == datetime(2026, 12, 1).date()
