"""Validation and masking of personal data: resident ID numbers and mobiles."""
import re
from datetime import date

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CODES = "10X98765432"
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
ID_RE = re.compile(r"^\d{17}[\dX]$")


def id_check_code(first17):
    """Return the GB 11643 check character for the first 17 digits of an ID number."""
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS))
    return ID_CHECK_CODES[total % 11]


def id_number_birth_date(id_number):
    """Return the birth date encoded in an 18-digit ID number, or None if it is not a date."""
    try:
        return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def is_valid_id_number(id_number):
    """Tell whether ``id_number`` is a well-formed resident ID with a correct checksum."""
    if not id_number or not ID_RE.match(id_number):
        return False
    if id_number_birth_date(id_number) is None:
        return False
    return id_check_code(id_number[:17]) == id_number[17]


def is_valid_mobile(mobile):
    """Tell whether ``mobile`` is an 11-digit mainland mobile number."""
    return bool(mobile) and bool(MOBILE_RE.match(mobile))


def mask_id_number(id_number):
    """Show the first 6 and last 4 characters of an ID number, hide the rest."""
    if not id_number:
        return ""
    return id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:]


def mask_mobile(mobile):
    """Show the first 3 and last 4 digits of a mobile, hide the rest."""
    if not mobile:
        return ""
    return mobile[:3] + "*" * (len(mobile) - 7) + mobile[-4:]
