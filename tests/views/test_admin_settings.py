"""Head-office settings: tier thresholds and the value-added services of each tier."""
import pytest
from sqlalchemy import delete, insert, select

from app.models import AuditEvent, Tier, TierThreshold, ValueAddedService
from app.tiers import DEFAULT_THRESHOLDS, thresholds


def events(db, action, actor):
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.actor_id == actor.id)))


@pytest.fixture
def keep_thresholds(db):
    """Put the stored thresholds back after the test, whatever it changed."""
    rows = [{"tier": r.tier, "min_aum_fen": r.min_aum_fen,
             "contact_interval_days": r.contact_interval_days}
            for r in db.session.scalars(select(TierThreshold))]
    yield rows
    db.session.rollback()
    db.session.execute(delete(TierThreshold))
    if rows:
        db.session.execute(insert(TierThreshold), rows)
    db.session.commit()


def tier_form(**overrides):
    data = {"mass_interval": "", "gold_min_aum": "50,000", "gold_interval": "90",
            "platinum_min_aum": "500000", "platinum_interval": "60",
            "diamond_min_aum": "2000000", "diamond_interval": "30",
            "private_min_aum": "6000000", "private_interval": "14"}
    data.update(overrides)
    return data


def stored(db):
    return {r.tier: (r.min_aum_fen, r.contact_interval_days)
            for r in db.session.scalars(select(TierThreshold))}


def service_form(world, **overrides):
    data = {"tier": Tier.PRIVATE, "code": f"lounge{world['admin'].id}", "name": "Airport lounge",
            "yearly_allowance": "6"}
    data.update(overrides)
    return data


def make_service(db, world, **fields):
    values = {"tier": Tier.DIAMOND, "code": f"check{world['admin'].id}",
              "name": "Health check", "yearly_allowance": 1}
    values.update(fields)
    service = ValueAddedService(**values)
    db.session.add(service)
    db.session.flush()
    return service


SETTINGS_GETS = ["/admin/tiers", "/admin/services", "/admin/services/new",
                 "/admin/services/{id}"]
SETTINGS_POSTS = ["/admin/tiers", "/admin/services/new", "/admin/services/{id}",
                  "/admin/services/{id}/deactivate", "/admin/services/{id}/reactivate"]


@pytest.mark.parametrize("role", ["supervisor_a", "trainer_a", "maint_a"])
@pytest.mark.parametrize("url", SETTINGS_GETS)
def test_other_roles_cannot_open_settings(login_as, world, db, role, url):
    service = make_service(db, world)
    assert login_as(world[role]).get(url.format(id=service.id)).status_code == 403


@pytest.mark.parametrize("role", ["supervisor_a", "trainer_a", "maint_a"])
@pytest.mark.parametrize("url", SETTINGS_POSTS)
def test_other_roles_cannot_change_settings(login_as, world, db, keep_thresholds, role, url):
    service = make_service(db, world)
    before = stored(db)
    response = login_as(world[role]).post_form(url.format(id=service.id), {
        **tier_form(gold_min_aum="60000"), **service_form(world, name="Changed")})
    assert response.status_code == 403
    db.session.refresh(service)
    assert service.name == "Health check" and service.active
    assert stored(db) == before


@pytest.mark.parametrize("url", SETTINGS_POSTS)
def test_settings_posts_without_csrf_token_are_refused(login_as, world, db, keep_thresholds,
                                                       url):
    client = login_as(world["admin"])
    service = make_service(db, world)
    before = stored(db)
    response = client.post(url.format(id=service.id), data={
        **tier_form(gold_min_aum="60000"), **service_form(world, name="Changed")})
    assert response.status_code == 400
    db.session.refresh(service)
    assert service.name == "Health check" and service.active
    assert stored(db) == before


# --- tier thresholds ---------------------------------------------------------------------

def test_tier_page_shows_thresholds_in_yuan(login_as, world, keep_thresholds):
    page = login_as(world["admin"]).get("/admin/tiers").get_data(as_text=True)
    current = thresholds()
    assert f'value="{current[Tier.GOLD].min_aum_fen // 100}"' in page
    assert "Private banking" in page


