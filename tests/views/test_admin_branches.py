"""Head-office branch administration: the tree, creating, renaming and closing branches."""
import pytest
from sqlalchemy import select

from app.models import AuditEvent, Branch, BranchKind, CustomerStatus


def events(db, action, actor):
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.actor_id == actor.id)))


def branch_form(world, **overrides):
    data = {"code": f"NEW{world['admin'].id}", "name": "Xuhui Branch", "kind": BranchKind.BRANCH,
            "parent_id": str(world["head"].id)}
    data.update(overrides)
    return data


def find_branch(db, code):
    return db.session.scalar(select(Branch).where(Branch.code == code))


BRANCH_GETS = ["/admin/branches", "/admin/branches/new", "/admin/branches/{id}"]
BRANCH_POSTS = ["/admin/branches/new", "/admin/branches/{id}"]


@pytest.mark.parametrize("role", ["supervisor_a", "trainer_a", "maint_a"])
@pytest.mark.parametrize("url", BRANCH_GETS)
def test_other_roles_cannot_open_branch_pages(login_as, world, role, url):
    client = login_as(world[role])
    assert client.get(url.format(id=world["branch_a"].id)).status_code == 403


@pytest.mark.parametrize("role", ["supervisor_a", "trainer_a", "maint_a"])
@pytest.mark.parametrize("url", BRANCH_POSTS)
def test_other_roles_cannot_change_branches(login_as, world, db, role, url):
    client = login_as(world[role])
    response = client.post_form(url.format(id=world["branch_a"].id),
                                branch_form(world, name="Renamed", active="y"))
    assert response.status_code == 403
    db.session.refresh(world["branch_a"])
    assert world["branch_a"].name == "Branch A"
    assert find_branch(db, f"NEW{world['admin'].id}") is None


@pytest.mark.parametrize("url", BRANCH_POSTS)
def test_branch_posts_without_csrf_token_are_refused(login_as, world, db, url):
    client = login_as(world["admin"])
    response = client.post(url.format(id=world["branch_a"].id),
                           data=branch_form(world, name="Renamed"))
    assert response.status_code == 400
    db.session.refresh(world["branch_a"])
    assert world["branch_a"].name == "Branch A"
    assert find_branch(db, f"NEW{world['admin'].id}") is None


def test_tree_lists_head_office_then_each_branch_with_its_outlets(login_as, world):
    page = login_as(world["admin"]).get("/admin/branches").get_data(as_text=True)
    order = [page.index(f"<td>{world[key].code}</td>") for key in
             ("head", "branch_a", "outlet_a", "branch_b", "outlet_b")]
    assert order == sorted(order)
    assert 'class="branch-depth-2"' in page


def test_admin_creates_a_branch_under_the_head_office(login_as, world, db):
    client = login_as(world["admin"])
    response = client.post_form("/admin/branches/new", branch_form(world, code="new-x"))
    assert response.status_code == 302
    branch = find_branch(db, "NEW-X")
    assert branch.parent_id == world["head"].id and branch.kind == BranchKind.BRANCH
    [event] = events(db, "branch.created", world["admin"])
    assert event.object_id == str(branch.id) and event.branch_id == branch.id
    assert event.detail["code"] == "NEW-X"


def test_admin_creates_an_outlet_under_a_branch(login_as, world, db):
    client = login_as(world["admin"])
    response = client.post_form("/admin/branches/new", branch_form(
        world, kind=BranchKind.OUTLET, parent_id=str(world["branch_b"].id)))
    assert response.status_code == 302
    assert find_branch(db, f"NEW{world['admin'].id}").parent_id == world["branch_b"].id


@pytest.mark.parametrize("overrides, message", [
    ({"kind": BranchKind.OUTLET}, "An outlet belongs to an active branch"),
    ({"parent_id": "BRANCH_A"}, "A branch belongs to the head office"),
    ({"parent_id": "0"}, "A branch belongs to the head office"),
    ({"kind": BranchKind.HEAD_OFFICE, "parent_id": "0"}, "There is already a head office"),
    ({"code": "a b"}, "Use letters, digits"),
    ({"code": ""}, "This field is required"),
    ({"name": ""}, "This field is required"),
    ({"kind": "region"}, "Not a valid choice"),
    ({"parent_id": "abc"}, "Invalid Choice"),
    ({"parent_id": "999999"}, "Not a valid choice"),
])
def test_bad_branch_input_shows_an_error_and_creates_nothing(login_as, world, db, overrides,
                                                             message):
    client = login_as(world["admin"])
    if overrides.get("parent_id") == "BRANCH_A":
        overrides["parent_id"] = str(world["branch_a"].id)
    response = client.post_form("/admin/branches/new", branch_form(world, **overrides))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert find_branch(db, f"NEW{world['admin'].id}") is None
    assert not events(db, "branch.created", world["admin"])


