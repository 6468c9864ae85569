"""The follow-up rules page of head office: inline edits with htmx, refusals, audit."""
import pytest
from sqlalchemy import select

from app.extensions import db as _db
from app.models import AuditEvent, FollowupRule

from ..helpers import html


def snapshot():
    return {rule.kind: (rule.enabled, rule.lead_days, rule.base_priority, rule.note_template,
                        rule.threshold_days, rule.min_aum_fen)
            for rule in _db.session.scalars(select(FollowupRule))}


@pytest.fixture(autouse=True)
def keep_rules(db):
    """Put the rules back afterwards, whatever a test committed."""
    saved = snapshot()
    yield
    db.session.rollback()
    for kind, values in saved.items():
        rule = db.session.get(FollowupRule, kind)
        (rule.enabled, rule.lead_days, rule.base_priority, rule.note_template,
         rule.threshold_days, rule.min_aum_fen) = values
    db.session.commit()


def rule_data(kind, **overrides):
    rule = _db.session.get(FollowupRule, kind)
    data = {"enabled": "y" if rule.enabled else "", "lead_days": rule.lead_days,
            "base_priority": rule.base_priority, "note_template": rule.note_template,
            "threshold_days": rule.threshold_days or "",
            "min_aum": "" if rule.min_aum_fen is None else rule.min_aum_fen / 100}
    data.update(overrides)
    return {f"{kind}-{name}": value for name, value in data.items() if value != ""}


def rule(kind):
    _db.session.expire_all()
    return _db.session.get(FollowupRule, kind)


def test_admin_sees_every_rule_with_its_sample(client, world, login_as):
    login_as(world["admin"])
    page = html(client.get("/admin/rules"))
    for kind in ("birthday", "maturity", "dormant", "campaign"):
        assert f'id="rule-{kind}"' in page
    assert "Example: Birthday on" in page and "Follow-up rules" in page


@pytest.mark.parametrize("role", ["supervisor_a", "maint_a", "trainer_a"])
def test_only_admins_open_the_rules(client, world, login_as, role):
    login_as(world[role])
    assert client.get("/admin/rules").status_code == 403
    assert client.post_form("/admin/rules/birthday", rule_data("birthday")).status_code == 403


def test_saving_a_rule_with_htmx_returns_its_row(client, world, login_as):
    login_as(world["admin"])
    response = client.post_form("/admin/rules/maturity", rule_data(
        "maturity", lead_days=21, base_priority=75,
        note_template="%(product)s (%(amount)s CNY) matures on %(date)s"), htmx=True)
    page = html(response)
    assert response.status_code == 200 and "<html" not in page
    assert page.lstrip().startswith("<tr") and "Rule saved." in page
    saved = rule("maturity")
    assert (saved.lead_days, saved.base_priority) == (21, 75)
    event = _db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "followup_rule.updated", AuditEvent.object_id == "maturity")
        .order_by(AuditEvent.id.desc())).first()
    assert event.detail["after"]["lead_days"] == 21 and event.detail["before"]["lead_days"] == 14


def test_switching_a_rule_off(client, world, login_as):
    login_as(world["admin"])
    client.post_form("/admin/rules/birthday", rule_data("birthday", enabled=""), htmx=True)
    assert not rule("birthday").enabled


def test_saving_without_htmx_redirects(client, world, login_as):
    login_as(world["admin"])
    response = client.post_form("/admin/rules/dormant", rule_data(
        "dormant", threshold_days=200, min_aum="25000.00"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/rules")
    assert (rule("dormant").threshold_days, rule("dormant").min_aum_fen) == (200, 2_500_000)


@pytest.mark.parametrize("overrides, message", [
    ({"note_template": "Birthday soon"}, "must keep"),
    ({"note_template": "Birthday %(date)s 50% off"}, "does not format"),
    ({"note_template": "Hi %(name)s on %(date)s"}, "Unknown placeholder"),
    ({"note_template": ""}, "Enter the note template"),
    ({"lead_days": 400}, "between"),
    ({"lead_days": "soon"}, "Not a valid integer"),
    ({"base_priority": -5}, "between"),
])
def test_bad_settings_show_errors_and_change_nothing(client, world, login_as, overrides,
                                                     message):
    login_as(world["admin"])
    before = snapshot()["birthday"]
    response = client.post_form("/admin/rules/birthday", rule_data("birthday", **overrides),
                                htmx=True)
    assert response.status_code == 422 and message in html(response)
    assert "<html" not in html(response)
    _db.session.expire_all()
    assert snapshot()["birthday"] == before


def test_bad_settings_without_htmx_show_the_page(client, world, login_as):
    login_as(world["admin"])
    response = client.post_form("/admin/rules/birthday",
                                rule_data("birthday", note_template="no placeholder"))
    assert response.status_code == 422 and "<html" in html(response)
    assert "must keep" in html(response)


def test_unknown_rule_is_not_found(client, world, login_as):
    login_as(world["admin"])
    assert client.post_form("/admin/rules/horoscope", {}).status_code == 404


def test_saving_without_csrf_is_refused(client, world, login_as):
    login_as(world["admin"])
    data = rule_data("birthday", lead_days=30)
    assert client.post("/admin/rules/birthday", data=data).status_code == 400
    assert rule("birthday").lead_days != 30
