"""The task engine: raising tasks for other features, and their completion handlers."""
from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Contact, CustomerStatus, RuleKind, Task, TaskStatus
from app.service_requests.services import callbacks
from app.tasks import engine
from app.tasks.engine import raise_task

TODAY = date(2026, 11, 30)


def test_raise_task_assigns_the_maintainer_and_the_rule_priority(world, make_customer):
    maint = world["maint_a"]
    customer = make_customer(maintainer=maint, tier="diamond")

    task = raise_task(RuleKind.SERVICE_CALLBACK, customer.id, "sr:7", date(2026, 12, 2),
                      {"subject": "Card blocked"}, today=TODAY)

    assert task is not None
    assert (task.kind, task.customer_id, task.maintainer_id) == (
        RuleKind.SERVICE_CALLBACK, customer.id, maint.id)
    assert (task.source_ref, task.due_on, task.scheduled_on) == ("sr:7", date(2026, 12, 2),
                                                                 TODAY)
    assert task.priority == 80 + 30
    assert task.status == TaskStatus.OPEN
    assert task.note_params == {"subject": "Card blocked"}
    assert task.version == 1


def test_raising_the_same_task_twice_gives_none_the_second_time(world, make_customer):
    customer = make_customer(maintainer=world["maint_a"])

    first = raise_task(RuleKind.CAMPAIGN, customer.id, "campaign:3", TODAY, {"title": "Gold"},
                       today=TODAY)
    second = raise_task(RuleKind.CAMPAIGN, customer.id, "campaign:3", TODAY, {"title": "Gold"},
                        today=TODAY)

    assert first is not None and second is None


def test_no_task_for_closed_unassigned_or_unknown_customers(world, make_customer):
    closed = make_customer(maintainer=world["maint_a"], status=CustomerStatus.CLOSED)
    orphan = make_customer(branch=world["outlet_a"])

    for customer_id in (closed.id, orphan.id, 999_999):
        assert raise_task(RuleKind.CAMPAIGN, customer_id, "campaign:1", TODAY, {},
                          today=TODAY) is None


def test_no_task_when_the_rule_is_off(world, make_customer, set_rule):
    set_rule(RuleKind.CAMPAIGN, enabled=False)
    customer = make_customer(maintainer=world["maint_a"])

    assert raise_task(RuleKind.CAMPAIGN, customer.id, "campaign:1", TODAY, {}) is None


def test_an_unknown_kind_is_a_programming_error(world, make_customer):
    customer = make_customer(maintainer=world["maint_a"])

    with pytest.raises(ValueError):
        raise_task("lottery", customer.id, "", TODAY, {})


def test_raise_task_defaults_to_today_and_no_source(world, make_customer, monkeypatch):
    monkeypatch.setattr("app.tasks.engine.bank_today", lambda: TODAY)
    customer = make_customer(maintainer=world["maint_a"])

    task = raise_task(RuleKind.CAMPAIGN, customer.id, None, TODAY, None)

    assert (task.source_ref, task.scheduled_on, task.note_params) == ("", TODAY, {})


def test_the_call_back_handles_its_tasks_completed_in_the_queue():
    """The queue reaches the service call-back through the engine, never by importing it."""
    handler = engine.COMPLETION_HANDLERS[RuleKind.SERVICE_CALLBACK]
    assert handler is callbacks.complete_callback_from_queue
    assert set(engine.COMPLETION_HANDLERS) == {RuleKind.SERVICE_CALLBACK}


def test_a_completion_without_a_value_or_a_handler_calls_nothing(monkeypatch):
    calls = []
    monkeypatch.setitem(engine.COMPLETION_HANDLERS, RuleKind.SERVICE_CALLBACK,
                        lambda *args: calls.append(args))

    class Done:
        kind = RuleKind.SERVICE_CALLBACK

    class Birthday:
        kind = RuleKind.BIRTHDAY

    engine.run_completion_handler(None, Done(), None, "", None, TODAY)
    engine.run_completion_handler(None, Birthday(), 4, "", None, TODAY)
    assert calls == []
    engine.run_completion_handler(None, Done(), 4, "note", None, TODAY)
    assert len(calls) == 1 and calls[0][2] == 4


def test_complete_tasks_records_a_contact_each_and_moves_the_last_contact_once(
        world, make_customer):
    maint = world["maint_a"]
    late = make_customer(maintainer=maint, last_contact_on=date(2026, 1, 5))
    ahead = make_customer(maintainer=maint, last_contact_on=date(2026, 12, 5))
    tasks = [raise_task(RuleKind.CAMPAIGN, customer.id, "campaign:9", TODAY, {}, today=TODAY)
             for customer in (late, ahead)]
    now = datetime(2026, 11, 30, 2, 0)

    done = engine.complete_tasks(maint, Task.source_ref == "campaign:9", "reached", "visit",
                                 "Talked about the fund", now, TODAY, campaign_id=9)

    assert sorted(task_id for task_id, _customer, _contact in done) == sorted(
        task.id for task in tasks)
    db.session.expire_all()
    assert [(t.status, t.outcome, t.note, t.version) for t in tasks] == [
        (TaskStatus.DONE, "reached", "Talked about the fund", 2)] * 2
    contacts = db.session.scalars(select(Contact).order_by(Contact.id)).all()
    assert [(c.task_id, c.channel, c.summary) for c in contacts] == [
        (task.id, "visit", "Talked about the fund") for task in tasks]
    # The last contact moves forward to today, never back.
    assert (late.last_contact_on, ahead.last_contact_on) == (TODAY, date(2026, 12, 5))
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "task.completed")).all()
    assert sorted((e.detail["contact_id"], e.detail["campaign_id"]) for e in events) == sorted(
        (c.id, 9) for c in contacts)


def test_complete_tasks_matching_nothing_changes_nothing(world, make_customer):
    customer = make_customer(maintainer=world["maint_a"], last_contact_on=date(2026, 1, 5))

    assert engine.complete_tasks(world["maint_a"], Task.source_ref == "none", "reached",
                                 "phone", "", datetime(2026, 11, 30), TODAY) == []
    db.session.expire_all()
    assert customer.last_contact_on == date(2026, 1, 5)
    assert not db.session.scalars(select(Contact)).all()