def test_branch_code_is_unique_whatever_its_case(login_as, world, db):
    client = login_as(world["admin"])
    response = client.post_form("/admin/branches/new", branch_form(
        world, code=world["branch_a"].code.lower()))
    assert "already taken" in response.get_data(as_text=True)
    assert not events(db, "branch.created", world["admin"])


def test_outlet_cannot_hang_under_a_closed_branch(login_as, world, db):
    client = login_as(world["admin"])
    world["branch_b"].active = False
    db.session.flush()
    response = client.post_form("/admin/branches/new", branch_form(
        world, kind=BranchKind.OUTLET, parent_id=str(world["branch_b"].id)))
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert not events(db, "branch.created", world["admin"])


def test_edit_page_shows_the_branch(login_as, world):
    page = login_as(world["admin"]).get(f"/admin/branches/{world['outlet_a'].id}")
    assert page.status_code == 200
    assert "Outlet A1" in page.get_data(as_text=True)


def test_unknown_branch_is_not_found(login_as, world):
    assert login_as(world["admin"]).get("/admin/branches/999999").status_code == 404


def test_renaming_a_branch_records_before_and_after(login_as, world, db):
    client = login_as(world["admin"])
    branch = world["branch_a"]
    response = client.post_form(f"/admin/branches/{branch.id}", {"name": "Pudong",
                                                                 "active": "y"})
    assert response.status_code == 302
    db.session.refresh(branch)
    assert branch.name == "Pudong" and branch.active
    [event] = events(db, "branch.updated", world["admin"])
    assert event.detail == {"before": {"name": "Branch A"}, "after": {"name": "Pudong"}}


def test_empty_outlet_can_be_closed_and_reopened(login_as, world, db, make_branch):
    client = login_as(world["admin"])
    outlet = make_branch(BranchKind.OUTLET, parent=world["branch_a"], name="Empty")
    assert client.post_form(f"/admin/branches/{outlet.id}", {"name": "Empty"}).status_code == 302
    db.session.refresh(outlet)
    assert not outlet.active
    [event] = events(db, "branch.updated", world["admin"])
    assert event.detail["after"] == {"active": False}
    client.post_form(f"/admin/branches/{outlet.id}", {"name": "Empty", "active": "y"})
    db.session.refresh(outlet)
    assert outlet.active


def test_branch_with_active_staff_cannot_be_closed(login_as, world, db):
    client = login_as(world["admin"])
    outlet = world["outlet_b"]
    response = client.post_form(f"/admin/branches/{outlet.id}", {"name": outlet.name})
    assert response.status_code == 200
    assert "active staff: 1" in response.get_data(as_text=True)
    db.session.refresh(outlet)
    assert outlet.active
    assert not events(db, "branch.updated", world["admin"])


def test_branch_with_customers_cannot_be_closed(login_as, world, db, make_branch,
                                                make_customer):
    client = login_as(world["admin"])
    outlet = make_branch(BranchKind.OUTLET, parent=world["branch_a"])
    make_customer(branch=outlet)
    make_customer(branch=outlet, status=CustomerStatus.CLOSED)
    response = client.post_form(f"/admin/branches/{outlet.id}", {"name": outlet.name})
    assert "customers: 1" in response.get_data(as_text=True)
    db.session.refresh(outlet)
    assert outlet.active


def test_branch_with_open_outlets_cannot_be_closed(login_as, world, db):
    client = login_as(world["admin"])
    branch = world["branch_b"]
    world["supervisor_b"].active = False
    db.session.flush()
    response = client.post_form(f"/admin/branches/{branch.id}", {"name": branch.name})
    assert "active outlets: 1" in response.get_data(as_text=True)
    db.session.refresh(branch)
    assert branch.active


def test_head_office_cannot_be_closed(login_as, world, db):
    client = login_as(world["admin"])
    head = world["head"]
    response = client.post_form(f"/admin/branches/{head.id}", {"name": head.name})
    assert "head office cannot be deactivated" in response.get_data(as_text=True)
    db.session.refresh(head)
    assert head.active


def test_outlet_cannot_reopen_under_a_closed_branch(login_as, world, db, make_branch):
    client = login_as(world["admin"])
    branch = make_branch(parent=world["head"], active=False)
    outlet = make_branch(BranchKind.OUTLET, parent=branch, active=False)
    response = client.post_form(f"/admin/branches/{outlet.id}", {"name": outlet.name,
                                                                 "active": "y"})
    assert "Reactivate the parent branch first" in response.get_data(as_text=True)
    db.session.refresh(outlet)
    assert not outlet.active


def test_bad_branch_edit_changes_nothing(login_as, world, db):
    client = login_as(world["admin"])
    branch = world["branch_a"]
    response = client.post_form(f"/admin/branches/{branch.id}", {"name": "", "active": "y"})
    assert response.status_code == 200
    assert "This field is required" in response.get_data(as_text=True)
    db.session.refresh(branch)
    assert branch.name == "Branch A"
