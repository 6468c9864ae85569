"""Reading core-banking CSV files: the two kinds, their columns, and checks on single cells.

Everything here works on text only; what needs the database (branches, staff, existing
customers) is checked by the services.
"""
import csv
import io
import os
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

from ..errors import Invalid
from ..personal_data import id_number_birth_date, is_valid_id_number, is_valid_mobile

CUSTOMERS = "customers"
HOLDINGS = "holdings"
TRAINING = "training"

CUSTOMER_COLUMNS = (
    "customer_number", "name", "gender", "birth_date", "id_number", "mobile", "branch_code",
    "maintainer_username", "risk_level", "risk_assessed_on", "onboarded_on", "last_contact_on",
    "status", "marketing_consent",
)
CUSTOMER_REQUIRED = (
    "customer_number", "name", "gender", "birth_date", "id_number", "mobile", "branch_code",
    "onboarded_on",
)
HOLDING_COLUMNS = ("reference", "customer_number", "product_code", "amount", "opened_on",
                   "matures_on")
HOLDING_REQUIRED = ("reference", "customer_number", "product_code", "amount", "opened_on")

# Scores and attendance exported by the exam system (imported by app/training).
TRAINING_COLUMNS = ("username", "course_code", "session_id", "attendance", "score",
                    "assessed_on")
TRAINING_REQUIRED = ("username", "course_code", "assessed_on")

# kind -> (every column it may have, the columns it must have)
KINDS = {
    CUSTOMERS: (CUSTOMER_COLUMNS, CUSTOMER_REQUIRED),
    HOLDINGS: (HOLDING_COLUMNS, HOLDING_REQUIRED),
    TRAINING: (TRAINING_COLUMNS, TRAINING_REQUIRED),
}

KIND_LABELS = {CUSTOMERS: _l("Customers"), HOLDINGS: _l("Holdings"),
               TRAINING: _l("Training scores and attendance")}
KIND_NAMES = {CUSTOMERS: _l("customers"), HOLDINGS: _l("holdings"),
              TRAINING: _l("training scores")}

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
AMOUNT_RE = re.compile(r"^\d{1,13}(\.\d{1,2})?$")
FLAGS = {"y": True, "yes": True, "1": True, "true": True,
         "n": False, "no": False, "0": False, "false": False}
MAX_ECHO = 40  # longest cell value repeated inside a message

MESSAGES = {
    "field_count": _l("The row has %(found)s fields; the header has %(expected)s."),
    "required": _l("A value is required."),
    "too_long": _l("At most %(max)s characters are allowed."),
    "bad_date": _l("Not a date in the form YYYY-MM-DD."),
    "future_date": _l("The date lies in the future."),
    "bad_gender": _l("Use M or F."),
    "bad_id_number": _l("Not a valid 18-character resident ID number (format or check digit)."),
    "id_birth_mismatch": _l("The birth date in the ID number differs from birth_date."),
    "id_number_taken": _l("Another customer already has this ID number."),
    "bad_mobile": _l("Not an 11-digit mainland mobile number."),
    "unknown_branch": _l("No branch has the code %(code)s."),
    "branch_closed": _l("The branch %(code)s is closed."),
    "branch_out_of_scope": _l("The branch is outside your scope."),
    "unknown_maintainer": _l("No staff member has the username %(username)s."),
    "not_a_maintainer": _l("%(username)s is not an active customer maintainer."),
    "maintainer_elsewhere": _l("%(username)s does not work in branch %(code)s or below it."),
    "bad_risk_level": _l("Use C1, C2, C3, C4 or C5."),
    "risk_date_required": _l("Give the assessment date with the risk level."),
    "risk_level_required": _l("Give the risk level with its assessment date."),
    "bad_status": _l("Use active, dormant or closed."),
    "bad_flag": _l("Use Y or N (1/0, true/false are accepted too)."),
    "duplicate_in_file": _l("The same value is already on line %(line)s of this file."),
    "customer_out_of_scope": _l("The customer is outside your scope."),
    "unknown_customer": _l("No customer has the number %(number)s."),
    "unknown_product": _l("No product has the code %(code)s."),
    "bad_amount": _l("Not an amount in yuan with at most two decimals, such as 200000.00."),
    "amount_not_positive": _l("The amount must be more than zero."),
    "matures_before_opened": _l("The maturity date is before the opening date."),
    "unknown_staff": _l("No staff member has the username %(username)s."),
    "staff_out_of_scope": _l("The staff member is outside your scope."),
    "unknown_course": _l("No course has the code %(code)s."),
    "unknown_session": _l("No session %(session)s of this course is within your scope."),
    "bad_score": _l("Not a whole score from 0 to 100."),
    "bad_attendance": _l("Use present, absent or excused."),
    "attendance_needs_session": _l("Attendance needs the session_id of the session."),
    "score_or_attendance": _l("Give a score, an attendance, or both."),
    "training_not_allowed": _l("Only trainers and head office may import training scores."),
}


