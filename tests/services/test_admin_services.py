"""Admin rules below the views: effective tier thresholds, yuan parsing, unique-key races."""
import uuid

import pytest
from sqlalchemy import delete, insert, select

from app.admin import services
from app.admin.forms import fen_to_yuan, yuan_to_fen
from app.database import commit_or_conflict
from app.errors import FieldInvalid
from app.models import Tier, TierThreshold, ValueAddedService
from app.tiers import DEFAULT_THRESHOLDS, Threshold, thresholds


@pytest.fixture
def threshold_rows(db):
    """Let a test rewrite the thresholds; the stored rows come back afterwards."""
    rows = [{"tier": r.tier, "min_aum_fen": r.min_aum_fen,
             "contact_interval_days": r.contact_interval_days}
            for r in db.session.scalars(select(TierThreshold))]
    yield
    db.session.rollback()
    db.session.execute(delete(TierThreshold))
    if rows:
        db.session.execute(insert(TierThreshold), rows)
    db.session.commit()


def test_defaults_follow_the_design():
    assert [t.tier for t in DEFAULT_THRESHOLDS.values()] == list(Tier.ALL)
    assert DEFAULT_THRESHOLDS[Tier.GOLD] == Threshold(Tier.GOLD, 50_000_00, 90)
    assert DEFAULT_THRESHOLDS[Tier.PRIVATE] == Threshold(Tier.PRIVATE, 6_000_000_00, 14)
    assert DEFAULT_THRESHOLDS[Tier.MASS].as_row() == {
        "tier": Tier.MASS, "min_aum_fen": 0, "contact_interval_days": None}


def test_thresholds_fall_back_to_defaults_for_missing_rows(db, threshold_rows):
    db.session.execute(delete(TierThreshold))
    db.session.add(TierThreshold(tier=Tier.GOLD, min_aum_fen=80_000_00, contact_interval_days=45))
    db.session.flush()
    effective = thresholds()
    assert list(effective) == list(Tier.ALL)
    assert effective[Tier.GOLD] == Threshold(Tier.GOLD, 80_000_00, 45)
    assert effective[Tier.DIAMOND] == DEFAULT_THRESHOLDS[Tier.DIAMOND]


@pytest.mark.parametrize("text, fen", [
    ("50000", 5_000_000), ("50,000", 5_000_000), ("50 000.5", 5_000_050),
    ("0.01", 1), ("6000000.00", 600_000_000), ("1000000000000", 100_000_000_000_000),
])
def test_yuan_text_is_parsed_to_fen_exactly(text, fen):
    assert yuan_to_fen(text) == fen


@pytest.mark.parametrize("text", ["", "abc", "-1", "1e5", "0.001", "NaN", "Infinity",
                                  "1000000000000.01", "12.3.4", None])
def test_malformed_yuan_text_is_refused(text):
    assert yuan_to_fen(text) is None


def test_fen_is_shown_as_plain_yuan():
    assert fen_to_yuan(5_000_000) == "50000"
    assert fen_to_yuan(5_000_050) == "50000.50"


def test_a_duplicate_found_only_at_commit_becomes_a_form_error(app, db):
    code = f"race{uuid.uuid4().hex[:8]}"
    db.session.add(ValueAddedService(tier=Tier.GOLD, code=code, name="First",
                                     yearly_allowance=1))
    db.session.commit()
    db.session.add(ValueAddedService(tier=Tier.GOLD, code=code, name="Second",
                                     yearly_allowance=1))
    with app.test_request_context(), pytest.raises(FieldInvalid) as error:
        commit_or_conflict(FieldInvalid(services.SERVICE_CODE_TAKEN, "code"))
    assert error.value.field == "code"
    names = db.session.scalars(select(ValueAddedService.name).where(
        ValueAddedService.code == code))
    assert list(names) == ["First"]


def test_a_duplicate_found_at_flush_becomes_a_form_error(app, db):
    code = f"race{uuid.uuid4().hex[:8]}"
    db.session.add(ValueAddedService(tier=Tier.GOLD, code=code, name="First",
                                     yearly_allowance=1))
    db.session.commit()
    duplicate = ValueAddedService(tier=Tier.GOLD, code=code, name="Second", yearly_allowance=1)
    db.session.add(duplicate)
    with app.test_request_context(), pytest.raises(FieldInvalid) as error:
        commit_or_conflict(FieldInvalid(services.SERVICE_CODE_TAKEN, "code"), flush=True)
    assert error.value.field == "code"


def test_branch_tree_puts_children_under_their_parent(db, world):
    tree = [(branch.id, depth) for branch, depth in services.branch_tree()]
    position = {branch_id: i for i, (branch_id, _depth) in enumerate(tree)}
    depth = dict(tree)
    for key, parent in (("branch_a", "head"), ("outlet_a", "branch_a"), ("outlet_b", "branch_b")):
        assert position[world[key].id] > position[world[parent].id]
        assert depth[world[key].id] == depth[world[parent].id] + 1
    assert position[world["outlet_a"].id] < position[world["branch_b"].id]
