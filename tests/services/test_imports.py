"""Importing customers and holdings from core-banking CSV files (the service layer)."""
import io
from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from app.imports.services import ImportFileError, import_csv, read_import_file
from app.models import AuditEvent, Customer, Holding, TierHistory, TierThreshold

from ..import_data import sample_in
from ..import_data import (CUSTOMER_HEADER, CUSTOMERS_BAD, CUSTOMERS_SAMPLE, HOLDING_HEADER,
                           HOLDINGS_BAD, HOLDINGS_SAMPLE, count, counts, csv_bytes,
                           name_the_bank)


@pytest.fixture(autouse=True)
def english(db):
    """Messages in English, as the command line shows them (no request here)."""
    with force_locale("en"):
        yield


@pytest.fixture
def bank(db, world, make_product):
    return name_the_bank(db, world, make_product)


def customer(db, number):
    return db.session.scalar(select(Customer).where(Customer.customer_number == number))


def problems(result):
    return [(e.line, e.column, e.code) for e in result.errors]


def test_valid_customers_file_imports_every_row_with_derived_columns(db, bank):
    result = import_csv(CUSTOMERS_SAMPLE, actor=None)

    assert (result.kind, result.rows, result.inserted, result.updated) == ("customers", 6, 6, 0)
    assert result.errors == []
    zhang = customer(db, "880000000001")
    assert zhang.name == "张伟" and zhang.gender == "M"
    assert zhang.birth_on == date(1975, 3, 14) and zhang.birth_mmdd == "03-14"
    assert zhang.id_number == "310101197503140117"
    assert zhang.mobile == "13800138001" and zhang.mobile_last4 == "8001"
    assert zhang.branch_id == bank["outlet_a"].id
    assert zhang.maintainer_id == bank["maint_a"].id
    assert (zhang.risk_level, zhang.risk_assessed_on) == ("C3", date(2026, 3, 1))
    assert zhang.onboarded_on == date(2015, 6, 20)
    assert zhang.last_contact_on == date(2026, 10, 8)
    assert zhang.status == "active" and zhang.marketing_consent is True
    assert zhang.tier == "mass" and zhang.aum_fen == 0
    liu = customer(db, "880000000004")
    assert liu.maintainer_id is None and liu.risk_level is None
    assert liu.status == "dormant" and liu.marketing_consent is False
    assert customer(db, "880000000003").status == "active"
    assert customer(db, "880000000006").status == "closed"


def test_reimport_updates_existing_customers_instead_of_duplicating(db, bank):
    import_csv(CUSTOMERS_SAMPLE, actor=None)
    zhang = customer(db, "880000000001")
    zhang.last_contact_on = date(2026, 11, 20)  # logged in the portal since the export
    db.session.commit()
    changed = csv_bytes(
        CUSTOMER_HEADER,
        "880000000001,张伟,M,1975-03-14,310101197503140117,13900001234,BR-A,,,,2015-06-20,"
        "2026-10-08,,")

    result = import_csv(changed, actor=None, file_name="changed.csv")

    assert (result.inserted, result.updated, result.errors) == (0, 1, [])
    assert count(db, Customer) == 6
    db.session.expire_all()
    zhang = customer(db, "880000000001")
    assert zhang.mobile == "13900001234" and zhang.mobile_last4 == "1234"
    assert zhang.branch_id == bank["branch_a"].id
    # empty optional cells keep what the portal holds; an older contact date is ignored
    assert zhang.maintainer_id == bank["maint_a"].id
    assert zhang.risk_level == "C3" and zhang.marketing_consent is True
    assert zhang.last_contact_on == date(2026, 11, 20)


