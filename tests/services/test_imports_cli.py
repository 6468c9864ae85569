"""``flask customers import``: progress, summary, bad rows and exit codes."""
import pytest
from sqlalchemy import select

from app.models import Customer

from ..import_data import sample_in
from ..import_data import (CUSTOMERS_BAD, CUSTOMERS_SAMPLE, HOLDINGS_SAMPLE, count, counts,
                           name_the_bank)


@pytest.fixture
def bank(db, world, make_product):
    return name_the_bank(db, world, make_product)


def run_import(runner, *args):
    return runner.invoke(args=["customers", "import", *args])


def test_valid_file_imports_and_exits_0(runner, db, bank):
    result = run_import(runner, CUSTOMERS_SAMPLE)

    assert result.exit_code == 0, result.output
    assert ("Customers file customers_sample.csv: 6 rows, 6 inserted, 0 updated, 0 bad rows."
            in result.stdout)
    assert "customers_sample.csv" in result.stderr  # the progress bar's label
    assert count(db, Customer) == 6


def test_bad_rows_are_listed_and_exit_1_while_good_rows_are_imported(runner, db, bank):
    result = run_import(runner, CUSTOMERS_BAD)

    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "20 rows, 2 inserted, 0 updated, 18 bad rows." in lines[0]
    assert lines[1] == ("line 3, column id_number: Not a valid 18-character resident ID "
                        "number (format or check digit).")
    assert "line 6, column branch_code: No branch has the code NOPE." in lines
    assert "line 20: The row has 4 fields; the header has 14." in lines
    assert len(lines) == 19
    assert count(db, Customer) == 2


def test_dry_run_writes_nothing_and_says_so(runner, db, bank):
    result = run_import(runner, "--dry-run", CUSTOMERS_BAD)

    assert result.exit_code == 1
    assert "dry run, nothing written" in result.stdout
    assert "2 would be inserted, 0 would be updated, 18 bad rows." in result.stdout
    assert counts(db) == (0, 0)


def test_customers_then_holdings_in_one_dry_run(runner, db, bank):
    result = run_import(runner, "--dry-run", CUSTOMERS_SAMPLE, HOLDINGS_SAMPLE)

    assert result.exit_code == 0, result.output
    assert "Holdings file holdings_sample.csv (dry run" in result.stdout
    assert "5 would be inserted" in result.stdout
    assert counts(db) == (0, 0)


def test_holdings_import_reports_tier_upgrades(runner, db, bank):
    result = run_import(runner, CUSTOMERS_SAMPLE, HOLDINGS_SAMPLE)

    assert result.exit_code == 0, result.output
    assert "5 inserted" in result.stdout and "3 customers moved up a tier." in result.stdout


def test_unknown_header_exits_2(runner, db, bank, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("name,amount\nx,1\n", encoding="utf-8")
    result = run_import(runner, str(path))

    assert result.exit_code == 2
    assert "The header matches neither kind of file" in result.stderr
    assert counts(db) == (0, 0)


def test_unreadable_file_exits_2(runner, db, bank, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(b"PK\x03\x04\xff\xfe binary")

    assert run_import(runner, str(path)).exit_code == 2
    missing = run_import(runner, str(tmp_path / "missing.csv"))
    assert missing.exit_code == 2
    assert "The file cannot be read" in missing.stderr


def test_one_bad_file_among_several_still_imports_the_others(runner, db, bank, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = run_import(runner, str(empty), CUSTOMERS_SAMPLE)

    assert result.exit_code == 2
    assert "The file is empty." in result.stderr
    assert count(db, Customer) == 6


@pytest.mark.parametrize("options", [[], ["--encoding", "gb18030"]])
def test_a_gb18030_file_imports_from_the_command_line(runner, db, bank, tmp_path, options):
    path = tmp_path / "customers_gb.csv"
    path.write_bytes(sample_in(CUSTOMERS_SAMPLE, "gb18030"))
    result = run_import(runner, *options, str(path))
    assert result.exit_code == 0, result.output
    assert "6 rows, 6 inserted" in result.stdout
    assert db.session.scalar(select(Customer.name).where(
        Customer.customer_number == "880000000001")) == "张伟"


def test_a_wrong_encoding_option_is_refused(runner, bank):
    result = run_import(runner, "--encoding", "latin-1", CUSTOMERS_SAMPLE)
    assert result.exit_code == 2 and "latin-1" in result.output
