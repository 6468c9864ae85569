"""Head office edits the SLA targets (hours, decimals allowed) and the tier shares."""
import pytest
from sqlalchemy import select

from app.extensions import db as _db
from app.models import AuditEvent, RequestKind, RequestPriority, SlaTarget, SlaTierFactor, Tier
from app.service_requests.services.sla import minutes_to_hours, sla_settings, target_field


def current_form():
    """The form as the page fills it from the stored settings."""
    targets, percents = sla_settings()
    data = {}
    for (kind, priority), (first, resolution) in targets.items():
        data[target_field(kind, priority, "first")] = minutes_to_hours(first)
        data[target_field(kind, priority, "resolution")] = minutes_to_hours(resolution)
    data.update({f"tier__{tier}": percent for tier, percent in percents.items()})
    return data


def target(kind, priority):
    _db.session.expire_all()
    return _db.session.scalar(select(SlaTarget).where(SlaTarget.kind == kind,
                                                      SlaTarget.priority == priority))


def test_page_shows_the_grid_in_hours(client, world, login_as):
    login_as(world["admin"])
    page = client.get("/admin/sla").get_data(as_text=True)
    assert "Service levels" in page
    assert f'name="{target_field("complaint", "urgent", "first")}"' in page
    assert 'value="0.5"' in page and 'value="8"' in page  # 30 min, 480 min
    assert 'name="tier__private"' in page and 'value="50"' in page


def test_admin_saves_decimal_hours_and_percents_audited(client, world, login_as):
    login_as(world["admin"])
    data = current_form()
    data[target_field("complaint", "urgent", "first")] = "0.25"
    data[target_field("complaint", "urgent", "resolution")] = "6.5"
    data["tier__gold"] = "80"
    response = client.post_form("/admin/sla", data)
    assert response.status_code == 302
    row = target("complaint", "urgent")
    assert (row.first_response_minutes, row.resolution_minutes) == (15, 390)
    assert _db.session.get(SlaTierFactor, "gold").percent == 80
    entry = _db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "sla_settings.updated"))
    assert entry.detail["before"] == {"complaint.urgent": [30, 480], "tier.gold": 90}
    assert entry.detail["after"] == {"complaint.urgent": [15, 390], "tier.gold": 80}
    assert "Service levels saved." in client.get("/admin/sla").get_data(as_text=True)


def test_saving_unchanged_settings_changes_nothing(client, world, login_as):
    login_as(world["admin"])
    client.post_form("/admin/sla", current_form())
    assert _db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "sla_settings.updated")) is None
    assert "Nothing changed." in client.get("/admin/sla").get_data(as_text=True)


@pytest.mark.parametrize("field, value, message", [
    (target_field("other", "low", "first"), "", "Enter the hours."),
    (target_field("other", "low", "first"), "abc", "Not a valid decimal value"),
    (target_field("other", "low", "first"), "0", "from one minute"),
    (target_field("other", "low", "first"), "-2", "from one minute"),
    (target_field("other", "low", "first"), "5000", "from one minute"),
    (target_field("other", "low", "resolution"), "1", "cannot be shorter"),
    ("tier__mass", "0", "from 1 to 100"), ("tier__mass", "101", "from 1 to 100"),
    ("tier__mass", "x", "Not a valid integer value"),
])
def test_bad_values_are_refused_and_nothing_is_saved(client, world, login_as, field, value,
                                                     message):
    login_as(world["admin"])
    data = current_form()
    data[field] = value
    response = client.post_form("/admin/sla", data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    row = target("other", "low")
    assert (row.first_response_minutes, row.resolution_minutes) == (1440, 7200)
    assert _db.session.get(SlaTierFactor, "mass").percent == 100


def test_missing_rows_are_created(client, world, login_as, db):
    db.session.execute(SlaTarget.__table__.delete().where(SlaTarget.kind == "other"))
    db.session.commit()
    login_as(world["admin"])
    assert client.post_form("/admin/sla", current_form()).status_code == 302
    assert target("other", "low").first_response_minutes == 1440
    assert len(list(db.session.scalars(select(SlaTarget)))) == (
        len(RequestKind.ALL) * len(RequestPriority.ALL))
    assert len(list(db.session.scalars(select(SlaTierFactor)))) == len(Tier.ALL)


@pytest.mark.parametrize("who", ["supervisor_a", "maint_a", "trainer_a"])
def test_only_head_office_edits_service_levels(client, world, login_as, who):
    login_as(world[who])
    assert client.get("/admin/sla").status_code == 403
    assert client.post_form("/admin/sla", current_form()).status_code == 403


def test_saving_needs_the_csrf_token(client, world, login_as):
    login_as(world["admin"])
    data = current_form()
    data["tier__gold"] = "70"
    assert client.post("/admin/sla", data=data).status_code == 400
    assert _db.session.get(SlaTierFactor, "gold").percent == 90
