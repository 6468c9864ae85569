"""Service-request services: opening, due times, workflow, allowance, locking, call-back, scope.

Time is frozen: every service gets ``now`` (and ``today``) explicitly.
"""
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from app import access
from app.errors import FieldInvalid, NotAllowed, NotFound
from app.extensions import db as _db
from app.models import (AuditEvent, Contact, Customer, Notification, RequestStatus, Role,
                        RuleKind, ServiceRequest, ServiceRequestEvent, SlaTarget, SlaTierFactor,
                        Task, TaskStatus)
from app.service_requests import services
from app.service_requests.services import callbacks, detail, sla, workflow
from app.service_requests.services import AllowanceExceeded, RequestConflict, source_ref
from app.tasks import services as task_services

from ..helpers import reload
from ..service_request_book import NOW, add_service, hours, minutes, move, open_request


@pytest.fixture
def customers(world, make_customer, db):
    """Customers of maint_a (mass and gold), of maint_a2 (branch A) and of maint_b."""
    book = {
        "a": make_customer(maintainer=world["maint_a"], name="王芳"),
        "a_gold": make_customer(maintainer=world["maint_a"], tier="gold"),
        "a_private": make_customer(maintainer=world["maint_a"], tier="private"),
        "a2": make_customer(maintainer=world["maint_a2"]),
        "b": make_customer(maintainer=world["maint_b"]),
    }
    db.session.commit()
    return book


def events_of(request, kind=None):
    query = select(ServiceRequestEvent).where(ServiceRequestEvent.request_id == request.id)
    if kind:
        query = query.where(ServiceRequestEvent.kind == kind)
    return list(_db.session.scalars(query.order_by(ServiceRequestEvent.id)))


