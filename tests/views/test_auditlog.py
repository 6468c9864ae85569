"""The audit page: scoped to the viewer, filtered, paged by id, never a 500 on bad input."""
from datetime import date, datetime

import pytest

from app import audit
from app.auditlog.services import detail_lines, filter_options, local_day_start


def record(db, actor, action, *, branch, object_type="customer", object_id="1",
           occurred_at=None, **detail):
    event = audit.record(actor, action, object_type=object_type, object_id=object_id,
                         branch_id=branch.id, **detail)
    if occurred_at:
        event.occurred_at = occurred_at
    db.session.flush()
    return event


@pytest.fixture
def trail(db, world):
    """One event in each branch of the world, on a record id no other test uses."""
    ref = f"t{world['admin'].id}"
    return {
        "ref": ref,
        "a": record(db, world["maint_a"], "customer.revealed", branch=world["outlet_a"],
                    object_id=ref, field="mobile"),
        "a2": record(db, world["supervisor_a"], "customer.reassigned", branch=world["branch_a"],
                     object_id=ref),
        "b": record(db, world["maint_b"], "customer.revealed", branch=world["outlet_b"],
                    object_id=ref, field="id_number"),
        "head": record(db, world["admin"], "tier_thresholds.updated", branch=world["head"],
                       object_id=ref),
    }


