"""The shared export helper: spreadsheet-safe CSV and XLSX from a header and rows."""
import io
import zipfile
from datetime import date

from app.exports import csv_bytes, export_response, safe_cell, xlsx_bytes


def test_cells_that_a_spreadsheet_would_run_are_defused():
    assert [safe_cell(v) for v in ("=1+1", "+86", "-3", "@SUM(A1)", "\tx", "plain", None, 7)] \
        == ["'=1+1", "'+86", "'-3", "'@SUM(A1)", "'\tx", "plain", "", "7"]


def test_csv_has_a_bom_for_spreadsheets_and_defuses_every_cell():
    data = csv_bytes(["姓名", "=h"], [["刘晓东", "=cmd|' /C calc'!A0"], [None, 3]])

    text = data.decode("utf-8")
    assert text.startswith("\ufeff姓名,'=h\r\n")
    assert "'=cmd|' /C calc'!A0" in text and text.endswith(",3\r\n")


def test_xlsx_writes_formulas_as_text_numbers_as_numbers_and_dates_as_iso():
    data = xlsx_bytes(["Name", "Score", "On"], [["=1+1", 88, date(2026, 12, 1)]], sheet="t")

    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        strings = book.read("xl/sharedStrings.xml").decode()
    assert "<f>" not in sheet and "=1+1" in strings and "2026-12-01" in strings
    assert "<v>88</v>" in sheet


def test_export_response_names_the_download(app):
    with app.test_request_context():
        response = export_response("xlsx", "team", ["a"], [[1]])
        fallback = export_response("pdf", "team", ["a"], [[1]])

    assert response.headers["Content-Disposition"] == 'attachment; filename="team.xlsx"'
    assert fallback.mimetype == "text/csv"