def audits(action):
    return list(_db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


# --- opening and SLA due times ----------------------------------------------------------------


def test_opening_computes_due_times_from_target_and_tier(world, customers):
    request = open_request(world["maint_a"], customers["a"], kind="complaint", priority="urgent")
    assert request.status == RequestStatus.NEW
    assert request.opened_at == NOW
    assert request.first_response_due_at == NOW + minutes(30)
    assert request.resolution_due_at == NOW + minutes(480)
    assert request.branch_id == world["outlet_a"].id
    assert request.assignee_id == world["maint_a"].id
    assert request.version == 1


@pytest.mark.parametrize("tier, first, resolution", [
    ("gold", 27, 432), ("private", 15, 240)])
def test_higher_tiers_get_tighter_targets(world, customers, tier, first, resolution):
    customer = customers["a_gold"] if tier == "gold" else customers["a_private"]
    request = open_request(world["maint_a"], customer, kind="complaint", priority="urgent")
    assert request.first_response_due_at - NOW == minutes(first)
    assert request.resolution_due_at - NOW == minutes(resolution)


def test_due_times_follow_edited_targets_rounded_to_the_minute(world, customers, db):
    target = db.session.scalar(select(SlaTarget).where(
        SlaTarget.kind == "other", SlaTarget.priority == "low"))
    target.first_response_minutes, target.resolution_minutes = 45, 61
    db.session.get(SlaTierFactor, "gold").percent = 90
    db.session.commit()
    assert sla.due_minutes("other", "low", "gold") == (41, 55)  # 40.5 → 41, 54.9 → 55
    assert sla.due_times("other", "low", "gold", NOW) == (NOW + minutes(41), NOW + minutes(55))


def test_opening_is_audited_and_starts_the_timeline(world, customers):
    request = open_request(world["maint_a"], customers["a"])
    [event] = events_of(request)
    assert (event.kind, event.to_status, event.actor_id) == ("opened", "new", world["maint_a"].id)
    [entry] = audits("service_request.opened")
    assert entry.object_id == str(request.id) and entry.branch_id == world["outlet_a"].id


def test_supervisor_opening_notifies_the_maintainer(world, customers, db):
    request = open_request(world["supervisor_a"], customers["a"])
    [note] = db.session.scalars(select(Notification))
    assert note.staff_id == world["maint_a"].id and note.kind == "sr_assigned"
    assert note.params["request_id"] == request.id
    assert note.link == f"/service-requests/{request.id}"


def test_maintainer_opening_for_own_customer_notifies_nobody(world, customers, db):
    open_request(world["maint_a"], customers["a"])
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_inactive_maintainer_leaves_the_request_unassigned(world, customers, db):
    world["maint_a"].active = False
    db.session.commit()
    request = open_request(world["supervisor_a"], customers["a"])
    assert request.assignee_id is None


def test_maintainer_cannot_open_for_another_maintainers_customer(world, customers, db):
    with pytest.raises(NotFound):
        open_request(world["maint_a"], customers["b"])
    assert db.session.scalar(select(func.count()).select_from(ServiceRequest)) == 0
    assert audits("access.refused")


def test_supervisor_opens_within_subtree_only(world, customers):
    assert open_request(world["supervisor_a"], customers["a2"]).id
    with pytest.raises(NotFound):
        open_request(world["supervisor_a"], customers["b"])


def test_trainer_may_not_open_a_request(world, customers):
    with pytest.raises(NotAllowed):
        open_request(world["trainer_a"], customers["a"])


@pytest.mark.parametrize("field, value", [
    ("kind", "gossip"), ("channel", "pigeon"), ("priority", "asap"), ("subject", "  "),
    ("subject", "ab"), ("subject", "x" * 121), ("description", ""),
    ("description", "x" * 4001)])
def test_bad_input_is_refused_naming_the_field(world, customers, db, field, value):
    with pytest.raises(FieldInvalid) as refused:
        open_request(world["maint_a"], customers["a"], **{field: value})
    assert refused.value.field == field
    assert db.session.scalar(select(func.count()).select_from(ServiceRequest)) == 0


def test_customer_is_found_by_number_within_scope(world, customers):
    number = customers["a"].customer_number
    assert services.find_customer_by_number(world["maint_a"], number.lower()) == customers["a"].id
    for actor, customer in ((world["maint_a"], customers["b"]), (world["maint_a"], None)):
        with pytest.raises(FieldInvalid) as refused:
            services.find_customer_by_number(actor, customer.customer_number if customer
                                             else "C404")
        assert refused.value.field == "customer_number"


# --- value-added bookings ---------------------------------------------------------------------


def book(actor, customer, service, now=NOW, **extra):
    return open_request(actor, customer, now=now, kind="value_added", priority="normal",
                        service_id=service.id, **extra)


def test_booking_needs_a_service_of_the_customers_tier(world, customers, db):
    gold = add_service("gold")
    other_tier = add_service("platinum", code="HEALTH")
    withdrawn = add_service("gold", code="OLD", active=False)
    for service_id in (None, other_tier.id, withdrawn.id, 999_999):
        with pytest.raises(FieldInvalid) as refused:
            open_request(world["maint_a"], customers["a_gold"], kind="value_added",
                         service_id=service_id)
        assert refused.value.field == "service_id"
    assert book(world["maint_a"], customers["a_gold"], gold).value_added_service_id == gold.id


def test_booking_beyond_the_yearly_allowance_is_refused(world, customers, db):
    lounge = add_service("gold", yearly_allowance=2)
    book(world["maint_a"], customers["a_gold"], lounge)
    cancelled = book(world["maint_a"], customers["a_gold"], lounge)
    move(world["maint_a"], cancelled, "cancelled", comment="customer changed plans")
    book(world["maint_a"], customers["a_gold"], lounge)
    with pytest.raises(AllowanceExceeded) as refused:
        book(world["maint_a"], customers["a_gold"], lounge)
    assert (refused.value.used, refused.value.allowance) == (2, 2)
    assert "2 of 2" in refused.value.message


def test_last_years_bookings_do_not_count(world, customers):
    lounge = add_service("gold", yearly_allowance=1)
    book(world["maint_a"], customers["a_gold"], lounge, now=NOW - timedelta(days=200))
    assert book(world["maint_a"], customers["a_gold"], lounge).id


def test_year_follows_the_bank_time_zone(app, db):
    start, end = services.year_bounds(NOW)
    assert (start.isoformat(), end.isoformat()) == ("2025-12-31T16:00:00", "2026-12-31T16:00:00")


def test_maintainer_cannot_override_the_allowance(world, customers):
    lounge = add_service("gold", yearly_allowance=0)
    with pytest.raises(AllowanceExceeded) as refused:
        book(world["maint_a"], customers["a_gold"], lounge, override=True,
             override_reason="VIP customer")
    assert "Only a supervisor" in refused.value.message


def test_supervisor_overrides_the_allowance_with_a_reason(world, customers):
    lounge = add_service("gold", yearly_allowance=0)
    with pytest.raises(FieldInvalid) as refused:
        book(world["supervisor_a"], customers["a_gold"], lounge, override=True,
             override_reason="no")
    assert refused.value.field == "override_reason"
    request = book(world["supervisor_a"], customers["a_gold"], lounge, override=True,
                   override_reason="Compensation for the delayed card")
    assert request.allowance_override_reason == "Compensation for the delayed card"
    [event] = events_of(request, "override")
    assert event.detail == {"service": "Airport lounge", "used": 0, "allowance": 0}
    [entry] = audits("service_request.allowance_overridden")
    assert entry.detail["reason"] == "Compensation for the delayed card"


def test_override_is_not_recorded_within_the_allowance(world, customers):
    lounge = add_service("gold", yearly_allowance=3)
    request = book(world["supervisor_a"], customers["a_gold"], lounge, override=True,
                   override_reason="just in case")
    assert request.allowance_override_reason is None
    assert not audits("service_request.allowance_overridden")


# --- the workflow -----------------------------------------------------------------------------

LEGAL = {(a, b) for a, targets in RequestStatus.TRANSITIONS.items() for b in targets}
PATHS = {  # how to bring a new request into each status
    RequestStatus.NEW: (),
    RequestStatus.IN_PROGRESS: (RequestStatus.IN_PROGRESS,),
    RequestStatus.RESOLVED: (RequestStatus.IN_PROGRESS, RequestStatus.RESOLVED),
    RequestStatus.CLOSED: (RequestStatus.IN_PROGRESS, RequestStatus.RESOLVED,
                           RequestStatus.CLOSED),
    RequestStatus.CANCELLED: (RequestStatus.CANCELLED,),
}


@pytest.mark.parametrize("source, target", sorted(LEGAL))
def test_every_legal_transition_is_carried_out(world, customers, source, target):
    request = move(world["maint_a"], open_request(world["maint_a"], customers["a"]),
                   *PATHS[source])
    version = request.version
    changed = workflow.change_status(world["maint_a"], request.id, version, target,
                                     "because", NOW + hours(1), NOW.date())
    assert changed.status == target and reload(changed).version == version + 1
    event = events_of(request, "status_changed")[-1]
    assert (event.from_status, event.to_status, event.comment) == (source, target, "because")
    assert audits("service_request.status_changed")[-1].detail["to_status"] == target


ILLEGAL = sorted((a, b) for a in RequestStatus.ALL for b in RequestStatus.ALL + ("bogus", "")
                 if (a, b) not in LEGAL)


@pytest.mark.parametrize("source, target", ILLEGAL)
def test_every_illegal_transition_is_refused_and_changes_nothing(world, customers, source,
                                                                 target):
    request = move(world["maint_a"], open_request(world["maint_a"], customers["a"]),
                   *PATHS[source])
    with pytest.raises(FieldInvalid) as refused:
        workflow.change_status(world["maint_a"], request.id, request.version, target, "x",
                               NOW, NOW.date())
    assert refused.value.field == "to_status"
    assert "cannot be moved" in refused.value.message
    after = reload(request)
    assert (after.status, after.version) == (source, request.version)


def test_cancelling_needs_a_reason(world, customers):
    request = open_request(world["maint_a"], customers["a"])
    for comment in ("", "   ", "no"):
        with pytest.raises(FieldInvalid) as refused:
            workflow.change_status(world["maint_a"], request.id, 1, "cancelled", comment,
                                   NOW, NOW.date())
        assert refused.value.field == "comment"
    cancelled = move(world["maint_a"], request, "cancelled", comment="Customer withdrew it")
    assert cancelled.cancel_reason == "Customer withdrew it"
    assert audits("service_request.status_changed")[-1].detail["reason"] == "Customer withdrew it"


def test_starting_work_is_the_first_response_and_flags_it_late(world, customers):
    on_time = open_request(world["maint_a"], customers["a"])
    late = open_request(world["maint_a"], customers["a"])
    on_time = move(world["maint_a"], on_time, "in_progress", now=NOW + minutes(10))
    late = move(world["maint_a"], late, "in_progress", now=NOW + minutes(31))
    assert on_time.first_responded_at == NOW + minutes(10) and not on_time.response_breached
    assert late.first_responded_at == NOW + minutes(31) and late.response_breached


def test_first_comment_is_the_first_response(world, customers):
    request = open_request(world["maint_a"], customers["a"])
    workflow.add_comment(world["maint_a"], request.id, "Called the customer back",
                         NOW + minutes(5))
    workflow.add_comment(world["maint_a"], request.id, "Waiting for the card centre",
                         NOW + minutes(50))
    request = reload(request)
    assert request.first_responded_at == NOW + minutes(5) and request.status == "new"
    assert [e.comment for e in events_of(request, "comment")] == [
        "Called the customer back", "Waiting for the card centre"]
    assert len(audits("service_request.commented")) == 2


def test_empty_or_long_comment_is_refused(world, customers):
    request = open_request(world["maint_a"], customers["a"])
    for text in ("", " ", "x" * 2001):
        with pytest.raises(FieldInvalid):
            workflow.add_comment(world["maint_a"], request.id, text, NOW)
    assert reload(request).first_responded_at is None


def test_resolving_late_flags_the_resolution_and_closing_stamps_it(world, customers):
    request = move(world["maint_a"], open_request(world["maint_a"], customers["a"]),
                   "in_progress", now=NOW + minutes(5))
    request = move(world["maint_a"], request, "resolved", now=NOW + hours(9))
    assert request.resolved_at == NOW + hours(9) and request.resolution_breached
    request = move(world["maint_a"], request, "closed", now=NOW + hours(10))
    assert request.closed_at == NOW + hours(10)


def test_stale_version_is_a_conflict_carrying_the_current_state(world, customers):
    request = open_request(world["maint_a"], customers["a"])
    move(world["supervisor_a"], request, "in_progress")
    with pytest.raises(RequestConflict) as conflict:
        workflow.change_status(world["maint_a"], request.id, 1, "cancelled", "duplicate",
                               NOW, NOW.date())
    assert conflict.value.request.status == "in_progress"
    assert reload(request).status == "in_progress"


def test_concurrent_write_is_a_conflict_not_an_overwrite(world, customers, db):
    """Both loaded version 1; the other one's change lands first; ours must not overwrite."""
    request = open_request(world["maint_a"], customers["a"])
    db.session.execute(update(ServiceRequest).where(ServiceRequest.id == request.id).values(
        status="cancelled", cancel_reason="by the other", version=2))
    db.session.commit()
    loaded = db.session.get(ServiceRequest, request.id)
    set_committed_value(loaded, "version", 1)  # as our request had loaded it before
    set_committed_value(loaded, "status", "new")
    with pytest.raises(RequestConflict) as conflict:
        workflow.change_status(world["maint_a"], request.id, 1, "in_progress", "", NOW,
                               NOW.date())
    assert conflict.value.request.status == "cancelled"
    after = reload(request)
    assert (after.status, after.cancel_reason, after.version) == ("cancelled", "by the other", 2)
    assert not events_of(request, "status_changed")


# --- assignment -------------------------------------------------------------------------------


def test_assignees_are_active_staff_of_the_branch_subtree_and_supervisors_above(
        world, customers, make_staff, db):
    colleague = make_staff(Role.MAINTAINER, world["outlet_a"])
    make_staff(Role.MAINTAINER, world["outlet_a"], active=False)
    make_staff(Role.TRAINER, world["outlet_a"])
    db.session.commit()
    request = open_request(world["maint_a"], customers["a"])
    by_supervisor = {s.id for s in services.eligible_assignees(world["supervisor_a"], request)}
    assert by_supervisor == {world["maint_a"].id, colleague.id, world["supervisor_a"].id}
    by_maintainer = {s.id for s in services.eligible_assignees(world["maint_a"], request)}
    assert by_maintainer == {world["maint_a"].id, colleague.id}


def test_assigning_records_notifies_and_audits(world, customers, make_staff, db):
    colleague = make_staff(Role.MAINTAINER, world["outlet_a"])
    db.session.commit()
    request = open_request(world["maint_a"], customers["a"])
    changed = workflow.assign_request(world["supervisor_a"], request.id, 1, colleague.id,
                                      NOW + minutes(3))
    assert changed.assignee_id == colleague.id and reload(changed).version == 2
    [event] = events_of(request, "assigned")
    assert event.detail["from_id"] == world["maint_a"].id and event.detail["to_id"] == colleague.id
    [note] = db.session.scalars(select(Notification).where(Notification.staff_id == colleague.id))
    assert note.params["by"] == world["supervisor_a"].display_name
    assert audits("service_request.assigned")[0].detail["to_staff_id"] == colleague.id


@pytest.mark.parametrize("who", ["maint_b", "supervisor_b", "trainer_a", "same", "nobody"])
def test_assigning_outside_the_branch_is_refused(world, customers, who):
    request = open_request(world["maint_a"], customers["a"])
    target = {"same": world["maint_a"].id, "nobody": 999_999}.get(who) or world[who].id
    with pytest.raises(FieldInvalid) as refused:
        workflow.assign_request(world["supervisor_a"], request.id, 1, target, NOW)
    assert refused.value.field == "assignee_id"
    assert reload(request).assignee_id == world["maint_a"].id


def test_final_requests_cannot_be_reassigned(world, customers):
    request = move(world["maint_a"], open_request(world["maint_a"], customers["a"]), "cancelled",
                   comment="duplicate request")
    with pytest.raises(FieldInvalid):
        workflow.assign_request(world["supervisor_a"], request.id, request.version,
                                world["supervisor_a"].id, NOW)


# --- call-back and satisfaction ---------------------------------------------------------------


def callback_tasks(request):
    _db.session.expire_all()
    return list(_db.session.scalars(select(Task).where(
        Task.kind == RuleKind.SERVICE_CALLBACK, Task.source_ref == source_ref(request.id))))


def test_resolving_raises_the_callback_task_for_the_maintainer(world, customers):
    request = move(world["supervisor_a"], open_request(world["supervisor_a"], customers["a"]),
                   "in_progress", "resolved")
    [task] = callback_tasks(request)
    assert task.maintainer_id == world["maint_a"].id and task.status == TaskStatus.OPEN
    assert task.due_on == NOW.date() + timedelta(days=2)
    assert task.note_params == {"subject": "Card fee charged twice"}
    assert events_of(request, "status_changed")[-1].detail == {"callback_task_id": task.id}


def test_reopening_cancels_the_open_callback_task(world, customers):
    request = move(world["maint_a"], open_request(world["maint_a"], customers["a"]),
                   "in_progress", "resolved", "in_progress")
    [task] = callback_tasks(request)
    assert task.status == TaskStatus.CANCELLED and task.version == 2
    assert request.resolved_at is None


def test_satisfaction_completes_the_callback_with_a_contact(world, customers, db):
    request = move(world["maint_a"], open_request(world["maint_a"], customers["a"]),
                   "in_progress", "resolved")
    callbacks.record_satisfaction(world["maint_a"], request.id, 4, "Quick and kind",
                                  NOW + hours(2), NOW.date() + timedelta(days=1))
    request = reload(request)
    assert (request.satisfaction, request.satisfaction_comment) == (4, "Quick and kind")
    [task] = callback_tasks(request)
    assert (task.status, task.outcome, task.version) == ("done", "reached", 2)
    assert task.completed_at == NOW + hours(2)
    [contact] = db.session.scalars(select(Contact).where(Contact.task_id == task.id))
    assert (contact.staff_id, contact.channel, contact.outcome) == (
        world["maint_a"].id, "phone", "reached")
    assert "4/5" in contact.summary
    assert db.session.get(Customer, customers["a"].id).last_contact_on == (
        NOW.date() + timedelta(days=1))
    [event] = events_of(request, "satisfaction")
    assert event.detail == {"score": 4, "task_ids": [task.id]}
    assert audits("service_request.satisfaction_recorded")[0].detail["score"] == 4
    assert audits("task.completed")[0].object_id == str(task.id)


def test_satisfaction_without_a_callback_task_still_records(world, customers):
    request = move(world["maint_a"], open_request(world["maint_a"], customers["a"]),
                   "in_progress", "resolved", "closed")
    for task in callback_tasks(request):
        task.status = TaskStatus.DONE
    _db.session.commit()
    callbacks.record_satisfaction(world["supervisor_a"], request.id, 5, "", NOW, NOW.date())
    assert reload(request).satisfaction == 5
    assert reload(request).satisfaction_comment is None


def test_completing_the_callback_with_a_score_records_it_once(world, customers, db):
    """The queue completes the call-back task and stores the score in one transaction."""
    request = move(world["maint_a"], open_request(world["maint_a"], customers["a"]),
                   "in_progress", "resolved")
    [task] = callback_tasks(request)
    today = NOW.date() + timedelta(days=1)
    task_services.complete_task(world["maint_a"], task.id, task.version, "reached", "phone",
                                "Happy", today, satisfaction=3)
    assert reload(request).satisfaction == 3
    assert reload(request).satisfaction_comment == "Happy"
    assert db.session.scalar(select(func.count()).select_from(Contact)) == 1


def test_completing_the_callback_without_a_score_leaves_it_to_ask_later(world, customers):
    request = move(world["maint_a"], open_request(world["maint_a"], customers["a"]),
                   "in_progress", "resolved")
    [task] = callback_tasks(request)
    task_services.complete_task(world["maint_a"], task.id, task.version, "not_reached",
                                "phone", "", NOW.date())
    assert reload(request).satisfaction is None
    assert callback_tasks(request)[0].status == TaskStatus.DONE


@pytest.mark.parametrize("score", [0, 6, None, "4", True])
def test_satisfaction_score_must_be_1_to_5(world, customers, score):
    request = move(world["maint_a"], open_request(world["maint_a"], customers["a"]),
                   "in_progress", "resolved")
    with pytest.raises(FieldInvalid) as refused:
        callbacks.record_satisfaction(world["maint_a"], request.id, score, "", NOW, NOW.date())
    assert refused.value.field == "score"
    assert reload(request).satisfaction is None
    assert callback_tasks(request)[0].status == TaskStatus.OPEN


def test_satisfaction_before_resolution_or_twice_is_refused(world, customers):
    request = open_request(world["maint_a"], customers["a"])
    with pytest.raises(FieldInvalid):
        callbacks.record_satisfaction(world["maint_a"], request.id, 4, "", NOW, NOW.date())
    move(world["maint_a"], request, "in_progress", "resolved")
    callbacks.record_satisfaction(world["maint_a"], request.id, 4, "", NOW, NOW.date())
    with pytest.raises(RequestConflict):
        callbacks.record_satisfaction(world["maint_a"], request.id, 1, "", NOW, NOW.date())
    assert reload(request).satisfaction == 4


def test_admin_and_trainer_do_not_record_satisfaction(world, customers):
    request = move(world["maint_a"], open_request(world["maint_a"], customers["a"]),
                   "in_progress", "resolved")
    for who in ("admin", "trainer_a"):
        with pytest.raises(NotAllowed):
            callbacks.record_satisfaction(world[who], request.id, 4, "", NOW, NOW.date())


def test_request_id_from_source():
    assert services.request_id_from_source("sr:12") == 12
    for ref in ("", None, "sr:", "sr:x", "campaign:3", "sr:99999999999"):
        assert services.request_id_from_source(ref) is None


# --- scoping ----------------------------------------------------------------------------------


def visible(actor):
    return set(_db.session.scalars(select(ServiceRequest.id).where(
        access.service_request_filter(actor))))


def test_scope_by_role(world, customers, make_staff, db):
    mine = open_request(world["maint_a"], customers["a"])
    branch_a = open_request(world["maint_a2"], customers["a2"])
    other = open_request(world["maint_b"], customers["b"])
    assigned = open_request(world["maint_a2"], customers["a2"], subject="Handed to maint_a")
    workflow.assign_request(world["supervisor_a"], assigned.id, 1, world["maint_a"].id, NOW)
    assert visible(world["maint_a"]) == {mine.id, assigned.id}
    assert visible(world["supervisor_a"]) == {mine.id, branch_a.id, assigned.id}
    assert visible(world["supervisor_b"]) == {other.id}
    assert visible(world["admin"]) == {mine.id, branch_a.id, other.id, assigned.id}
    assert visible(world["trainer_a"]) == set()


def test_loading_out_of_scope_request_is_not_found_and_audited(world, customers):
    other = open_request(world["maint_b"], customers["b"])
    with pytest.raises(NotFound):
        detail.request_view(world["maint_a"], other.id, NOW)
    assert audits("access.refused")[-1].object_id == str(other.id)
    with pytest.raises(NotFound):
        detail.request_view(world["maint_a"], 2**40, NOW)
    with pytest.raises(NotAllowed):
        detail.request_view(world["trainer_a"], other.id, NOW)


def test_actions_out_of_scope_are_not_found(world, customers):
    other = open_request(world["maint_b"], customers["b"])
    with pytest.raises(NotFound):
        workflow.change_status(world["maint_a"], other.id, 1, "in_progress", "", NOW,
                               NOW.date())
    with pytest.raises(NotFound):
        workflow.add_comment(world["supervisor_a"], other.id, "hello", NOW)
    assert reload(other).status == "new"