class ImportFileError(Invalid):
    """The file cannot be imported at all: unreadable, empty, or with an unknown header."""


@dataclass
class RowError:
    """One problem of one row: its line in the file, the column ('' for the row) and why."""

    line: int
    column: str
    code: str
    params: dict = field(default_factory=dict)

    @property
    def message(self):
        """Return the problem in the current language."""
        template = str(MESSAGES[self.code])
        return template % self.params if self.params else template

    def as_dict(self):
        """Return the problem as JSON-ready data (the message is translated when shown)."""
        return {"line": self.line, "column": self.column, "code": self.code,
                "params": self.params}

    @classmethod
    def from_dict(cls, data):
        """Rebuild a problem stored by ``as_dict``."""
        return cls(data["line"], data["column"], data["code"], data.get("params") or {})


# Encodings a file may be in: core banking systems in China commonly export GB18030 (a
# superset of GBK and GB2312); "auto" tries UTF-8 (with or without BOM), then GB18030.
AUTO, UTF8, GB18030 = "auto", "utf-8", "gb18030"
ENCODINGS = (AUTO, UTF8, GB18030)
_CODECS = {UTF8: "utf-8-sig", GB18030: "gb18030"}


@dataclass
class ImportFile:
    """A decoded CSV file: its kind, its name and its data rows with their line numbers."""

    kind: str
    file_name: str
    header: list
    rows: list  # (line number, list of cells)
    encoding: str = UTF8

    @property
    def total(self):
        """Return the number of data rows."""
        return len(self.rows)


def _read_bytes(source):
    if isinstance(source, (bytes, bytearray)):
        return bytes(source), None
    if isinstance(source, (str, os.PathLike)):
        try:
            with open(source, "rb") as stream:
                return stream.read(), os.path.basename(source)
        except OSError as error:
            raise ImportFileError(_l("The file cannot be read: %(reason)s",
                                     reason=error.strerror or str(error)))
    return source.read(), os.path.basename(getattr(source, "name", "") or "")


def _refuse_encoding(encoding):
    if encoding == UTF8:
        raise ImportFileError(_l("The file is not UTF-8 text. Save it from the spreadsheet "
                                 "as “CSV UTF-8”, or choose its encoding, and try again."))
    if encoding == GB18030:
        raise ImportFileError(_l("The file is not GB18030 (GBK) text. Choose its encoding, "
                                 "or save it as “CSV UTF-8”, and try again."))
    raise ImportFileError(_l("The file is not UTF-8 or GB18030 (GBK) text. Save it from the "
                             "spreadsheet as “CSV UTF-8” and try again."))


def decode_import_bytes(data, encoding=AUTO):
    """Return ``(text, encoding)`` of a file's bytes: in ``encoding``, or detected for "auto".

    Raises ImportFileError when the file is empty, not in that encoding (or in neither) or
    not text.
    """
    if not data.strip():
        raise ImportFileError(_l("The file is empty."))
    if encoding not in ENCODINGS:
        _refuse_encoding(AUTO)
    for candidate in ((UTF8, GB18030) if encoding == AUTO else (encoding,)):
        try:
            text = data.decode(_CODECS[candidate])
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            raise ImportFileError(_l("The file is not a CSV text file."))
        return text, candidate
    _refuse_encoding(encoding)


def detect_kind(header):
    """Tell the kind of file from its header row, or raise ImportFileError saying what is wrong."""
    names = [name.strip().lower() for name in header]
    repeated = sorted({name for name in names if names.count(name) > 1 and name})
    if repeated:
        raise ImportFileError(_l("The header repeats the column %(columns)s.",
                                 columns=", ".join(repeated)))
    for kind, (columns, required) in KINDS.items():
        if set(required) <= set(names):
            unknown = [name for name in names if name and name not in columns]
            if unknown:
                raise ImportFileError(_l(
                    "The header has unknown columns: %(columns)s. A %(kind)s file may have "
                    "only these columns: %(allowed)s.", columns=", ".join(unknown),
                    kind=KIND_NAMES[kind], allowed=", ".join(columns)))
            return kind, names
    raise ImportFileError(_l(
        "The header matches neither kind of file. A customers file needs the columns "
        "%(customers)s; a holdings file needs %(holdings)s.",
        customers=", ".join(CUSTOMER_REQUIRED), holdings=", ".join(HOLDING_REQUIRED)))


