"""Names head office edits, and reflected input, are escaped even inside translated strings.

Lazy translations used to count as safe markup, so a staff name interpolated into
``_l("%(name)s (inactive)")`` reached the page as HTML. Every admin-editable name here
carries markup, an ``hx-get`` attribute and a quote; no page may show any of them raw.
"""
import pytest
from flask_babel import lazy_gettext
from markupsafe import Markup, escape

from ..service_request_book import add_service, open_request

HOSTILE = '<b>X</b>" hx-get="/logout'
RAW_MARKERS = ("<b>X", 'hx-get="/logout', 'X</b>"')


def assert_escaped(response):
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:300]
    for marker in RAW_MARKERS:
        assert marker not in page
    assert "&lt;b&gt;X&lt;/b&gt;" in page  # the name is there, as text
    return page


@pytest.fixture
def hostile(world, make_customer, make_holding, make_staff, db):
    """Every name head office sets, hostile; an inactive maintainer keeps a customer."""
    for key in ("branch_a", "outlet_a", "head"):
        world[key].name = f"{HOSTILE} {key}"
    for key in ("maint_a", "maint_a2", "supervisor_a", "admin"):
        world[key].display_name = f"{HOSTILE} {key}"
    world["maint_a2"].active = False
    customer = make_customer(maintainer=world["maint_a"], tier="gold", name="王芳")
    make_customer(maintainer=world["maint_a2"], name="李雷")
    holding = make_holding(customer)
    holding.product.name = f"{HOSTILE} product"
    service = add_service(tier="gold", code="HOSTILE", name=f"{HOSTILE} lounge")
    db.session.commit()
    return {"customer": customer, "service": service}


@pytest.mark.parametrize("who, url", [
    ("maint_a", "/service-requests/new?customer_id={customer}"),
    ("supervisor_a", "/tasks/team/handover"),
    ("supervisor_a", "/tasks/team"),
    ("supervisor_a", "/customers/"),
    ("admin", "/customers/"),
    ("maint_a", "/customers/{customer}"),
    ("admin", "/admin/staff"),
    ("admin", "/admin/branches"),
    ("admin", "/admin/services"),
])
def test_admin_set_names_are_escaped_on_every_page(client, world, hostile, login_as, who, url):
    login_as(world[who])
    assert_escaped(client.get(url.format(customer=hostile["customer"].id)))


def test_inactive_label_escapes_the_name(client, world, hostile, login_as):
    login_as(world["supervisor_a"])
    page = assert_escaped(client.get("/customers/"))
    assert "&lt;b&gt;X&lt;/b&gt;&#34; hx-get=&#34;/logout maint_a2 (inactive)" in page


def test_service_name_is_escaped_in_the_booking_choice(client, world, hostile, login_as):
    login_as(world["maint_a"])
    page = assert_escaped(client.get(
        f"/service-requests/new?customer_id={hostile['customer'].id}"))
    assert "lounge (2 of 2 left this year)" in page


def test_reflected_status_is_escaped(client, world, hostile, login_as):
    request = open_request(world["maint_a"], hostile["customer"])
    login_as(world["maint_a"])
    for htmx in (True, False):
        response = client.post_form(f"/service-requests/{request.id}/status", {
            "status-version": request.version, "status-to_status": "<b>X</b>",
            "status-comment": ""}, htmx=htmx)
        page = response.get_data(as_text=True)
        assert "<b>X" not in page
    assert "&lt;b&gt;X&lt;/b&gt;" in page


def test_a_lazy_string_with_values_is_text_not_markup(app):
    with app.test_request_context():
        lazy = lazy_gettext("%(name)s (inactive)", name=HOSTILE)
        assert str(escape(lazy)) == str(escape(str(lazy)))
        assert Markup("<td>%s</td>") % lazy == Markup("<td>%s</td>") % str(lazy)
