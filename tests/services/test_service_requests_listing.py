"""The request list (filters, SLA state in SQL and Python, paging), the CSV export, the report."""
import csv
import io
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from app.extensions import db as _db
from app.models import Role, ServiceRequest
from app.service_requests.services import listing, report, sla
from app.service_requests.services.listing import Filters

from ..helpers import reload
from ..service_request_book import NOW, hours, minutes, move, open_request


@pytest.fixture
def customers(world, make_customer, db):
    book = {"a": make_customer(maintainer=world["maint_a"], name="王芳",
                               mobile="13912345678"),
            "a2": make_customer(maintainer=world["maint_a2"]),
            "b": make_customer(maintainer=world["maint_b"])}
    db.session.commit()
    return book


def ids(page):
    return [row.request.id for row in page.rows]


# --- SLA state --------------------------------------------------------------------------------


@pytest.fixture
def clocks(world, customers):
    """Requests (complaint/urgent, mass: 30 min response, 8 h resolution) in each SLA state."""
    maint = world["maint_a"]
    fresh = open_request(maint, customers["a"], now=NOW - hours(1), kind="wealth_inquiry",
                         priority="low")  # 23 of 24 h left: on time
    soon = open_request(maint, customers["a"], now=NOW - minutes(25))  # 5 of 30 min left
    late = open_request(maint, customers["a"], now=NOW - minutes(40))
    working = move(maint, open_request(maint, customers["a"], now=NOW - hours(2)),
                   "in_progress", now=NOW - hours(2) + minutes(5))  # 6 h of 8 left: on time
    ending = move(maint, open_request(maint, customers["a"], now=NOW - hours(7)),
                  "in_progress", now=NOW - hours(7) + minutes(1))  # 1 h left, < 25 %: soon
    done = move(maint, open_request(maint, customers["a"], now=NOW - hours(3)),
                "in_progress", "resolved", now=NOW - hours(3) + minutes(10))
    return {"on_time": {fresh.id, working.id}, "due_soon": {soon.id, ending.id},
            "breached": {late.id}, "done": done.id}


@pytest.mark.parametrize("state", ["on_time", "due_soon", "breached"])
def test_sla_state_filter_agrees_with_the_rows(world, clocks, state):
    page = listing.list_requests(world["maint_a"], Filters(sla=state), NOW)
    assert set(ids(page)) == clocks[state]
    assert {row.sla_state for row in page.rows} == {state}


def test_due_soon_means_a_quarter_left_or_under_an_hour(app, db):
    request = ServiceRequest(opened_at=NOW, first_response_due_at=NOW + hours(8),
                             resolution_due_at=NOW + hours(48), status="new",
                             response_breached=False, resolution_breached=False)
    assert sla.sla_state(request, NOW + hours(5)) == "on_time"
    assert sla.sla_state(request, NOW + hours(6) + minutes(1)) == "due_soon"  # < 2 h of 8
    request.first_response_due_at = NOW + hours(2)
    assert sla.sla_state(request, NOW + minutes(59)) == "on_time"
    assert sla.sla_state(request, NOW + minutes(61)) == "due_soon"  # < 1 h left
    assert sla.sla_state(request, NOW + hours(2)) == "breached"


def test_finished_requests_are_met_or_breached(world, clocks):
    request = _db.session.get(ServiceRequest, clocks["done"])
    assert sla.sla_state(request, NOW) == "met"
    request.resolution_breached = True
    assert sla.sla_state(request, NOW) == "breached"


def test_rows_show_the_time_left_to_the_current_deadline(world, clocks):
    page = listing.list_requests(world["maint_a"], Filters(), NOW)
    left = {row.request.id: row.seconds_left for row in page.rows}
    fresh = min(clocks["on_time"])
    assert left[fresh] == 23 * 3600
    [late] = clocks["breached"]
    assert left[late] == -10 * 60
    assert clocks["done"] not in left  # open requests only by default


def test_sla_clocks_of_a_request(world, customers):
    request = move(world["maint_a"], open_request(world["maint_a"], customers["a"]),
                   "in_progress", now=NOW + minutes(40))
    response, resolution = sla.sla_clocks(request, NOW + hours(1))
    assert (response.done_at, response.late, response.running) == (NOW + minutes(40), True,
                                                                   False)
    assert (resolution.seconds, resolution.running) == (7 * 3600, True)


# --- filters and paging -----------------------------------------------------------------------