def test_saving_thresholds_stores_fen_and_audits_the_changes(login_as, world, db,
                                                             keep_thresholds):
    client = login_as(world["admin"])
    db.session.execute(delete(TierThreshold))
    db.session.execute(insert(TierThreshold), [t.as_row() for t in DEFAULT_THRESHOLDS.values()])
    response = client.post_form("/admin/tiers", tier_form(
        gold_min_aum="60,000.50", diamond_interval="21"))
    assert response.status_code == 302
    assert stored(db)[Tier.GOLD] == (6_000_050, 90)
    assert stored(db)[Tier.DIAMOND] == (2_000_000_00, 21)
    assert stored(db)[Tier.MASS] == (0, None)
    [event] = events(db, "tier_thresholds.updated", world["admin"])
    assert event.detail == {
        "before": {"gold.min_aum_fen": 5_000_000, "diamond.contact_interval_days": 30},
        "after": {"gold.min_aum_fen": 6_000_050, "diamond.contact_interval_days": 21}}


def test_empty_threshold_table_shows_defaults_and_save_creates_the_rows(login_as, world, db,
                                                                        keep_thresholds):
    client = login_as(world["admin"])
    db.session.execute(delete(TierThreshold))
    db.session.flush()
    page = client.get("/admin/tiers").get_data(as_text=True)
    assert 'value="6000000"' in page and 'value="14"' in page
    assert client.post_form("/admin/tiers", tier_form(mass_interval="365")).status_code == 302
    rows = stored(db)
    assert set(rows) == set(Tier.ALL)
    assert rows[Tier.MASS] == (0, 365)
    assert rows[Tier.PRIVATE] == (6_000_000_00, 14)


def test_saving_unchanged_thresholds_writes_no_event(login_as, world, db, keep_thresholds):
    client = login_as(world["admin"])
    db.session.execute(delete(TierThreshold))
    db.session.execute(insert(TierThreshold), [t.as_row() for t in DEFAULT_THRESHOLDS.values()])
    assert client.post_form("/admin/tiers", tier_form()).status_code == 302
    assert not events(db, "tier_thresholds.updated", world["admin"])


@pytest.mark.parametrize("overrides, message", [
    ({"platinum_min_aum": "50000"}, "Platinum must start above Gold (50,000 CNY)"),
    ({"private_min_aum": "1000000"}, "Private banking must start above Diamond"),
    ({"gold_min_aum": "0"}, "Gold must start above Mass (0 CNY)"),
    ({"gold_min_aum": "abc"}, "Enter an amount in yuan"),
    ({"gold_min_aum": "-5"}, "Enter an amount in yuan"),
    ({"gold_min_aum": "1e5"}, "Enter an amount in yuan"),
    ({"gold_min_aum": "50000.123"}, "Enter an amount in yuan"),
    ({"gold_min_aum": "NaN"}, "Enter an amount in yuan"),
    ({"diamond_min_aum": "99999999999999999999"}, "Enter an amount in yuan"),
    ({"gold_min_aum": ""}, "This field is required"),
    ({"gold_interval": ""}, "This field is required"),
    ({"gold_interval": "0"}, "between 1 and 365"),
    ({"mass_interval": "400"}, "between 1 and 365"),
    ({"private_interval": "soon"}, "Not a valid integer"),
])
def test_bad_thresholds_show_an_error_and_change_nothing(login_as, world, db, keep_thresholds,
                                                         overrides, message):
    client = login_as(world["admin"])
    before = stored(db)
    response = client.post_form("/admin/tiers", tier_form(**overrides))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert stored(db) == before
    assert not events(db, "tier_thresholds.updated", world["admin"])


# --- value-added services ----------------------------------------------------------------

