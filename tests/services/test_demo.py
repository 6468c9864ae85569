"""Demo data: a consistent bank, valid personal data, idempotent loading, never in production."""
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, func, inspect, select

from app.config import DEFAULT_DATA_KEY
from app.demo import customer_plan, generator, reference, services
from app.demo.names import SURNAMES, NameBook
from app.encryption import Keyring, parse_key
from app.models import (AuditEvent, Branch, BranchKind, Customer, FollowupRule, Holding,
                        Product, ProductCategory, ProductTier, Role, SlaTarget, Staff, Tier,
                        TierHistory, TierThreshold, ValueAddedService)
from app.models.product import RISK_LEVELS
from app.personal_data import id_number_birth_date, is_valid_id_number, is_valid_mobile
from app.tiers import DEFAULT_THRESHOLDS

TODAY = date(2026, 11, 29)
N = 200
KEYS = Keyring(parse_key(DEFAULT_DATA_KEY))


@pytest.fixture
def seeded(db):
    """A demo bank of ``N`` customers, loaded over whatever the database held."""
    result = services.seed_demo(customers=N, reset=True, today=TODAY)
    assert result.seeded
    return result


def rows(db, model):
    return list(db.session.scalars(select(model)))


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_builds_head_office_two_branches_and_four_outlets(db, seeded):
    branches = {b.code: b for b in rows(db, Branch)}
    kinds = Counter(b.kind for b in branches.values())
    assert kinds == {BranchKind.HEAD_OFFICE: 1, BranchKind.BRANCH: 2, BranchKind.OUTLET: 4}
    head = branches["HO"]
    assert head.name == "总行" and head.parent_id is None
    for branch in branches.values():
        if branch.kind == BranchKind.BRANCH:
            assert branch.parent_id == head.id
        if branch.kind == BranchKind.OUTLET:
            assert branch.parent.kind == BranchKind.BRANCH
    assert Counter(b.parent.code for b in branches.values() if b.kind == "outlet") == {
        "PD": 2, "XH": 2}


def test_seed_creates_every_demo_login_with_one_shared_hash(db, seeded):
    staff = {s.username: s for s in rows(db, Staff)}
    assert set(staff) == {"admin", "supervisor1", "supervisor2", "trainer1"} | {
        f"maint{n}" for n in range(1, 9)}
    assert staff["admin"].role == Role.ADMIN
    assert staff["admin"].branch.kind == BranchKind.HEAD_OFFICE
    assert staff["supervisor1"].branch.code == "PD"
    assert staff["supervisor2"].branch.code == "XH"
    assert staff["trainer1"].role == Role.TRAINER
    maintainers = [s for s in staff.values() if s.role == Role.MAINTAINER]
    assert Counter(s.branch.code for s in maintainers) == {
        "PD-LJZ": 2, "PD-ZJ": 2, "XH-XJH": 2, "XH-CHJ": 2}
    assert len({s.password_hash for s in staff.values()}) == 1
    assert len({s.session_token for s in staff.values()}) == len(staff)
    assert all(s.check_password("portal-demo") for s in (staff["admin"], staff["maint8"]))
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in s.display_name) for s in staff.values())
    assert seeded.logins[0][:3] == ("admin", "王立新", Role.ADMIN)


def test_products_cover_every_category_and_risk_level_with_windows(db, seeded):
    products = rows(db, Product)
    assert len(products) >= 20
    assert {p.category for p in products} == set(ProductCategory.ALL)
    assert {p.risk_level for p in products} == set(RISK_LEVELS)
    ended = [p for p in products if p.on_sale_until and p.on_sale_until < TODAY]
    ending = [p for p in products if p.on_sale_until and p.on_sale_until >= TODAY]
    assert len(ended) >= 2 and ending
    assert all(p.on_sale_from < TODAY for p in products)
    assert any(p.term_days for p in products) and any(p.indicative_yield_bp for p in products)
    offered = {(t.product_id, t.tier) for t in rows(db, ProductTier)}
    assert all(any((p.id, tier) in offered for tier in Tier.ALL) for p in products)
    assert {tier for _id, tier in offered} == set(Tier.ALL)