def test_status_kind_and_assignee_filters(world, customers):
    maint, supervisor = world["maint_a"], world["supervisor_a"]
    complaint = open_request(maint, customers["a"])
    inquiry = open_request(maint, customers["a"], kind="wealth_inquiry", priority="low")
    resolved = move(maint, open_request(maint, customers["a"]), "in_progress", "resolved")
    unassigned = open_request(supervisor, customers["a2"])
    _db.session.execute(update(ServiceRequest).where(ServiceRequest.id == unassigned.id)
                        .values(assignee_id=None))
    _db.session.commit()

    def found(**filters):
        return set(ids(listing.list_requests(supervisor, Filters(**filters), NOW)))

    assert found() == {complaint.id, inquiry.id, unassigned.id}
    assert found(status="") == {complaint.id, inquiry.id, resolved.id, unassigned.id}
    assert found(status="resolved") == {resolved.id}
    assert found(kind="wealth_inquiry") == {inquiry.id}
    assert found(assignee="none") == {unassigned.id}
    assert found(assignee=str(maint.id)) == {complaint.id, inquiry.id}
    assert found(status="bogus", kind="bogus", sla="bogus") == found(status="")


def test_filters_outside_scope_are_ignored_with_a_notice(world, customers):
    request = open_request(world["maint_a"], customers["a"])
    page = listing.list_requests(world["supervisor_a"],
                                 Filters(assignee=str(world["maint_b"].id)), NOW)
    assert ids(page) == [request.id] and len(page.notices) == 1
    page = listing.list_requests(world["supervisor_a"],
                                 Filters(customer_id=customers["b"].id), NOW)
    assert ids(page) == [request.id] and len(page.notices) == 1
    page = listing.list_requests(world["supervisor_a"], Filters(assignee="12x"), NOW)
    assert len(page.notices) == 1


def test_customer_filter(world, customers):
    mine = open_request(world["maint_a"], customers["a"])
    open_request(world["supervisor_a"], customers["a2"])
    page = listing.list_requests(world["supervisor_a"], Filters(customer_id=customers["a"].id),
                                 NOW)
    assert ids(page) == [mine.id] and page.customer.id == customers["a"].id and page.filtered


def test_keyset_pages_newest_first(world, customers):
    made = [open_request(world["maint_a"], customers["a"], now=NOW + minutes(n)).id
            for n in range(5)]
    newest_first = made[::-1]
    first = listing.list_requests(world["maint_a"], Filters(), NOW, page_size=2)
    assert ids(first) == newest_first[:2] and first.has_next and not first.has_prev
    second = listing.list_requests(world["maint_a"], Filters(), NOW, after=ids(first)[-1],
                                   page_size=2)
    assert ids(second) == newest_first[2:4] and second.has_next and second.has_prev
    third = listing.list_requests(world["maint_a"], Filters(), NOW, after=ids(second)[-1],
                                  page_size=2)
    assert ids(third) == newest_first[4:] and not third.has_next
    back = listing.list_requests(world["maint_a"], Filters(), NOW, before=ids(third)[0],
                                 page_size=2)
    assert ids(back) == newest_first[2:4] and back.has_prev
    assert ids(listing.list_requests(world["maint_a"], Filters(), NOW, after=-5)) == []
    assert ids(listing.list_requests(world["maint_a"], Filters(), NOW,
                                     before=2**40))[:1] == newest_first[:1]


def test_trainer_has_no_list(world):
    with pytest.raises(Exception) as refused:
        listing.list_requests(world["trainer_a"], Filters(), NOW)
    assert refused.value.status == 403


# --- CSV export -------------------------------------------------------------------------------


def rows_of(text):
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_export_streams_the_filtered_list_masked_and_audited(app, world, customers):
    request = open_request(world["maint_a"], customers["a"], subject="=HYPERLINK(evil)")
    open_request(world["maint_a"], customers["a"], kind="other", priority="low")
    with app.test_request_context():
        conditions = listing.start_export(world["maint_a"], Filters(kind="complaint"), NOW)
        header, *rows = rows_of("".join(listing.export_lines(conditions)))
    assert header[:3] == ["Request no.", "Opened at", "Customer no."]
    [row] = rows
    assert row[0] == str(request.id) and row[2] == customers["a"].customer_number
    assert row[4] == "139****5678"
    assert row[6] == "Complaint" and row[9] == "New" and row[10] == "'=HYPERLINK(evil)"
    assert customers["a"].id_number not in "".join(row) and "13912345678" not in "".join(row)
    from app.models import AuditEvent
    [entry] = _db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "service_request.exported"))
    assert entry.detail["filters"] == {"status": "open", "kind": "complaint"}