def test_bad_rows_are_reported_by_line_and_column_and_good_rows_imported(db, bank):
    result = import_csv(CUSTOMERS_BAD, actor=None)

    assert problems(result) == [
        (3, "id_number", "bad_id_number"),
        (4, "id_number", "id_birth_mismatch"),
        (5, "mobile", "bad_mobile"),
        (6, "branch_code", "unknown_branch"),
        (7, "maintainer_username", "unknown_maintainer"),
        (8, "maintainer_username", "not_a_maintainer"),
        (9, "maintainer_username", "maintainer_elsewhere"),
        (10, "gender", "bad_gender"),
        (11, "birth_date", "bad_date"),
        (12, "onboarded_on", "future_date"),
        (13, "risk_assessed_on", "risk_date_required"),
        (14, "risk_level", "bad_risk_level"),
        (15, "status", "bad_status"),
        (16, "marketing_consent", "bad_flag"),
        (17, "name", "required"),
        (18, "customer_number", "duplicate_in_file"),
        (19, "id_number", "duplicate_in_file"),
        (20, "", "field_count"),
    ]
    assert (result.rows, result.inserted, result.bad_rows) == (20, 2, 18)
    assert customer(db, "881000000001").name == "周敏"
    assert customer(db, "881000000020").maintainer_id == bank["maint_a2"].id
    assert count(db, Customer) == 2


def test_problem_messages_name_the_cause(db, bank):
    result = import_csv(CUSTOMERS_BAD, actor=None)
    messages = {e.line: e.message for e in result.errors}

    assert messages[6] == "No branch has the code NOPE."
    assert messages[7] == "No staff member has the username nobody."
    assert messages[8] == "zhou.min is not an active customer maintainer."
    assert messages[9] == "zhao.lei does not work in branch OUT-A1 or below it."
    assert messages[18] == "The same value is already on line 2 of this file."
    assert messages[20] == "The row has 4 fields; the header has 14."
    assert messages[3] == ("Not a valid 18-character resident ID number "
                           "(format or check digit).")


def test_id_number_of_another_customer_in_the_database_is_a_row_error(db, bank,
                                                                      make_customer):
    make_customer(branch=bank["outlet_a"], customer_number="C900", id_number="310101197503140117")
    result = import_csv(CUSTOMERS_SAMPLE, actor=None)

    assert problems(result) == [(2, "id_number", "id_number_taken")]
    assert result.inserted == 5
    assert customer(db, "880000000001") is None


def test_inactive_maintainer_and_closed_branch_are_refused(db, bank):
    bank["maint_a"].active = False
    bank["branch_b"].active = False
    db.session.flush()
    result = import_csv(CUSTOMERS_SAMPLE, actor=None)

    assert problems(result) == [(2, "maintainer_username", "not_a_maintainer"),
                                (3, "maintainer_username", "not_a_maintainer"),
                                (7, "branch_code", "branch_closed")]


def test_supervisor_may_only_import_into_own_subtree(db, bank):
    result = import_csv(CUSTOMERS_SAMPLE, actor=bank["supervisor_a"])

    assert problems(result) == [(6, "branch_code", "branch_out_of_scope"),
                                (7, "branch_code", "branch_out_of_scope")]
    assert result.inserted == 4
    assert result.errors[0].message == "The branch is outside your scope."


def test_supervisor_cannot_move_a_customer_of_another_branch(db, bank, make_customer):
    make_customer(branch=bank["outlet_b"], customer_number="880000000001")
    result = import_csv(CUSTOMERS_SAMPLE, actor=bank["supervisor_a"])

    assert (2, "customer_number", "customer_out_of_scope") in problems(result)
    assert customer(db, "880000000001").branch_id == bank["outlet_b"].id


def test_dry_run_reports_but_writes_nothing(db, bank):
    before = counts(db)
    result = import_csv(CUSTOMERS_BAD, actor=None, dry_run=True)

    assert result.dry_run and (result.inserted, result.updated, result.bad_rows) == (2, 0, 18)
    assert counts(db) == before
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "import.completed")).one()
    assert event.detail["dry_run"] is True and event.detail["inserted"] == 2


