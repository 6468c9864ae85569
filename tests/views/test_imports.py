"""The upload page, import runs and their progress."""
import io
import os

import pytest
from sqlalchemy import func, select

from app.models import AuditEvent, Customer, ImportRun

from ..import_data import sample_in
from ..import_data import (CUSTOMER_HEADER, CUSTOMERS_BAD, CUSTOMERS_SAMPLE, count, counts,
                           csv_bytes, name_the_bank)


@pytest.fixture
def bank(db, world, make_product, app, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    return name_the_bank(db, world, make_product)


def sample(path):
    with open(path, "rb") as stream:
        return stream.read()


def upload(client, data, name="customers.csv", dry_run=False, encoding=None):
    form = {"file": (io.BytesIO(data), name)}
    if encoding:
        form["encoding"] = encoding
    if dry_run:
        form["dry_run"] = "y"
    return client.post_form("/imports/", form, content_type="multipart/form-data")


def uploaded_run(client, data, **kwargs):
    response = upload(client, data, **kwargs)
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def switch_to(client, login_as, staff):
    client.post_form("/logout")
    login_as(staff)


def start(client, run_id):
    return client.post_form(f"/imports/{run_id}/run", htmx=True)


def test_upload_page_shows_form_and_column_help(client, bank, login_as):
    login_as(bank["supervisor_a"])
    page = client.get("/imports/").get_data(as_text=True)

    assert 'type="file"' in page and 'accept=".csv,text/csv"' in page
    assert 'enctype="multipart/form-data"' in page
    assert "maintainer_username" in page and "No file has been imported yet" in page


@pytest.mark.parametrize("role", ["maint_a", "trainer_a"])
def test_roles_without_imports_are_refused(client, db, bank, login_as, role):
    login_as(bank[role])

    assert client.get("/imports/").status_code == 403
    assert upload(client, sample(CUSTOMERS_SAMPLE)).status_code == 403
    assert count(db, ImportRun) == 0


def test_upload_then_run_imports_and_shows_result(client, db, bank, login_as, app):
    login_as(bank["admin"])
    run_id = uploaded_run(client, sample(CUSTOMERS_SAMPLE), name="customers_sample.csv")
    run = db.session.get(ImportRun, run_id)
    assert (run.status, run.kind, run.total_rows, run.dry_run) == ("queued", "customers", 6,
                                                                   False)
    stored = os.path.join(app.instance_path, "imports", run.stored_name)
    assert os.path.exists(stored)

    page = client.get(f"/imports/{run_id}").get_data(as_text=True)
    assert f'hx-post="/imports/{run_id}/run"' in page and 'hx-trigger="load"' in page
    assert 'hx-trigger="every 1s"' in page

    response = start(client, run_id)
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment and "every 1s" not in fragment
    assert "Every row was good." in fragment
    assert count(db, Customer) == 6
    assert not os.path.exists(stored)

    progress = client.get_htmx(f"/imports/{run_id}/progress")
    assert progress.status_code == 200
    assert "<html" not in progress.get_data(as_text=True)
    assert "hx-trigger" not in progress.get_data(as_text=True)
    page = client.get(f"/imports/{run_id}").get_data(as_text=True)
    assert "hx-post" not in page and "customers_sample.csv" in page


def test_second_run_request_does_nothing(client, db, bank, login_as):
    login_as(bank["admin"])
    run_id = uploaded_run(client, sample(CUSTOMERS_SAMPLE))
    start(client, run_id)

    again = start(client, run_id)

    assert again.status_code == 200 and "Every row was good." in again.get_data(as_text=True)
    assert count(db, Customer) == 6
    assert db.session.scalar(select(func.count()).where(
        AuditEvent.action == "import.completed")) == 1


def test_run_without_htmx_redirects_to_the_run_page(client, bank, login_as):
    login_as(bank["admin"])
    run_id = uploaded_run(client, sample(CUSTOMERS_SAMPLE))

    response = client.post_form(f"/imports/{run_id}/run")

    assert response.status_code == 303
    assert response.headers["Location"] == f"/imports/{run_id}"


def test_finished_run_lists_bad_rows_and_counts(client, db, bank, login_as):
    login_as(bank["admin"])
    run_id = uploaded_run(client, sample(CUSTOMERS_BAD))
    start(client, run_id)

    page = client.get(f"/imports/{run_id}").get_data(as_text=True)

    assert "No branch has the code NOPE." in page
    assert "<code>branch_code</code>" in page and "whole row" in page
    run = db.session.get(ImportRun, run_id)
    assert (run.status, run.inserted, run.bad_rows, run.error_count) == ("done", 2, 18, 18)
    assert run.errors[0] == {"line": 3, "column": "id_number", "code": "bad_id_number",
                             "params": {}}


def test_stored_problems_are_capped_with_a_note(client, db, bank, login_as, monkeypatch):
    monkeypatch.setattr("app.imports.services.runs.MAX_STORED_ERRORS", 3)
    login_as(bank["admin"])
    run_id = uploaded_run(client, sample(CUSTOMERS_BAD))
    start(client, run_id)

    page = client.get(f"/imports/{run_id}").get_data(as_text=True)

    assert "Showing the first 3 of 18 problems." in page
    assert len(db.session.get(ImportRun, run_id).errors) == 3


def test_dry_run_upload_reports_without_saving(client, db, bank, login_as):
    login_as(bank["admin"])
    run_id = uploaded_run(client, sample(CUSTOMERS_SAMPLE), dry_run=True)

    fragment = start(client, run_id).get_data(as_text=True)

    assert "Dry run: nothing was saved." in fragment and "Would be added" in fragment
    assert counts(db) == (0, 0)
    assert db.session.get(ImportRun, run_id).inserted == 6


def test_supervisor_rows_for_other_branches_are_bad_rows(client, db, bank, login_as):
    login_as(bank["supervisor_a"])
    run_id = uploaded_run(client, sample(CUSTOMERS_SAMPLE))

    fragment = start(client, run_id).get_data(as_text=True)

    assert fragment.count("The branch is outside your scope.") == 2
    numbers = set(db.session.scalars(select(Customer.customer_number).where(
        Customer.customer_number.like("88%"))))
    assert numbers == {"880000000001", "880000000002", "880000000003", "880000000004"}


def test_progress_keeps_polling_while_the_run_is_under_way(client, db, bank, login_as):
    login_as(bank["admin"])
    run_id = uploaded_run(client, sample(CUSTOMERS_SAMPLE))
    run = db.session.get(ImportRun, run_id)
    run.status, run.processed_rows = "running", 2
    db.session.commit()

    fragment = client.get_htmx(f"/imports/{run_id}/progress").get_data(as_text=True)

    assert 'hx-trigger="every 1s"' in fragment and "2 of 6 rows processed" in fragment
    assert "<html" not in fragment
    assert start(client, run_id).status_code == 200  # already running: nothing happens
    assert count(db, Customer) == 0


def test_run_whose_file_vanished_fails_with_a_message(client, db, bank, login_as, app):
    login_as(bank["admin"])
    run_id = uploaded_run(client, sample(CUSTOMERS_SAMPLE))
    run = db.session.get(ImportRun, run_id)
    os.remove(os.path.join(app.instance_path, "imports", run.stored_name))

    response = start(client, run_id)

    assert response.status_code == 200
    assert "The file cannot be read" in response.get_data(as_text=True)
    assert db.session.get(ImportRun, run_id).status == "failed"


@pytest.mark.parametrize("data, name, message", [
    (b"customer_number\n1\n", "customers.xlsx", "Only .csv files can be imported."),
    (b"", "empty.csv", "The file is empty."),
    (b"name,amount\nx,1\n", "other.csv", "The header matches neither kind of file"),
    (b"\xff\xfe\x00c", "utf16.csv", "The file is not UTF-8 or GB18030 (GBK) text"),
    (CUSTOMER_HEADER.encode(), "header.csv", "The file has a header but no data rows."),
])
def test_bad_upload_is_refused_with_a_clear_message(client, db, bank, login_as, data, name,
                                                    message):
    login_as(bank["supervisor_a"])
    response = upload(client, data, name=name)

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(db, ImportRun) == 0


def test_upload_without_a_file_is_refused(client, bank, login_as):
    login_as(bank["supervisor_a"])
    response = client.post_form("/imports/", {}, content_type="multipart/form-data")

    assert response.status_code == 400
    assert "Choose a CSV file to upload." in response.get_data(as_text=True)


def test_too_large_upload_is_refused(client, db, bank, login_as, app, monkeypatch):
    login_as(bank["supervisor_a"])
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 200)

    response = upload(client, sample(CUSTOMERS_SAMPLE))

    assert response.status_code == 413
    assert count(db, ImportRun) == 0