def read_import_file(source, file_name=None, encoding=AUTO):
    """Read a CSV file (path, binary stream or bytes) and return its kind and data rows.

    ``encoding`` is one of ``ENCODINGS``; "auto" takes UTF-8 (BOM or not), else GB18030.
    Raises ImportFileError when the file cannot be read, is empty or has an unknown header.
    Blank lines are skipped; line numbers count every physical line, the header being line 1.
    """
    data, default_name = _read_bytes(source)
    text, encoding = decode_import_bytes(data, encoding)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise ImportFileError(_l("The first line of the file must be the header row."))
        kind, names = detect_kind(header)
        rows, line = [], reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as error:
        raise ImportFileError(_l("The file is not valid CSV near line %(line)s: %(reason)s",
                                 line=reader.line_num, reason=str(error)))
    if not rows:
        raise ImportFileError(_l("The file has a header but no data rows."))
    return ImportFile(kind, file_name or default_name or "upload.csv", names, rows, encoding)


class Row:
    """The cells of one data row, read into typed values while its problems are collected."""

    def __init__(self, line, header, cells):
        self.line = line
        self.errors = []
        self.cells = {}
        if len(cells) != len(header):
            self.error("", "field_count", found=len(cells), expected=len(header))
        else:
            self.cells = {name: cell.strip() for name, cell in zip(header, cells)}

    @property
    def ok(self):
        """Tell whether no problem has been found so far."""
        return not self.errors

    def error(self, column, problem, **params):
        """Note ``problem`` (a key of MESSAGES) in ``column``; quoted cells are shortened."""
        params = {key: (value[:MAX_ECHO] if isinstance(value, str) else value)
                  for key, value in params.items()}
        self.errors.append(RowError(self.line, column, problem, params))

    def text(self, column, required=False, max_length=None):
        """Return the cell's text, or None when empty (a problem if ``required``)."""
        value = self.cells.get(column, "")
        if not value:
            if required and self.cells:
                self.error(column, "required")
            return None
        if max_length and len(value) > max_length:
            self.error(column, "too_long", max=max_length)
            return None
        return value

    def choice(self, column, allowed, problem, required=False):
        """Return the cell as one of ``allowed`` (compared without case), else note ``problem``."""
        value = self.text(column, required)
        if value is None:
            return None
        for option in allowed:
            if value.lower() == option.lower():
                return option
        self.error(column, problem)
        return None

    def date(self, column, required=False, latest=None):
        """Return the cell as a YYYY-MM-DD date, not after ``latest`` when given."""
        value = self.text(column, required)
        if value is None:
            return None
        try:
            parsed = date.fromisoformat(value) if DATE_RE.match(value) else None
        except ValueError:
            parsed = None
        if parsed is None:
            self.error(column, "bad_date")
        elif latest is not None and parsed > latest:
            self.error(column, "future_date")
            return None
        return parsed

    def flag(self, column):
        """Return the cell as a yes/no value (Y/N, 1/0, true/false), None when empty."""
        value = self.text(column)
        if value is None:
            return None
        if value.lower() not in FLAGS:
            self.error(column, "bad_flag")
            return None
        return FLAGS[value.lower()]

    def id_number(self, column, birth_on):
        """Return the resident ID number if valid and born on ``birth_on`` (when known)."""
        value = self.text(column, required=True)
        if value is None:
            return None
        value = value.upper()
        if not is_valid_id_number(value):
            self.error(column, "bad_id_number")
            return None
        if birth_on is not None and id_number_birth_date(value) != birth_on:
            self.error(column, "id_birth_mismatch")
        return value

    def mobile(self, column):
        """Return the mobile number if it is an 11-digit mainland number."""
        value = self.text(column, required=True)
        if value is not None and not is_valid_mobile(value):
            self.error(column, "bad_mobile")
            return None
        return value

    def whole_number(self, column, low, high, problem):
        """Return the cell as a whole number from ``low`` to ``high``, else note ``problem``."""
        value = self.text(column)
        if value is None:
            return None
        if not value.isdigit() or not low <= int(value) <= high:
            self.error(column, problem)
            return None
        return int(value)

    def amount_fen(self, column):
        """Return the cell, yuan with up to two decimals, as a positive number of fen."""
        value = self.text(column, required=True)
        if value is None:
            return None
        if not AMOUNT_RE.match(value):
            self.error(column, "bad_amount")
            return None
        try:
            fen = int(Decimal(value) * 100)
        except InvalidOperation:
            self.error(column, "bad_amount")
            return None
        if fen <= 0:
            self.error(column, "amount_not_positive")
            return None
        return fen