def test_thresholds_and_richer_services_for_higher_tiers(db, seeded):
    stored = {t.tier: (t.min_aum_fen, t.contact_interval_days) for t in rows(db, TierThreshold)}
    assert stored == {tier: (t.min_aum_fen, t.contact_interval_days)
                      for tier, t in DEFAULT_THRESHOLDS.items()}
    per_tier = Counter(s.tier for s in rows(db, ValueAddedService))
    assert [per_tier[tier] for tier in Tier.ALL] == sorted(per_tier[tier] for tier in Tier.ALL)
    assert per_tier[Tier.PRIVATE] > per_tier[Tier.GOLD]
    lounge = {s.tier: s.yearly_allowance for s in rows(db, ValueAddedService)
              if s.code == "airport_lounge"}
    assert lounge[Tier.PRIVATE] > lounge[Tier.PLATINUM]


def test_thresholds_head_office_changed_are_kept(db):
    services.delete_everything()
    db.session.execute(delete(TierThreshold).where(TierThreshold.tier != Tier.GOLD))
    db.session.get(TierThreshold, Tier.GOLD).min_aum_fen = 80_000_00
    db.session.commit()
    result = services.seed_demo(customers=50, today=TODAY)
    assert result.counts["tier_thresholds_added"] == 4
    assert db.session.get(TierThreshold, Tier.GOLD).min_aum_fen == 80_000_00
    gold = rows(db, Customer)
    assert all(c.aum_fen >= 80_000_00 for c in gold if c.tier == Tier.GOLD)


def test_every_id_number_is_valid_unique_and_matches_birth_date_and_gender(db, seeded):
    customers = rows(db, Customer)
    assert len(customers) == N
    assert len({c.id_number for c in customers}) == N
    for c in customers:
        assert is_valid_id_number(c.id_number), c.id_number
        assert id_number_birth_date(c.id_number) == c.birth_on
        assert (int(c.id_number[16]) % 2 == 1) == (c.gender == "M")
        assert c.birth_mmdd == f"{c.birth_on:%m-%d}"
        assert date(1940, 1, 1) <= c.birth_on <= date(2005, 12, 31)
    assert any(c.birth_mmdd == "02-29" for c in customers)


def test_mobiles_and_customer_numbers_are_valid_and_unique(db, seeded):
    customers = rows(db, Customer)
    assert len({c.mobile for c in customers}) == N
    assert len({c.customer_number for c in customers}) == N
    for c in customers:
        assert is_valid_mobile(c.mobile) and c.mobile[:2] in ("13", "15", "17", "18", "19")
        assert c.mobile_last4 == c.mobile[-4:]
        assert len(c.customer_number) == 11 and c.customer_number[0] == "C"
        assert c.customer_number[1:].isdigit()
        assert 2 <= len(c.name) <= 4


def test_tiers_agree_with_aum_and_thresholds(db, seeded):
    floors = sorted((t.min_aum_fen, t.tier) for t in rows(db, TierThreshold))
    for c in rows(db, Customer):
        expected = [tier for floor, tier in floors if c.aum_fen >= floor][-1]
        assert c.tier == expected, (c.customer_number, c.aum_fen, c.tier)
    assert count(db, TierHistory) > 0
    for history in rows(db, TierHistory):
        customer = db.session.get(Customer, history.customer_id)
        assert history.to_tier == customer.tier != Tier.MASS
        assert history.reason == "seed"
        assert customer.onboarded_on <= history.changed_on <= TODAY