def test_posts_without_csrf_token_are_refused(client, db, bank, login_as):
    login_as(bank["admin"])
    run_id = uploaded_run(client, sample(CUSTOMERS_SAMPLE))

    form = {"file": (io.BytesIO(sample(CUSTOMERS_SAMPLE)), "c.csv")}
    response = client.post("/imports/", data=form, content_type="multipart/form-data")
    assert response.status_code == 400
    assert client.post(f"/imports/{run_id}/run").status_code == 400
    assert count(db, ImportRun) == 1
    assert count(db, Customer) == 0


def test_another_supervisors_run_is_not_found(client, db, bank, login_as):
    login_as(bank["supervisor_b"])
    run_id = uploaded_run(client, csv_bytes(
        CUSTOMER_HEADER, "C1,张三,M,1975-03-14,310101197503140117,13800138001,OUT-B1,,,,"
        "2015-06-20,,,"))
    switch_to(client, login_as, bank["supervisor_a"])

    assert client.get(f"/imports/{run_id}").status_code == 404
    assert client.get_htmx(f"/imports/{run_id}/progress").status_code == 404
    assert start(client, run_id).status_code == 404
    assert db.session.get(ImportRun, run_id).status == "queued"
    assert "access.refused" in {e.action for e in db.session.scalars(select(AuditEvent))}
    assert client.get("/imports/999999").status_code == 404