def test_dry_run_of_holdings_accepts_customers_a_customers_dry_run_would_add(db, bank):
    planned = {}
    import_csv(CUSTOMERS_SAMPLE, actor=None, dry_run=True, planned=planned)
    result = import_csv(HOLDINGS_SAMPLE, actor=None, dry_run=True, planned=planned)

    assert (result.inserted, result.errors) == (5, [])
    assert counts(db) == (0, 0)


def test_import_writes_one_audit_event_with_counts(db, bank):
    import_csv(CUSTOMERS_SAMPLE, actor=None)

    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "import.completed")).one()
    assert event.actor_id is None
    assert event.detail["file"] == "customers_sample.csv"
    assert (event.detail["inserted"], event.detail["updated"], event.detail["bad_rows"]) == (
        6, 0, 0)


def test_holdings_import_converts_yuan_to_fen_and_recomputes_aum(db, bank):
    import_csv(CUSTOMERS_SAMPLE, actor=None)
    result = import_csv(HOLDINGS_SAMPLE, actor=None)

    assert (result.kind, result.inserted, result.errors) == ("holdings", 5, [])
    holding = db.session.scalar(select(Holding).where(Holding.reference == "HT2026000002"))
    assert holding.amount_fen == 35_000_050
    assert holding.product_id == bank["wealth"].id
    assert holding.matures_on == date(2026, 11, 28)
    assert customer(db, "880000000001").aum_fen == 55_000_050
    assert customer(db, "880000000002").aum_fen == 4_800_000
    assert customer(db, "880000000004").aum_fen == 0


def test_holdings_import_raises_tiers_with_history(db, bank):
    import_csv(CUSTOMERS_SAMPLE, actor=None)
    result = import_csv(HOLDINGS_SAMPLE, actor=None)

    assert result.tier_upgrades == 3
    assert customer(db, "880000000001").tier == "platinum"
    assert customer(db, "880000000003").tier == "platinum"
    assert customer(db, "880000000005").tier == "gold"
    assert customer(db, "880000000002").tier == "mass"
    rows = db.session.scalars(select(TierHistory).join(Customer).where(
        Customer.customer_number.like("88%")).order_by(TierHistory.aum_fen)).all()
    assert [(r.from_tier, r.to_tier, r.reason) for r in rows] == [
        ("mass", "gold", "import"), ("mass", "platinum", "import"),
        ("mass", "platinum", "import")]


def test_tiers_use_the_thresholds_head_office_set(db, bank):
    db.session.get(TierThreshold, "gold").min_aum_fen = 4_000_000
    db.session.flush()
    import_csv(CUSTOMERS_SAMPLE, actor=None)
    import_csv(HOLDINGS_SAMPLE, actor=None)

    assert customer(db, "880000000002").tier == "gold"


def test_reimported_holding_is_updated_and_aum_follows(db, bank):
    import_csv(CUSTOMERS_SAMPLE, actor=None)
    import_csv(HOLDINGS_SAMPLE, actor=None)
    moved = csv_bytes(HOLDING_HEADER, "HT2026000003,880000000004,DEP-1Y,1000.00,2025-12-20,")

    result = import_csv(moved, actor=None, file_name="moved.csv")

    assert (result.inserted, result.updated) == (0, 1)
    assert count(db, Holding) == 5
    assert customer(db, "880000000002").aum_fen == 0
    assert customer(db, "880000000004").aum_fen == 100_000


def test_bad_holding_rows_are_reported_and_good_ones_imported(db, bank):
    import_csv(CUSTOMERS_SAMPLE, actor=None)
    result = import_csv(HOLDINGS_BAD, actor=None)

    assert problems(result) == [
        (3, "customer_number", "unknown_customer"),
        (4, "product_code", "unknown_product"),
        (5, "amount", "bad_amount"),
        (6, "amount", "amount_not_positive"),
        (7, "amount", "bad_amount"),
        (8, "matures_on", "matures_before_opened"),
        (9, "reference", "duplicate_in_file"),
        (10, "opened_on", "bad_date"),
        (11, "reference", "required"),
    ]
    assert (result.inserted, result.bad_rows) == (2, 9)
    assert customer(db, "880000000001").aum_fen == 1_000_000
    assert customer(db, "880000000002").aum_fen == 500_050