def test_holdings_sum_to_aum_and_suit_the_customer(db, seeded):
    sums = dict(db.session.execute(
        select(Holding.customer_id, func.sum(Holding.amount_fen))
        .group_by(Holding.customer_id)).all())
    offered = {(t.product_id, t.tier) for t in rows(db, ProductTier)}
    products = {p.id: p for p in rows(db, Product)}
    for c in rows(db, Customer):
        assert sums.get(c.id, 0) == c.aum_fen
        assert (c.aum_fen == 0) == (c.status == "closed")
    for h in rows(db, Holding):
        product = products[h.product_id]
        customer = h.customer
        assert h.amount_fen > 0
        assert (h.product_id, customer.tier) in offered
        assert product.category not in (ProductCategory.LOAN, ProductCategory.CARD)
        assert int(product.risk_level[1]) <= int((customer.risk_level or "C1")[1])
        assert customer.onboarded_on <= h.opened_on <= TODAY
        assert (h.matures_on is None) == (product.term_days is None)
        if h.matures_on:
            assert h.matures_on > TODAY
            assert h.matures_on - h.opened_on == timedelta(days=product.term_days)
    references = [h.reference for h in rows(db, Holding)]
    assert len(references) == len(set(references))


def test_a_share_of_term_holdings_matures_within_six_months(db, seeded):
    term = [h for h in rows(db, Holding) if h.matures_on]
    soon = [h for h in term if h.matures_on <= TODAY + timedelta(days=183)]
    assert 0.15 < len(soon) / len(term) < 0.5


def test_each_customer_sits_in_an_outlet_with_one_of_its_maintainers(db, seeded):
    for c in rows(db, Customer):
        assert c.branch.kind == BranchKind.OUTLET
        if c.maintainer is not None:
            assert c.maintainer.role == Role.MAINTAINER
            assert c.maintainer.branch_id == c.branch_id


def test_dates_and_statuses_exercise_the_follow_up_rules(db, seeded):
    customers = rows(db, Customer)
    assert any(c.onboarded_on >= TODAY - timedelta(days=7) for c in customers)
    assert any(c.risk_level and not c.risk_assessment_valid_on(TODAY) for c in customers)
    assert any(c.risk_assessment_valid_on(TODAY) for c in customers)
    assert any(c.last_contact_on is None for c in customers)
    assert Counter(c.status for c in customers)["active"] > N * 0.8
    assert all(c.onboarded_on <= TODAY for c in customers)
    assert all(c.last_contact_on is None or c.onboarded_on <= c.last_contact_on <= TODAY
               for c in customers)
    assert sum(c.marketing_consent for c in customers) > N / 2


def test_tiers_are_spread_mostly_mass(db):
    services.seed_demo(customers=3000, reset=True, today=TODAY)
    tiers = Counter(db.session.scalars(select(Customer.tier)))
    assert 0.74 < tiers[Tier.MASS] / 3000 < 0.86
    assert 0.11 < tiers[Tier.GOLD] / 3000 < 0.19
    assert tiers[Tier.PLATINUM] > tiers[Tier.DIAMOND] > 0
    assert count(db, Customer) - db.session.scalar(
        select(func.count()).select_from(Customer).where(Customer.maintainer_id.isnot(None))) > 0


def test_reset_replaces_everything_cleanly(db, seeded, make_branch):
    make_branch(code="EXTRA")
    db.session.add(AuditEvent(action="something.else", detail={}))
    db.session.commit()
    result = services.seed_demo(customers=30, reset=True, today=TODAY)
    assert result.seeded and result.counts["customers"] == 30
    assert count(db, Customer) == 30 and count(db, Branch) == 7 and count(db, Staff) == 12
    assert db.session.scalar(select(Branch).where(Branch.code == "EXTRA")) is None
    assert [e.action for e in rows(db, AuditEvent)][-1] == "demo.seeded"
    assert not any(e.action == "something.else" for e in rows(db, AuditEvent))
    assert count(db, TierThreshold) == 5


def test_reset_keeps_head_office_settings(db, seeded):
    rule = db.session.get(FollowupRule, "birthday")
    rule.lead_days = 11
    db.session.commit()
    services.seed_demo(customers=10, reset=True, today=TODAY)
    assert count(db, FollowupRule) == 9 and db.session.get(FollowupRule, "birthday").lead_days == 11
    assert count(db, SlaTarget) == 20


