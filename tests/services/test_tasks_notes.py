"""render_note: the "why" of a task, formatted for the reader."""
from datetime import date
from types import SimpleNamespace

import pytest
from flask_babel import force_locale

from app.models import RuleKind
from app.tasks.notes import DEFAULT_NOTE_TEMPLATES, render_note, rule_templates

TODAY = date(2026, 11, 30)


def _task(kind, **params):
    return SimpleNamespace(kind=kind, note_params=params)


@pytest.fixture
def templates(db):
    return rule_templates()


def test_the_seeded_templates_are_the_marked_defaults(templates):
    assert templates == DEFAULT_NOTE_TEMPLATES


@pytest.mark.parametrize("kind, params, note", [
    (RuleKind.BIRTHDAY, {"date": "2026-12-02"}, "Birthday on Dec 2"),
    (RuleKind.MATURITY, {"date": "2026-12-05", "product": "Wealth product",
                         "amount_fen": 200_000_00},
     "Wealth product 200,000 CNY matures Dec 5"),
    (RuleKind.CADENCE, {"last_contact": "2026-08-01", "interval": 90},
     "No contact since Aug 1 (every 90 days)"),
    (RuleKind.DORMANT, {"since": "2026-03-01", "days": 180, "amount_fen": 20_000_00},
     "No contact for 274 days, AUM 20,000 CNY"),
    (RuleKind.TIER_CHANGE, {"from_tier": "gold", "to_tier": "platinum", "direction": "upgrade"},
     "Upgrade: Tier changed from Gold to Platinum"),
    (RuleKind.TIER_CHANGE, {"from_tier": "private", "to_tier": "diamond",
                            "direction": "downgrade"},
     "Downgrade: Tier changed from Private banking to Diamond"),
    (RuleKind.RISK_REVIEW, {"date": "2025-03-01"}, "Risk assessment valid until Mar 1, 2025"),
    (RuleKind.WELCOME, {"date": "2026-11-28"}, "New customer since Nov 28: welcome call"),
    (RuleKind.SERVICE_CALLBACK, {"subject": "Card blocked"},
     "Call back about the resolved request: Card blocked"),
    (RuleKind.CAMPAIGN, {"title": "Gold week"}, "Promotion: Gold week"),
])
def test_render_note_formats_each_kind(app, templates, kind, params, note):
    with app.test_request_context():
        assert render_note(_task(kind, **params), templates, today=TODAY) == note


def test_render_note_speaks_the_reader_language(app, templates):
    with app.test_request_context(), force_locale("zh_CN"):
        note = render_note(_task(RuleKind.BIRTHDAY, date="2026-12-02"), templates, today=TODAY)
    assert "12月2日" in note


def test_a_template_that_does_not_fit_never_fails(app):
    broken = {RuleKind.BIRTHDAY: "Birthday %(nope)s at 100%", RuleKind.CAMPAIGN: "%(title)d"}
    with app.test_request_context():
        assert render_note(_task(RuleKind.BIRTHDAY, date="2026-12-02"), broken,
                           today=TODAY) == "Birthday %(nope)s at 100%"
        assert render_note(_task(RuleKind.CAMPAIGN, title="x"), broken,
                           today=TODAY) == "%(title)d"
        assert render_note(_task(RuleKind.MATURITY), {}, today=TODAY) == "  CNY matures "


def test_a_template_that_names_the_direction_is_not_prefixed(app):
    custom = {RuleKind.TIER_CHANGE: "%(direction)s to %(to_tier)s"}
    with app.test_request_context():
        assert render_note(_task(RuleKind.TIER_CHANGE, from_tier="gold", to_tier="platinum",
                                 direction="upgrade"), custom, today=TODAY) == "Upgrade to Platinum"
