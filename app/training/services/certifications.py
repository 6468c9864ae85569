"""Staff certifications: record, renew, list by expiry."""
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ... import access, audit
from ...extensions import db
from ...models import CertificationType, Staff, StaffCertification
from ...errors import FieldInvalid
from .common import add_months, require_manager

EXPIRY_FILTERS = ("all", "60", "30", "expired")
SOON_DAYS = 60


def list_certifications(actor, today, expiry="all", staff_id=None):
    """Return the certifications ``actor`` may see, soonest expiry first, filtered by expiry.

    ``expiry`` is ``all``, ``60`` or ``30`` (expiring within so many days, not yet expired)
    or ``expired``.
    """
    stmt = (select(StaffCertification).join(Staff, StaffCertification.staff_id == Staff.id)
            .options(joinedload(StaffCertification.staff), joinedload(StaffCertification.type))
            .where(access.certification_filter(actor))
            .order_by(StaffCertification.expires_on, Staff.display_name))
    if expiry in ("60", "30"):
        stmt = stmt.where(StaffCertification.expires_on >= today,
                          StaffCertification.expires_on <= today + timedelta(days=int(expiry)))
    elif expiry == "expired":
        stmt = stmt.where(StaffCertification.expires_on < today)
    if staff_id is not None:
        stmt = stmt.where(StaffCertification.staff_id == staff_id)
    return list(db.session.scalars(stmt))


def _type(type_id):
    cert_type = db.session.get(CertificationType, type_id) if type_id else None
    if cert_type is None:
        raise FieldInvalid(_("Choose a certification from the list."), "type_id")
    return cert_type


def _check_dates(obtained_on, today):
    if obtained_on is None or obtained_on > today:
        raise FieldInvalid(_("The date obtained cannot lie in the future."), "obtained_on")


def record_certification(actor, staff_id, type_id, number, obtained_on, today):
    """Record a certification of a staff member in scope; expiry from the type's validity."""
    require_manager(actor)
    staff = access.get_staff(actor, staff_id)
    cert_type = _type(type_id)
    _check_dates(obtained_on, today)
    if not (number or "").strip():
        raise FieldInvalid(_("Give the certificate number."), "number")
    exists = db.session.scalar(select(StaffCertification.id).where(
        StaffCertification.staff_id == staff.id, StaffCertification.type_id == cert_type.id))
    if exists is not None:
        raise FieldInvalid(_("%(name)s already holds this certification: renew it instead.",
                             name=staff.display_name), "type_id")
    certification = StaffCertification(
        staff_id=staff.id, type_id=cert_type.id, number=number.strip(), obtained_on=obtained_on,
        expires_on=add_months(obtained_on, cert_type.validity_months))
    db.session.add(certification)
    db.session.flush()
    audit.record(actor, "certification.recorded", certification, branch_id=staff.branch_id,
                 staff_id=staff.id, type=cert_type.code)
    db.session.commit()
    return certification


def renew_certification(actor, certification_id, number, obtained_on, today):
    """Renew a certification from ``obtained_on``: a new expiry from the type's validity."""
    require_manager(actor)
    certification = access.get_certification(actor, certification_id)
    _check_dates(obtained_on, today)
    if obtained_on < certification.obtained_on:
        raise FieldInvalid(_("A renewal cannot be older than the current certificate."),
                           "obtained_on")
    before = certification.expires_on
    certification.obtained_on = obtained_on
    certification.expires_on = add_months(obtained_on, certification.type.validity_months)
    if (number or "").strip():
        certification.number = number.strip()
    audit.record(actor, "certification.renewed", certification,
                 branch_id=certification.staff.branch_id, staff_id=certification.staff_id,
                 expires_before=before.isoformat(),
                 expires_on=certification.expires_on.isoformat())
    db.session.commit()
    return certification