def test_seeding_again_without_reset_changes_nothing(db, seeded):
    before = (count(db, Customer), count(db, Holding), count(db, Staff))
    result = services.seed_demo(customers=N, today=TODAY)
    assert not result.seeded and result.reason == "demo"
    assert (count(db, Customer), count(db, Holding), count(db, Staff)) == before


def test_other_data_is_left_alone_without_reset(db, make_branch):
    services.delete_everything()
    make_branch(code="REAL")
    db.session.commit()
    result = services.seed_demo(customers=N, today=TODAY)
    assert not result.seeded and result.reason == "other"
    assert count(db, Branch) == 1 and count(db, Customer) == 0


def test_new_records_after_seeding_get_fresh_ids(db, seeded, make_branch, make_customer):
    branch = make_branch(kind=BranchKind.OUTLET)
    customer = make_customer(branch=branch)
    assert branch.id > 7 and customer.id > N


def test_deferred_indexes_are_rebuilt_after_the_load(db):
    def indexes():
        inspector = inspect(db.session.connection())
        return {table: {i["name"] for i in inspector.get_indexes(table)}
                for table in services.BULK_TABLES}

    before = indexes()
    assert "ix_customer_name" in before["customer"]
    result = services.seed_demo(customers=40, reset=True, today=TODAY, defer_indexes=True,
                                block_size=15)
    assert result.counts["customers"] == 40
    assert indexes() == before


# --- the command ----------------------------------------------------------------------------


def test_command_loads_then_prints_summary_and_logins(runner, db):
    services.delete_everything()
    db.session.commit()
    result = runner.invoke(args=["seed-demo", "--customers", "25"])
    assert result.exit_code == 0, result.output
    assert "Customers" in result.stdout and "25" in result.stdout
    assert "Demo logins (password: portal-demo):" in result.stdout
    assert "maint8" in result.stdout and "陆家嘴支行" in result.stdout
    assert count(db, Customer) == 25


def test_command_without_reset_on_loaded_data_says_so_and_exits_0(runner, db, seeded):
    result = runner.invoke(args=["seed-demo", "--customers", "10"])
    assert result.exit_code == 0
    assert "Demo data is already loaded; nothing changed" in result.stdout
    assert count(db, Customer) == N


def test_command_with_reset_reseeds(runner, db, seeded):
    result = runner.invoke(args=["seed-demo", "--customers", "10", "--reset"])
    assert result.exit_code == 0, result.output
    assert count(db, Customer) == 10 and count(db, Staff) == 12


def test_command_refuses_under_production_configuration(app, runner, db):
    services.delete_everything()
    app.config["IS_PRODUCTION"] = True
    try:
        result = runner.invoke(args=["seed-demo", "--customers", "10", "--reset"])
    finally:
        app.config["IS_PRODUCTION"] = False
    assert result.exit_code == 1
    assert "Refusing to load demo data under the production configuration." in result.output
    assert count(db, Customer) == 0 and count(db, Staff) == 0


def test_service_refuses_under_production_configuration(app, db):
    app.config["IS_PRODUCTION"] = True
    try:
        with app.test_request_context(), pytest.raises(services.SeedRefused):
            services.seed_demo(customers=1, reset=True)
    finally:
        app.config["IS_PRODUCTION"] = False


def test_command_rejects_a_bad_customer_count(runner, db):
    services.delete_everything()
    result = runner.invoke(args=["seed-demo", "--customers", "-5"])
    assert result.exit_code == 2
    assert "Invalid value for '--customers'" in result.output
    assert count(db, Staff) == 0


@pytest.mark.parametrize("username", ["admin", "supervisor2", "trainer1", "maint5"])
def test_demo_logins_log_in_with_the_demo_password(client, db, seeded, username):
    response = client.post_form("/login", {"username": username, "password": "portal-demo"})
    assert response.status_code == 302, response.get_data(as_text=True)
    home = client.get("/")
    assert home.status_code == 200 or "/login" not in home.headers["Location"]


