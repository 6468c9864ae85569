"""``flask tasks generate|retier``: one day by hand, idempotent; a bad date is refused."""
from datetime import date
from unittest import mock

from sqlalchemy import func, select

from app.models import Customer, Task


def _customers(world, make_customer):
    maint = world["maint_a"]
    make_customer(maintainer=maint, birth_on=date(1980, 12, 2))
    make_customer(maintainer=maint, birth_on=date(1981, 12, 3))
    make_customer(branch=world["outlet_a"], birth_on=date(1982, 12, 4))


def _line(output, word):
    return next(line.split() for line in output.splitlines() if line.strip().startswith(word))


def test_generate_twice_creates_the_tasks_once(runner, db, world, make_customer):
    _customers(world, make_customer)

    first = runner.invoke(args=["tasks", "generate", "--date", "2026-11-30"])
    second = runner.invoke(args=["tasks", "generate", "--date", "2026-11-30"])

    assert first.exit_code == 0, first.output
    assert "Follow-up tasks for 2026-11-30:" in first.output
    assert _line(first.output, "Birthday") == ["Birthday", "2"]
    assert _line(first.output, "Total") == ["Total", "2"]
    assert "1 customer has no maintainer and got no task." in first.output
    assert second.exit_code == 0, second.output
    assert _line(second.output, "Birthday") == ["Birthday", "0"]
    assert _line(second.output, "Total") == ["Total", "0"]
    assert "0 moved to another day" in second.output
    assert db.session.scalar(select(func.count()).select_from(Task)) == 2


def test_generate_defaults_to_today_in_the_bank_time_zone(runner, db, world, make_customer):
    _customers(world, make_customer)

    with mock.patch("app.jobs.cli.bank_today", return_value=date(2026, 11, 30)):
        result = runner.invoke(args=["tasks", "generate"])

    assert result.exit_code == 0, result.output
    assert "Follow-up tasks for 2026-11-30:" in result.output


def test_generate_refuses_a_bad_date_and_changes_nothing(runner, db, world, make_customer):
    _customers(world, make_customer)

    for bad in ("2026-13-01", "30/11/2026", "tomorrow", ""):
        result = runner.invoke(args=["tasks", "generate", "--date", bad])
        assert result.exit_code == 2, result.output
        assert "write it as YYYY-MM-DD" in result.output
    assert db.session.scalar(select(func.count()).select_from(Task)) == 0


def test_retier_prints_what_moved(runner, db, world, make_customer):
    customer = make_customer(maintainer=world["maint_a"], tier="mass", aum_fen=60_000_00)

    result = runner.invoke(args=["tasks", "retier", "--date", "2026-11-30"])
    again = runner.invoke(args=["tasks", "retier", "--date", "2026-11-30"])

    assert result.exit_code == 0, result.output
    assert "Re-tiering for 2026-11-30: 1 upgraded, 0 downgraded." in result.output
    assert "0 upgraded, 0 downgraded" in again.output
    db.session.expire_all()
    assert db.session.get(Customer, customer.id).tier == "gold"


def test_retier_refuses_a_bad_date(runner, db):
    result = runner.invoke(args=["tasks", "retier", "--date", "2026-02-30"])

    assert result.exit_code == 2
    assert "'2026-02-30' is not a date" in result.output


def test_scheduler_run_starts_the_scheduler_and_stops_on_ctrl_c(runner, db):
    with mock.patch("apscheduler.schedulers.blocking.BlockingScheduler.start",
                    side_effect=KeyboardInterrupt) as start, \
            mock.patch("apscheduler.schedulers.blocking.BlockingScheduler.shutdown") as stop:
        result = runner.invoke(args=["scheduler", "run"])

    assert result.exit_code == 0, result.output
    start.assert_called_once()
    stop.assert_called_once_with(wait=True)