def test_supervisor_cannot_import_holdings_of_customers_outside_scope(db, bank):
    import_csv(CUSTOMERS_SAMPLE, actor=None)
    result = import_csv(HOLDINGS_SAMPLE, actor=bank["supervisor_b"])

    assert [line for line, _col, code in problems(result)
            if code == "customer_out_of_scope"] == [2, 3, 4, 5]
    assert result.inserted == 1


def test_progress_is_reported_per_chunk(db, bank, monkeypatch):
    monkeypatch.setattr("app.imports.services.importing.CHUNK_SIZE", 4)
    calls = []
    import_csv(CUSTOMERS_SAMPLE, actor=None, progress=lambda done, total: calls.append(
        (done, total)))

    assert calls == [(4, 6), (6, 6)]
    assert count(db, Customer) == 6


def test_header_with_bom_quotes_and_blank_lines_is_read(db, bank):
    data = ("\ufeff" + HOLDING_HEADER.upper() + "\r\n\r\n"
            '"HT1","C1","DEP-1Y","1,5",2026-01-01,\r\n').encode("utf-8")
    parsed = read_import_file(io.BytesIO(data))

    assert parsed.kind == "holdings" and parsed.rows == [(3, ["HT1", "C1", "DEP-1Y", "1,5",
                                                              "2026-01-01", ""])]


@pytest.mark.parametrize("data, message", [
    (b"", "The file is empty."),
    (b"\xff\xfe\x00c\x00u", "The file is not UTF-8 or GB18030 (GBK) text"),
    (b"name,amount\nx,1\n", "The header matches neither kind of file"),
    (HOLDING_HEADER.encode() + b",colour\n", "unknown columns: colour"),
    (HOLDING_HEADER.encode() + b",amount\n", "repeats the column amount"),
    (HOLDING_HEADER.encode() + b"\n", "no data rows"),
])
def test_unreadable_or_unknown_files_are_refused_whole(db, bank, data, message):
    with pytest.raises(ImportFileError) as raised:
        import_csv(data, actor=None)

    assert message in str(raised.value.message)
    assert counts(db) == (0, 0)


def test_missing_file_is_refused(db, bank, tmp_path):
    with pytest.raises(ImportFileError):
        import_csv(str(tmp_path / "missing.csv"), actor=None)


SAMPLE_NAMES = {"张伟", "李娜"}


@pytest.mark.parametrize("encoding", ["auto", "gb18030"])
def test_a_gb18030_file_imports_with_its_chinese_names(db, bank, encoding):
    data = sample_in(CUSTOMERS_SAMPLE, "gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really not UTF-8: the Chinese names are GB18030 bytes
    result = import_csv(data, actor=None, encoding=encoding)
    assert (result.inserted, result.bad_rows) == (6, 0)
    names = set(db.session.scalars(select(Customer.name).where(
        Customer.customer_number.like("88%"))))
    assert SAMPLE_NAMES <= names


@pytest.mark.parametrize("data", [sample_in(CUSTOMERS_SAMPLE, "utf-8"),
                                  sample_in(CUSTOMERS_SAMPLE, "utf-8-sig")])
def test_utf8_with_or_without_bom_is_detected_first(data):
    parsed = read_import_file(data)
    assert parsed.encoding == "utf-8" and parsed.header[0] == "customer_number"
    assert parsed.rows[0][1][1] == "张伟"


def test_a_gb18030_file_read_as_utf8_is_refused_clearly():
    with pytest.raises(ImportFileError) as raised:
        read_import_file(sample_in(CUSTOMERS_SAMPLE, "gb18030"), encoding="utf-8")
    assert "not UTF-8 text" in str(raised.value.message)