def test_services_are_listed_by_tier(login_as, world, db):
    make_service(db, world, name="Annual health check")
    make_service(db, world, tier=Tier.GOLD, code=f"gift{world['admin'].id}",
                 name="Birthday gift", active=False)
    page = login_as(world["admin"]).get("/admin/services").get_data(as_text=True)
    assert page.index("Gold") < page.index("Birthday gift") < page.index("Diamond")
    assert page.index("Diamond") < page.index("Annual health check")
    assert "Withdrawn" in page


def test_admin_creates_a_service(login_as, world, db):
    client = login_as(world["admin"])
    response = client.post_form("/admin/services/new", service_form(world))
    assert response.status_code == 302
    service = db.session.scalar(select(ValueAddedService).where(
        ValueAddedService.code == f"lounge{world['admin'].id}"))
    assert (service.tier, service.yearly_allowance, service.active) == (Tier.PRIVATE, 6, True)
    [event] = events(db, "value_added_service.created", world["admin"])
    assert event.object_id == str(service.id) and event.detail["tier"] == Tier.PRIVATE


def test_same_code_may_serve_another_tier_but_not_the_same_one(login_as, world, db):
    client = login_as(world["admin"])
    existing = make_service(db, world, tier=Tier.PRIVATE)
    response = client.post_form("/admin/services/new", service_form(
        world, code=existing.code.upper()))
    assert "already has a service with this code" in response.get_data(as_text=True)
    response = client.post_form("/admin/services/new", service_form(
        world, tier=Tier.GOLD, code=existing.code))
    assert response.status_code == 302


@pytest.mark.parametrize("overrides, message", [
    ({"yearly_allowance": "366"}, "between 0 and 365"),
    ({"yearly_allowance": "-1"}, "between 0 and 365"),
    ({"yearly_allowance": "lots"}, "Not a valid integer"),
    ({"tier": "bronze"}, "Not a valid choice"),
    ({"code": "air lounge"}, "Use letters, digits"),
    ({"name": ""}, "This field is required"),
])
def test_bad_service_input_shows_an_error_and_creates_nothing(login_as, world, db, overrides,
                                                              message):
    client = login_as(world["admin"])
    response = client.post_form("/admin/services/new", service_form(world, **overrides))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert not events(db, "value_added_service.created", world["admin"])


def test_editing_a_service_records_before_and_after(login_as, world, db):
    client = login_as(world["admin"])
    service = make_service(db, world)
    assert client.get(f"/admin/services/{service.id}").status_code == 200
    response = client.post_form(f"/admin/services/{service.id}", {
        "name": "Full health check", "yearly_allowance": "2"})
    assert response.status_code == 302
    db.session.refresh(service)
    assert (service.name, service.yearly_allowance) == ("Full health check", 2)
    [event] = events(db, "value_added_service.updated", world["admin"])
    assert event.detail["after"] == {"name": "Full health check", "yearly_allowance": 2}


def test_bad_service_edit_changes_nothing(login_as, world, db):
    client = login_as(world["admin"])
    service = make_service(db, world)
    response = client.post_form(f"/admin/services/{service.id}", {
        "name": "Renamed", "yearly_allowance": "999"})
    assert response.status_code == 200
    db.session.refresh(service)
    assert (service.name, service.yearly_allowance) == ("Health check", 1)


def test_withdrawing_and_offering_a_service_again_is_audited(login_as, world, db):
    client = login_as(world["admin"])
    service = make_service(db, world)
    assert client.post_form(f"/admin/services/{service.id}/deactivate").status_code == 302
    db.session.refresh(service)
    assert not service.active
    assert client.post_form(f"/admin/services/{service.id}/reactivate").status_code == 302
    db.session.refresh(service)
    assert service.active
    assert len(events(db, "value_added_service.deactivated", world["admin"])) == 1
    assert len(events(db, "value_added_service.reactivated", world["admin"])) == 1


def test_unknown_service_is_not_found(login_as, world):
    client = login_as(world["admin"])
    assert client.get("/admin/services/999999").status_code == 404
    assert client.post_form("/admin/services/999999/deactivate").status_code == 404
