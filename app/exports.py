"""One export helper for every list: CSV (spreadsheet-safe) or XLSX, from a header and rows.

Cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
return) are prefixed with an apostrophe in CSV; XLSX cells are written as text or numbers,
never as formulas.
"""
import csv
import io
from datetime import date, datetime

import xlsxwriter
from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """Return ``value`` as CSV text that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(header, rows):
    """Return the CSV file (UTF-8 with a BOM, so spreadsheets read Chinese) as bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(cell) for cell in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def xlsx_bytes(header, rows, sheet="Export"):
    """Return an XLSX workbook of one sheet (bold header, frozen first row) as bytes."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False})
    worksheet = workbook.add_worksheet(sheet[:31])
    bold = workbook.add_format({"bold": True})
    worksheet.write_row(0, 0, [str(cell) for cell in header], bold)
    worksheet.freeze_panes(1, 0)
    for index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            value = _xlsx_value(value)
            if isinstance(value, str):
                worksheet.write_string(index, column, value)
            else:
                worksheet.write_number(index, column, value)
    workbook.close()
    return buffer.getvalue()


def export_response(fmt, name, header, rows):
    """Return a download of ``rows`` under ``header`` as ``name.csv`` or ``name.xlsx``."""
    rows = list(rows)
    if fmt == "xlsx":
        body, mimetype = xlsx_bytes(header, rows, sheet=name), XLSX_MIMETYPE
    else:
        fmt, body, mimetype = "csv", csv_bytes(header, rows), "text/csv; charset=utf-8"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{name}.{fmt}"'})