# --- the generator --------------------------------------------------------------------------


def _plan(count, seed=7, block_size=100):
    branches = reference.branch_rows()
    staff = reference.staff_rows(branches, "hash", lambda: "token")
    products, offered = reference.product_rows(TODAY)
    outlets = tuple((b["id"], tuple(s["id"] for s in staff if s["branch_id"] == b["id"]))
                    for b in branches if b["kind"] == BranchKind.OUTLET)
    thresholds = {t: (v.min_aum_fen, v.contact_interval_days)
                  for t, v in DEFAULT_THRESHOLDS.items()}
    return customer_plan.CustomerPlan(seed=seed, count=count, today=TODAY, thresholds=thresholds,
                                      outlets=outlets, products=tuple(products),
                                      product_tiers=tuple(offered), block_size=block_size,
                                      keyring=KEYS)


def _clear(rows):
    """Return customer rows with the ID number decrypted (each encryption has its own nonce)."""
    at = customer_plan.CUSTOMER_COLUMNS.index("id_number_enc")
    return [row[:at] + (KEYS.decrypt(row[at]),) + row[at + 1:] for row in rows]


def _generate(plan, processes=0):
    customers, holdings = [], []
    for chunk in services.generate_blocks(plan, processes):
        customers.extend(_clear(chunk.customers))
        holdings.extend(chunk.holdings)
    return customers, holdings


def test_generation_is_deterministic_for_a_seed():
    first = _generate(_plan(500))
    assert len(first[0]) == 500
    assert _generate(_plan(500)) == first
    assert _generate(_plan(500, seed=8)) != first


def test_worker_processes_generate_the_same_rows():
    plan = _plan(300, block_size=60)
    assert _generate(plan, processes=2) == _generate(plan)


def test_blocks_can_be_generated_in_any_order():
    factory = generator.CustomerFactory(_plan(300))
    last, first = factory.block(2), factory.block(0)
    again = generator.CustomerFactory(_plan(300))
    assert _clear(first.customers) == _clear(again.block(0).customers)
    assert _clear(last.customers) == _clear(again.block(2).customers)
    assert (first.holdings, last.holdings) == (again.block(0).holdings, again.block(2).holdings)


def test_id_numbers_and_mobiles_stay_unique_at_scale():
    plan = _plan(60_000, block_size=2_000)
    columns = customer_plan.CUSTOMER_COLUMNS
    ids, mobiles = set(), set()
    for chunk in generator.CustomerFactory(plan).chunks():
        ids.update(row[columns.index("id_number_hash")] for row in chunk.customers)
        mobiles.update(row[columns.index("mobile")] for row in chunk.customers)
    assert len(ids) == len(mobiles) == 60_000


def test_seeding_with_a_worker_process_inside_the_transaction(db):
    result = services.seed_demo(customers=120, reset=True, today=TODAY, block_size=40,
                                processes=1)
    assert result.counts["customers"] == 120
    assert db.session.scalar(select(func.count(func.distinct(Customer.mobile)))) == 120
    assert count(db, Holding) == result.counts["holdings"] > 120


def test_too_many_blocks_are_refused():
    with pytest.raises(ValueError):
        generator.CustomerFactory(_plan(1000, block_size=1))


def test_names_follow_surname_frequencies_and_gender():
    import random

    book = NameBook()
    rng = random.Random(1)
    assert len(SURNAMES) >= 60
    surnames = Counter(book.surname(rng) for _ in range(20_000))
    assert surnames.most_common(3)[0][0] in ("王", "李")
    assert surnames["王"] > surnames["郭"] > surnames["诸葛"]
    male = {book.given_name(rng, True, 1960)[-1] for _ in range(2000)}
    female = {book.given_name(rng, False, 1995)[-1] for _ in range(2000)}
    assert "芳" not in male and "军" not in female
    assert all(1 <= len(book.given_name(rng, True, 2000)) <= 2 for _ in range(200))