def test_recent_runs_are_scoped(client, bank, login_as):
    login_as(bank["supervisor_b"])
    uploaded_run(client, sample(CUSTOMERS_SAMPLE), name="from_b.csv")
    switch_to(client, login_as, bank["supervisor_a"])
    uploaded_run(client, sample(CUSTOMERS_SAMPLE), name="from_a.csv")

    page = client.get("/imports/").get_data(as_text=True)
    assert "from_a.csv" in page and "from_b.csv" not in page

    switch_to(client, login_as, bank["admin"])
    page = client.get("/imports/").get_data(as_text=True)
    assert "from_a.csv" in page and "from_b.csv" in page


def test_anonymous_visitor_is_sent_to_login(client, bank):
    response = client.get("/imports/")

    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("encoding", ["auto", "gb18030"])
def test_a_gb18030_upload_imports_its_chinese_names(client, db, bank, login_as, encoding):
    login_as(bank["admin"])
    run_id = uploaded_run(client, sample_in(CUSTOMERS_SAMPLE, "gb18030"), encoding=encoding)
    assert start(client, run_id).status_code == 200
    run = db.session.get(ImportRun, run_id)
    db.session.refresh(run)
    assert (run.status, run.inserted, run.bad_rows) == ("done", 6, 0)
    assert db.session.scalar(select(Customer.name).where(
        Customer.customer_number == "880000000002")) == "李娜"


def test_the_upload_page_offers_the_encodings(client, bank, login_as):
    login_as(bank["supervisor_a"])
    page = client.get("/imports/").get_data(as_text=True)
    assert 'name="encoding"' in page and 'value="gb18030"' in page


def test_a_gb18030_upload_declared_utf8_is_refused(client, db, bank, login_as):
    login_as(bank["admin"])
    response = upload(client, sample_in(CUSTOMERS_SAMPLE, "gb18030"), encoding="utf-8")
    assert response.status_code == 400
    assert "not UTF-8 text" in response.get_data(as_text=True)
    assert count(db, ImportRun) == 0
