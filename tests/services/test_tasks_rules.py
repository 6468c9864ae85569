"""Follow-up rule settings: ranges, note templates checked by formatting, audit."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.errors import FieldInvalid, NotAllowed, NotFound
from app.extensions import db as _db
from app.models import AuditEvent, FollowupRule
from app.tasks.services import rules

TODAY = date(2026, 12, 2)


pytestmark = pytest.mark.usefixtures("request_context")


@pytest.fixture(autouse=True)
def keep_rules(db):
    """Put the rules back afterwards, whatever a test changed or committed."""
    saved = {rule.kind: settings(rule.kind) for rule in db.session.scalars(select(FollowupRule))}
    yield
    db.session.rollback()
    for kind, values in saved.items():
        rule = db.session.get(FollowupRule, kind)
        for name, value in values.items():
            setattr(rule, name, value)
    db.session.commit()


def settings(kind, **changes):
    rule = _db.session.get(FollowupRule, kind)
    values = {"enabled": rule.enabled, "lead_days": rule.lead_days,
              "base_priority": rule.base_priority, "note_template": rule.note_template,
              "threshold_days": rule.threshold_days, "min_aum_fen": rule.min_aum_fen}
    values.update(changes)
    return values


def test_rules_are_listed_in_kind_order_with_a_sample(world):
    views = rules.list_rules(world["admin"], TODAY)
    assert [v.kind for v in views][:3] == ["birthday", "maturity", "cadence"]
    assert views[0].sample == "Birthday on Dec 9"
    dormant = next(v for v in views if v.kind == "dormant")
    assert dormant.uses_threshold and dormant.uses_min_aum


def test_update_rule_saves_and_audits_before_and_after(world):
    before = settings("birthday")
    view, changed = rules.update_rule(world["admin"], "birthday", **settings(
        "birthday", lead_days=10, enabled=False, note_template="Birthday %(date)s: send a card"),
        today=TODAY)
    assert changed and view.rule.lead_days == 10 and not view.rule.enabled
    event = _db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "followup_rule.updated", AuditEvent.object_id == "birthday")
        .order_by(AuditEvent.id.desc())).first()
    assert event.detail["before"]["lead_days"] == before["lead_days"]
    assert event.detail["after"] == {"enabled": False, "lead_days": 10,
                                     "note_template": "Birthday %(date)s: send a card"}


def test_unchanged_rule_is_not_audited(world):
    count = len(list(_db.session.scalars(select(AuditEvent.id).where(
        AuditEvent.object_id == "welcome"))))
    _view, changed = rules.update_rule(world["admin"], "welcome", **settings("welcome"),
                                       today=TODAY)
    assert not changed
    assert len(list(_db.session.scalars(select(AuditEvent.id).where(
        AuditEvent.object_id == "welcome")))) == count


@pytest.mark.parametrize("template, message", [
    ("Birthday soon", "must keep %(date)s"),
    ("Birthday on %(day)s", "must keep"),
    ("Birthday on %(date)s for %(name)s", "Unknown placeholder %(name)s"),
    ("Birthday on %(date)s, 50% off", "does not format"),
    ("Birthday on %(date)d", "does not format"),
])
def test_note_template_must_keep_its_placeholders_and_format(world, template, message):
    with pytest.raises(FieldInvalid) as refused:
        rules.update_rule(world["admin"], "birthday",
                          **settings("birthday", note_template=template), today=TODAY)
    assert refused.value.field == "note_template" and message in refused.value.message
    assert _db.session.get(FollowupRule, "birthday").note_template == "Birthday on %(date)s"


def test_template_may_use_a_percent_sign_and_optional_placeholders(world):
    rules.update_rule(world["admin"], "tier_change", **settings(
        "tier_change", note_template="%(direction)s 100%%: %(from_tier)s → %(to_tier)s"),
        today=TODAY)
    assert "100%" in rules.rule_view(_db.session.get(FollowupRule, "tier_change"), TODAY).sample


@pytest.mark.parametrize("field, value", [
    ("lead_days", 366), ("lead_days", -1), ("base_priority", 101), ("base_priority", None)])
def test_numbers_out_of_range_are_refused(world, field, value):
    with pytest.raises(FieldInvalid) as refused:
        rules.update_rule(world["admin"], "maturity", **settings("maturity", **{field: value}),
                          today=TODAY)
    assert refused.value.field == field


def test_threshold_applies_to_dormant_only_where_used(world):
    with pytest.raises(FieldInvalid) as refused:
        rules.update_rule(world["admin"], "dormant",
                          **settings("dormant", threshold_days=0), today=TODAY)
    assert refused.value.field == "threshold_days"
    view, _changed = rules.update_rule(world["admin"], "birthday", **settings(
        "birthday", threshold_days=0, min_aum_fen=5), today=TODAY)
    assert view.rule.threshold_days is None and view.rule.min_aum_fen is None


def test_min_aum_is_saved_in_fen(world):
    view, _changed = rules.update_rule(world["admin"], "dormant", **settings(
        "dormant", min_aum_fen=rules.yuan_to_fen(Decimal("20000.50"))), today=TODAY)
    assert view.rule.min_aum_fen == 2_000_050


def test_only_admins_edit_rules_and_kinds_must_exist(world):
    with pytest.raises(NotAllowed):
        rules.list_rules(world["supervisor_a"], TODAY)
    with pytest.raises(NotAllowed):
        rules.update_rule(world["supervisor_a"], "birthday", **settings("birthday"),
                          today=TODAY)
    with pytest.raises(NotFound):
        rules.get_rule(world["admin"], "horoscope", TODAY)