def page_for(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def shown(page, event):
    return f'data-event-id="{event.id}"' in page


@pytest.mark.parametrize("role", ["trainer_a", "maint_a", "maint_b"])
def test_maintainers_and_trainers_cannot_open_the_audit_page(login_as, world, role):
    assert login_as(world[role]).get("/audit/").status_code == 403


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/audit/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_admin_sees_the_events_of_every_branch(login_as, world, trail):
    page = page_for(login_as(world["admin"]),
                    f"/audit/?object_type=customer&object_id={trail['ref']}")
    assert all(shown(page, trail[key]) for key in ("a", "a2", "b", "head"))
    assert 'hx-history="false"' in page


def test_supervisor_sees_only_their_subtree(login_as, world, trail):
    page = page_for(login_as(world["supervisor_a"]),
                    f"/audit/?object_type=customer&object_id={trail['ref']}")
    assert shown(page, trail["a"]) and shown(page, trail["a2"])
    assert not shown(page, trail["b"]) and not shown(page, trail["head"])


def test_supervisor_cannot_reach_other_branch_events_through_filters(login_as, world, trail):
    client = login_as(world["supervisor_b"])
    page = page_for(client, f"/audit/?actor={world['maint_a'].username}")
    assert not shown(page, trail["a"])
    page = page_for(client, f"/audit/?before={trail['b'].id + 1}&object_type=customer"
                            f"&object_id={trail['ref']}")
    assert shown(page, trail["b"]) and not shown(page, trail["a"])


def test_newest_events_come_first(login_as, world, trail):
    page = page_for(login_as(world["admin"]),
                    f"/audit/?object_type=customer&object_id={trail['ref']}")
    positions = [page.index(f'data-event-id="{trail[key].id}"') for key in ("head", "b", "a")]
    assert positions == sorted(positions)


def test_filter_by_actor_ignores_case(login_as, world, trail):
    username = world["maint_b"].username.upper()
    page = page_for(login_as(world["admin"]), f"/audit/?actor={username}")
    assert shown(page, trail["b"]) and not shown(page, trail["a"])


def test_filter_by_action_prefix(login_as, world, trail):
    client = login_as(world["admin"])
    base = f"/audit/?object_type=customer&object_id={trail['ref']}"
    page = page_for(client, base + "&action=customer.")
    assert shown(page, trail["a"]) and shown(page, trail["a2"]) and not shown(page, trail["head"])
    page = page_for(client, base + "&action=customer.revealed")
    assert shown(page, trail["a"]) and not shown(page, trail["a2"])
    page = page_for(client, base + "&action=customer%25")
    assert not shown(page, trail["a"])  # a % is a character, not a wildcard


def test_filter_by_record(login_as, world, trail, db):
    other = record(db, world["maint_a"], "customer.revealed", branch=world["outlet_a"],
                   object_id=trail["ref"] + "x")
    page = page_for(login_as(world["admin"]),
                    f"/audit/?object_type=customer&object_id={trail['ref']}")
    assert shown(page, trail["a"]) and not shown(page, other)


def test_dates_are_taken_in_the_bank_time_zone(login_as, world, db):
    actor = world["maint_a"]
    # 17:30 UTC on 1 March is 01:30 on 2 March in Shanghai.
    late = record(db, actor, "customer.viewed", branch=world["outlet_a"],
                  occurred_at=datetime(2026, 3, 1, 17, 30))
    early = record(db, actor, "customer.viewed", branch=world["outlet_a"],
                   occurred_at=datetime(2026, 3, 1, 15, 30))
    client = login_as(world["admin"])
    page = page_for(client, f"/audit/?actor={actor.username}&date_from=2026-03-02")
    assert shown(page, late) and not shown(page, early)
    page = page_for(client, f"/audit/?actor={actor.username}&date_to=2026-03-01")
    assert shown(page, early) and not shown(page, late)
    page = page_for(client, f"/audit/?actor={actor.username}&date_from=2026-03-01"
                            "&date_to=2026-03-02")
    assert shown(page, early) and shown(page, late)


def test_local_day_start_is_midnight_in_the_bank_time_zone(app):
    with app.app_context():
        assert local_day_start(date(2026, 3, 2)) == datetime(2026, 3, 1, 16, 0)


@pytest.mark.parametrize("query, message", [
    ("date_from=2026-13-45", "Not a valid date"),
    ("date_to=yesterday", "Not a valid date"),
    ("date_from=2026-03-05&date_to=2026-03-01", "end date is before the start date"),
    ("object_id=5", "Give the record type"),
    ("object_type=Customer;drop", "Record types are lowercase words"),
    ("date_to=9999-12-31", "Choose a day between 1900-01-01 and 2999-12-31"),
    ("date_from=0001-01-01", "Choose a day between 1900-01-01 and 2999-12-31"),
    ("before=abc", "Not a valid integer"),
    ("before=99999999999999", "Number must be between 1 and 2147483647"),
    ("actor=" + "x" * 100, "Field cannot be longer than 64 characters"),
])
def test_bad_filters_show_a_message_not_an_error_page(login_as, world, trail, query, message):
    client = login_as(world["admin"])
    page = page_for(client, f"/audit/?{query}")
    assert message in page and not shown(page, trail["a"])
    fragment = client.get_htmx(f"/audit/?{query}")
    assert fragment.status_code == 200
    assert message in fragment.get_data(as_text=True)


def test_nul_characters_in_filters_are_refused(login_as, world, trail):
    response = login_as(world["admin"]).get(
        f"/audit/?object_type=customer%00&object_id={trail['ref']}%00")
    assert response.status_code == 400


def test_filtering_with_htmx_returns_only_the_results(login_as, world, trail):
    response = login_as(world["admin"]).get_htmx(
        f"/audit/?object_type=customer&object_id={trail['ref']}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in page and "<form" not in page
    assert shown(page, trail["a"])


def test_paging_goes_by_id_and_keeps_the_filters(login_as, world, trail, app):
    client = login_as(world["admin"])
    base = f"/audit/?object_type=customer&object_id={trail['ref']}"
    app.config["PAGE_SIZE"] = 2
    try:
        first = page_for(client, base)
        assert shown(first, trail["head"]) and shown(first, trail["b"])
        assert not shown(first, trail["a2"])
        assert f"before={trail['b'].id}" in first and f"object_id={trail['ref']}" in first
        second = client.get_htmx(f"{base}&before={trail['b'].id}").get_data(as_text=True)
        assert shown(second, trail["a2"]) and shown(second, trail["a"])
        assert not shown(second, trail["b"]) and "Newest events" in second
        assert 'rel="next"' not in second  # the last page: "Older events" is disabled
    finally:
        app.config["PAGE_SIZE"] = 50


def test_detail_is_shown_as_key_value_lines(login_as, world, db):
    event = record(db, world["admin"], "staff.updated", branch=world["outlet_a"],
                   object_type="staff", object_id=str(world["maint_a"].id),
                   before={"role": "maintainer"}, after={"role": "supervisor"})
    page = page_for(login_as(world["admin"]),
                    f"/audit/?object_type=staff&object_id={world['maint_a'].id}")
    assert shown(page, event)
    assert "maintainer → supervisor" in page
    assert world["outlet_a"].name in page


def test_detail_lines_hide_anything_that_looks_like_a_secret():
    lines = dict(detail_lines({"reason": "call back", "password": "hunter2-long",
                               "before": {"session_token": "a"}, "after": {"session_token": "b"},
                               "count": 3, "tags": ["x", "y"]}))
    assert lines["reason"] == "call back" and lines["count"] == "3"
    assert lines["password"] == "••••" and lines["session_token"] == "••••"
    assert lines["tags"] == '["x", "y"]'
    assert "hunter2" not in str(lines)


def test_detail_lines_show_a_lone_before_or_after_as_it_is():
    assert dict(detail_lines({"after": {"x": 1}})) == {"before": "—", "after": '{"x": 1}'}
    assert detail_lines(None) == []


def test_filter_options_list_known_actions_and_record_types(app, db, world, trail):
    options = filter_options()
    assert {"customer.revealed", "tier_thresholds.updated"} <= set(options["actions"])
    assert "customer" in options["object_types"]
    assert options["actions"] == sorted(set(options["actions"]))
