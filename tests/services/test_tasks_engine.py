"""The task engine: raising tasks for other features, and their completion handlers."""
from datetime import date

import pytest

from app.models import CustomerStatus, RuleKind, TaskStatus
from app.service_requests import callbacks
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
