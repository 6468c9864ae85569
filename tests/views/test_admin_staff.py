"""Head-office staff administration: list, create, edit, deactivate, reactivate, reset password."""
import pytest
from sqlalchemy import func, select

from app.clock import utcnow
from app.models import AuditEvent, Role, Staff

from ..helpers import PASSWORD

NEW_PASSWORD = "another-long-secret"
ACCOUNT_PAGE = "/account/password"  # any role may open it while logged in


def events(db, action, actor):
    """The ``action`` events written by ``actor`` (each test has its own staff)."""
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.actor_id == actor.id)))


def new_username(world):
    """A username no other test uses."""
    return f"li.na{world['admin'].id}"


def new_staff_form(branch, name, **overrides):
    data = {"username": name, "display_name": "Li Na", "role": Role.MAINTAINER,
            "branch_id": str(branch.id), "daily_capacity": "30", "password": NEW_PASSWORD,
            "repeat": NEW_PASSWORD}
    data.update(overrides)
    return data


def edit_form(staff, **overrides):
    data = {"display_name": staff.display_name, "role": staff.role,
            "branch_id": str(staff.branch_id), "daily_capacity": str(staff.daily_capacity)}
    data.update(overrides)
    return data


def log_in_second_client(app, staff):
    other = app.test_client()
    response = other.post_form("/login", {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 302
    assert other.get(ACCOUNT_PAGE).status_code == 200
    return other


STAFF_GETS = ["/admin/staff", "/admin/staff/new", "/admin/staff/{id}"]
STAFF_POSTS = ["/admin/staff/new", "/admin/staff/{id}", "/admin/staff/{id}/password",
               "/admin/staff/{id}/deactivate", "/admin/staff/{id}/reactivate"]


@pytest.mark.parametrize("role", ["supervisor_a", "trainer_a", "maint_a"])
@pytest.mark.parametrize("url", STAFF_GETS)
def test_other_roles_cannot_open_staff_pages(login_as, world, role, url):
    client = login_as(world[role])
    assert client.get(url.format(id=world["maint_b"].id)).status_code == 403


@pytest.mark.parametrize("role", ["supervisor_a", "trainer_a", "maint_a"])
@pytest.mark.parametrize("url", STAFF_POSTS)
def test_other_roles_cannot_change_staff(login_as, world, db, role, url):
    client = login_as(world[role])
    target = world["maint_b"]
    response = client.post_form(url.format(id=target.id), edit_form(target, display_name="X"))
    assert response.status_code == 403
    db.session.refresh(target)
    assert target.display_name != "X" and target.active


@pytest.mark.parametrize("url", STAFF_POSTS)
def test_staff_posts_without_csrf_token_are_refused(login_as, world, db, url):
    client = login_as(world["admin"])
    target = world["maint_b"]
    data = new_staff_form(world["branch_b"], new_username(world))
    response = client.post(url.format(id=target.id), data=data)
    assert response.status_code == 400
    admin = world["admin"]
    assert not events(db, "staff.created", admin) and not events(db, "staff.updated", admin)
    assert not events(db, "staff.deactivated", admin)
    assert not events(db, "staff.password_reset", admin)
    db.session.refresh(target)
    assert target.active


def test_anonymous_visitor_is_sent_to_login(client, world):
    response = client.get("/admin/staff")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_admin_sees_every_staff_member(login_as, world):
    client = login_as(world["admin"])
    page = client.get("/admin/staff").get_data(as_text=True)
    assert 'href="/admin/branches"' in page and 'href="/admin/tiers"' in page  # sub-navigation
    for key in ("admin", "supervisor_a", "supervisor_b", "trainer_a", "maint_a", "maint_b"):
        username = world[key].username
        assert username in client.get(f"/admin/staff?q={username}").get_data(as_text=True)


def test_staff_list_filters_by_branch_role_and_status(login_as, world, db):
    client = login_as(world["admin"])
    world["maint_a2"].active = False
    db.session.flush()
    page = client.get(f"/admin/staff?branch={world['branch_a'].id}").get_data(as_text=True)
    assert world["supervisor_a"].username in page and world["maint_b"].username not in page
    for branch in ("branch_a", "outlet_a"):
        url = f"/admin/staff?branch={world[branch].id}&role=maintainer&active=1"
        page = client.get(url).get_data(as_text=True)
        assert world["maint_a2"].username not in page
        assert world["supervisor_a"].username not in page
    assert world["maint_a"].username in page
    page = client.get(f"/admin/staff?branch={world['branch_a'].id}&active=0").get_data(
        as_text=True)
    assert world["maint_a2"].username in page and world["supervisor_a"].username not in page


def test_staff_list_filter_is_a_fragment_for_htmx(login_as, world):
    response = login_as(world["admin"]).get_htmx(f"/admin/staff?q={world['maint_b'].username}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in page
    assert world["maint_b"].username in page and world["maint_a"].username not in page


def test_staff_list_pages_by_username(login_as, world, app):
    client = login_as(world["admin"])
    branch = world["branch_a"].id
    names = sorted(world[key].username for key in ("supervisor_a", "trainer_a", "maint_a2"))
    app.config["PAGE_SIZE"] = 2
    try:
        first = client.get(f"/admin/staff?branch={branch}").get_data(as_text=True)
        assert names[0] in first and names[1] in first and names[2] not in first
        assert f"after={names[1]}" in first
        second = client.get_htmx(f"/admin/staff?branch={branch}&after={names[1]}")
        second = second.get_data(as_text=True)
        assert names[2] in second and names[0] not in second and "<html" not in second
    finally:
        app.config["PAGE_SIZE"] = 50


def test_staff_search_treats_wildcards_as_text(login_as, world):
    page = login_as(world["admin"]).get_htmx(f"/admin/staff?branch={world['branch_a'].id}&q=%25")
    text = page.get_data(as_text=True)
    assert world["supervisor_a"].username not in text
    assert "No staff member matches these filters." in text


def test_staff_list_ignores_bad_filters(login_as, world):
    username = world["maint_a"].username
    response = login_as(world["admin"]).get(f"/admin/staff?q={username}&branch=abc&role=boss"
                                            "&active=9&after=x")
    assert response.status_code == 200
    assert username in response.get_data(as_text=True)


@pytest.mark.parametrize("branch", ["%20", "%20%20", "1.5", "-1", "99999999999999999999"])
def test_staff_list_ignores_a_blank_or_odd_branch_filter(login_as, world, branch):
    username = world["maint_a"].username
    response = login_as(world["admin"]).get(f"/admin/staff?q={username}&branch={branch}")
    assert response.status_code == 200
    assert username in response.get_data(as_text=True)


def test_admin_creates_staff_member_who_can_log_in(login_as, world, db, app):
    client = login_as(world["admin"])
    username = new_username(world)
    response = client.post_form("/admin/staff/new", new_staff_form(world["outlet_a"], username))
    assert response.status_code == 302
    staff = db.session.scalar(select(Staff).where(Staff.username == username))
    assert response.headers["Location"] == f"/admin/staff/{staff.id}"
    assert staff.role == Role.MAINTAINER and staff.daily_capacity == 30
    assert staff.check_password(NEW_PASSWORD)
    [event] = events(db, "staff.created", world["admin"])
    assert event.object_id == str(staff.id) and event.branch_id == world["outlet_a"].id
    assert event.detail["username"] == username
    assert NEW_PASSWORD not in str(event.detail) and "hash" not in str(event.detail)
    other = app.test_client()
    assert other.post_form("/login", {"username": username,
                                      "password": NEW_PASSWORD}).status_code == 302


def test_username_is_unique_whatever_its_case(login_as, world, db):
    client = login_as(world["admin"])
    username = new_username(world)
    world["maint_b"].username = username.replace("li.na", "Li.Na")
    db.session.flush()
    response = client.post_form("/admin/staff/new", new_staff_form(world["outlet_a"], username))
    assert response.status_code == 200
    assert "already taken" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Staff).where(
        func.lower(Staff.username) == username)) == 1
    assert not events(db, "staff.created", world["admin"])


@pytest.mark.parametrize("overrides, message", [
    ({"username": "Li Na"}, "Use lowercase letters"),
    ({"username": ""}, "This field is required"),
    ({"password": "short", "repeat": "short"}, "between 10 and 200"),
    ({"repeat": "something-else"}, "The two passwords differ"),
    ({"daily_capacity": "0"}, "between 1 and 200"),
    ({"daily_capacity": "201"}, "between 1 and 200"),
    ({"daily_capacity": "many"}, "Not a valid integer"),
    ({"role": "boss"}, "Not a valid choice"),
    ({"branch_id": "abc"}, "This field is required"),
    ({"branch_id": "999999"}, "Not a valid choice"),
])
def test_bad_new_staff_input_shows_an_error_and_creates_nothing(login_as, world, db,
                                                                overrides, message):
    client = login_as(world["admin"])
    username = new_username(world)
    response = client.post_form("/admin/staff/new", new_staff_form(world["outlet_a"], username,
                                                                   **overrides))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(Staff).where(Staff.username == username)) is None
    assert not events(db, "staff.created", world["admin"])