def test_export_pages_through_more_than_a_chunk(app, world, customers, monkeypatch):
    monkeypatch.setattr(listing, "EXPORT_CHUNK", 2)
    made = {open_request(world["maint_a"], customers["a"]).id for _ in range(5)}
    with app.test_request_context():
        conditions = listing.start_export(world["maint_a"], Filters(), NOW)
        _header, *rows = rows_of("".join(listing.export_lines(conditions)))
    assert {int(row[0]) for row in rows} == made and len(rows) == 5


# --- the report -------------------------------------------------------------------------------


def finish(request, *, responded, resolved, score=None):
    _db.session.execute(update(ServiceRequest).where(ServiceRequest.id == request.id).values(
        status="resolved", first_responded_at=responded, resolved_at=resolved,
        response_breached=responded > request.first_response_due_at,
        resolution_breached=resolved > request.resolution_due_at, satisfaction=score))
    _db.session.commit()


@pytest.fixture
def finished(world, customers):
    """Finished requests: May (2 in SLA, 1 late) and June (1 in SLA); one open, one cancelled."""
    maint, maint_b = world["maint_a"], world["maint_b"]
    may = datetime(2026, 5, 10, 2, 0)
    in_sla = open_request(maint, customers["a"], now=may)
    finish(in_sla, responded=may + minutes(10), resolved=may + hours(2), score=5)
    inquiry = open_request(maint, customers["a"], now=may, kind="wealth_inquiry")
    finish(inquiry, responded=may + minutes(10), resolved=may + hours(3))
    late = open_request(maint_b, customers["b"], now=may)
    finish(late, responded=may + hours(1), resolved=may + hours(20), score=2)
    june = NOW - hours(5)
    other = open_request(maint_b, customers["b"], now=june)
    finish(other, responded=june + minutes(5), resolved=june + hours(1), score=4)
    open_request(maint, customers["a"])
    move(maint, open_request(maint, customers["a"]), "cancelled", comment="Opened twice")
    last_year = open_request(maint, customers["a"], now=NOW - timedelta(days=400))
    finish(last_year, responded=NOW - timedelta(days=400), resolved=NOW - timedelta(days=399))


def test_report_figures_for_head_office(world, finished):
    result = report.compliance_report(world["admin"], NOW)
    assert (result.total.finished, result.total.within_sla) == (4, 3)
    assert result.total.compliance == 75.0
    assert (result.total.rated, result.total.satisfaction_avg) == (3, 3.67)
    months = {f.label.isoformat()[:7]: (f.finished, f.within_sla, f.satisfaction_avg)
              for f in result.by_month}
    assert list(months) == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    assert months["2026-05"] == (3, 2, 3.5) and months["2026-06"] == (1, 1, 4.0)
    assert months["2026-01"] == (0, 0, None)
    branches = {f.label: (f.finished, f.within_sla, f.compliance) for f in result.by_branch}
    assert branches == {"Outlet A1": (2, 2, 100.0), "Outlet B1": (2, 1, 50.0)}
    kinds = {str(f.label): (f.finished, f.within_sla) for f in result.by_kind}
    assert kinds == {"Complaint": (3, 2), "Wealth inquiry": (1, 1)}


def test_report_is_scoped_to_the_supervisors_subtree(world, finished):
    result = report.compliance_report(world["supervisor_a"], NOW)
    assert (result.total.finished, result.total.compliance) == (2, 100.0)
    assert [f.label for f in result.by_branch] == ["Outlet A1"]


def test_months_follow_the_bank_time_zone(app, db):
    starts = report.month_starts(datetime(2026, 5, 31, 17, 0))  # 1 June, 01:00 in Shanghai
    assert starts[-2][0].isoformat() == "2026-06-01"
    assert starts[-2][1] == datetime(2026, 5, 31, 16, 0)
    assert starts[0][0].isoformat() == "2026-01-01"


@pytest.mark.parametrize("role", [Role.MAINTAINER, Role.TRAINER])
def test_report_is_for_supervisors_and_head_office(world, role):
    who = world["maint_a" if role == Role.MAINTAINER else "trainer_a"]
    with pytest.raises(Exception) as refused:
        report.compliance_report(who, NOW)
    assert refused.value.status == 403


def test_report_without_finished_requests(world):
    result = report.compliance_report(world["admin"], NOW)
    assert result.total.finished == 0 and result.total.compliance is None
    assert result.by_branch == [] and len(result.by_month) == 6


def test_reloaded_rows_keep_their_version(world, customers):
    request = open_request(world["maint_a"], customers["a"])
    listing.list_requests(world["maint_a"], Filters(), NOW)
    assert reload(request).version == 1
    assert _db.session.scalar(select(ServiceRequest.version)) == 1