def test_staff_cannot_join_a_closed_branch(login_as, world, db):
    client = login_as(world["admin"])
    world["outlet_b"].active = False
    db.session.flush()
    response = client.post_form("/admin/staff/new", new_staff_form(world["outlet_b"],
                                                                   new_username(world)))
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert not events(db, "staff.created", world["admin"])


def test_admin_role_needs_the_head_office(login_as, world, db):
    client = login_as(world["admin"])
    response = client.post_form("/admin/staff/new", new_staff_form(
        world["branch_a"], new_username(world), role=Role.ADMIN))
    assert "must belong to the head office" in response.get_data(as_text=True)
    assert not events(db, "staff.created", world["admin"])


def test_staff_page_shows_details_for_an_admin(login_as, world, make_customer):
    make_customer(maintainer=world["maint_a"])
    page = login_as(world["admin"]).get(f"/admin/staff/{world['maint_a'].id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert world["maint_a"].display_name in text
    assert "looks after 1 customer." in text


def test_unknown_staff_member_is_not_found(login_as, world):
    client = login_as(world["admin"])
    assert client.get("/admin/staff/999999").status_code == 404
    assert client.post_form("/admin/staff/999999/deactivate").status_code == 404


@pytest.mark.parametrize("url", ["/admin/staff/99999999999999", "/admin/staff/0",
                                 "/admin/branches/99999999999999",
                                 "/admin/services/99999999999999"])
def test_impossible_ids_are_not_found(login_as, world, url):
    assert login_as(world["admin"]).get(url).status_code == 404


def test_nul_characters_in_input_are_refused(login_as, world, db):
    client = login_as(world["admin"])
    target = world["trainer_a"]
    old_name = target.display_name
    response = client.post_form(f"/admin/staff/{target.id}", edit_form(
        target, display_name="Chen\x00 Jing"))
    assert response.status_code == 400
    db.session.refresh(target)
    assert target.display_name == old_name


def test_edit_records_before_and_after_of_changed_fields(login_as, world, db):
    client = login_as(world["admin"])
    target = world["trainer_a"]
    old_name = target.display_name
    response = client.post_form(f"/admin/staff/{target.id}", edit_form(
        target, display_name="Chen Jing", role=Role.SUPERVISOR, branch_id=world["outlet_a"].id))
    assert response.status_code == 302
    db.session.refresh(target)
    assert (target.display_name, target.role, target.branch_id) == (
        "Chen Jing", Role.SUPERVISOR, world["outlet_a"].id)
    [event] = events(db, "staff.updated", world["admin"])
    assert event.detail["before"] == {"display_name": old_name, "role": Role.TRAINER,
                                      "branch": world["branch_a"].code}
    assert event.detail["after"] == {"display_name": "Chen Jing", "role": Role.SUPERVISOR,
                                     "branch": world["outlet_a"].code}


def test_saving_an_unchanged_staff_member_writes_no_event(login_as, world, db):
    client = login_as(world["admin"])
    target = world["trainer_a"]
    assert client.post_form(f"/admin/staff/{target.id}", edit_form(target)).status_code == 302
    assert not events(db, "staff.updated", world["admin"])


def test_bad_edit_input_changes_nothing(login_as, world, db):
    client = login_as(world["admin"])
    target = world["trainer_a"]
    response = client.post_form(f"/admin/staff/{target.id}", edit_form(
        target, display_name="", daily_capacity="-3"))
    assert response.status_code == 200
    assert "This field is required" in response.get_data(as_text=True)
    db.session.refresh(target)
    assert target.display_name and target.daily_capacity == 25
    assert not events(db, "staff.updated", world["admin"])


def test_maintainer_with_customers_keeps_role_until_customers_are_reassigned(
        login_as, world, db, make_customer):
    client = login_as(world["admin"])
    target = world["maint_a"]
    make_customer(maintainer=target)
    make_customer(maintainer=target)
    response = client.post_form(f"/admin/staff/{target.id}", edit_form(
        target, role=Role.SUPERVISOR))
    assert response.status_code == 200
    assert "still looks after 2 customers" in response.get_data(as_text=True)
    db.session.refresh(target)
    assert target.role == Role.MAINTAINER
    assert not events(db, "staff.updated", world["admin"])


def test_maintainer_without_customers_can_become_supervisor(login_as, world, db):
    client = login_as(world["admin"])
    target = world["maint_a"]
    response = client.post_form(f"/admin/staff/{target.id}", edit_form(
        target, role=Role.SUPERVISOR))
    assert response.status_code == 302
    db.session.refresh(target)
    assert target.role == Role.SUPERVISOR


def test_admin_cannot_change_their_own_role(login_as, world, db):
    admin = world["admin"]
    client = login_as(admin)
    response = client.post_form(f"/admin/staff/{admin.id}", edit_form(admin,
                                                                      role=Role.SUPERVISOR))
    assert "cannot change your own role" in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.role == Role.ADMIN


def test_deactivation_ends_the_sessions_of_the_deactivated_person(login_as, world, db, app):
    target = world["maint_b"]
    other = log_in_second_client(app, target)
    client = login_as(world["admin"])
    response = client.post_form(f"/admin/staff/{target.id}/deactivate")
    assert response.status_code == 302
    db.session.refresh(target)
    assert not target.active
    [event] = events(db, "staff.deactivated", world["admin"])
    assert event.object_id == str(target.id) and event.branch_id == world["outlet_b"].id
    response = other.get(ACCOUNT_PAGE)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    other.csrf_token = None
    assert other.post_form("/login", {"username": target.username,
                                      "password": PASSWORD}).status_code == 200


def test_deactivating_a_maintainer_with_customers_warns_about_the_handover(
        login_as, world, db, make_customer):
    client = login_as(world["admin"])
    target = world["maint_a"]
    make_customer(maintainer=target)
    response = client.post_form(f"/admin/staff/{target.id}/deactivate", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "still look after 1 customer:" in page and "hand it over" in page
    db.session.refresh(target)
    assert not target.active
    assert events(db, "staff.deactivated", world["admin"])[0].detail == {"customers": 1}


def test_admin_cannot_deactivate_themselves(login_as, world, db):
    admin = world["admin"]
    client = login_as(admin)
    response = client.post_form(f"/admin/staff/{admin.id}/deactivate", follow_redirects=True)
    assert "cannot deactivate your own account" in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.active
    assert not events(db, "staff.deactivated", world["admin"])


def test_reactivation_lets_the_person_log_in_again(login_as, world, db, app):
    client = login_as(world["admin"])
    target = world["maint_b"]
    target.active = False
    db.session.flush()
    assert client.post_form(f"/admin/staff/{target.id}/reactivate").status_code == 302
    db.session.refresh(target)
    assert target.active
    assert len(events(db, "staff.reactivated", world["admin"])) == 1
    log_in_second_client(app, target)


def test_reactivation_is_refused_while_the_branch_is_closed(login_as, world, db):
    client = login_as(world["admin"])
    target = world["maint_b"]
    target.active = False
    world["outlet_b"].active = False
    db.session.flush()
    response = client.post_form(f"/admin/staff/{target.id}/reactivate", follow_redirects=True)
    assert "branch is closed" in response.get_data(as_text=True)
    db.session.refresh(target)
    assert not target.active


def test_password_reset_sets_password_ends_sessions_and_lifts_lockout(login_as, world, db, app):
    target = world["maint_b"]
    other = log_in_second_client(app, target)
    target.failed_logins, target.locked_until = 3, utcnow()
    db.session.flush()
    client = login_as(world["admin"])
    response = client.post_form(f"/admin/staff/{target.id}/password",
                                {"password": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert response.status_code == 302
    db.session.refresh(target)
    assert target.check_password(NEW_PASSWORD)
    assert target.failed_logins == 0 and target.locked_until is None
    [event] = events(db, "staff.password_reset", world["admin"])
    assert NEW_PASSWORD not in str(event.detail) and target.password_hash not in str(event.detail)
    response = other.get(ACCOUNT_PAGE)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_bad_password_reset_changes_nothing(login_as, world, db):
    client = login_as(world["admin"])
    target = world["maint_b"]
    response = client.post_form(f"/admin/staff/{target.id}/password",
                                {"password": "short", "repeat": "short"})
    assert response.status_code == 200
    assert "between 10 and 200" in response.get_data(as_text=True)
    db.session.refresh(target)
    assert target.check_password(PASSWORD)
    assert not events(db, "staff.password_reset", world["admin"])


def test_admin_resets_own_password_only_from_account_page(login_as, world, db):
    admin = world["admin"]
    client = login_as(admin)
    response = client.post_form(f"/admin/staff/{admin.id}/password",
                                {"password": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert "your account page" in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.check_password(PASSWORD)
