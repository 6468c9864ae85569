"""The daily certification reminders and the list of overdue mandatory courses.

A certification is reminded 60, 30 and 7 days before it expires and on expiry: on a day D
each stage takes the certifications whose expiry falls in its band (60: D+30 < expiry ≤
D+60; 30: D+7 < expiry ≤ D+30; 7: D < expiry ≤ D+7; expired: D−31 < expiry ≤ D). The
reminder row's unique key (certification, stage, expiry) is claimed with one
``INSERT … SELECT … ON CONFLICT DO NOTHING``, so each notice goes out once however often the
day runs, and a renewed certification (a new expiry) is reminded afresh. The holder and the
supervisors of the nearest branch above them that has any are notified.
"""
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import and_, exists, select
from sqlalchemy.dialects import postgresql, sqlite

from ...extensions import db
from ...sql import date_value, text_value
from ...models import (Assessment, Branch, CertificationReminder, CertificationType, Course,
                       Role, Staff, StaffCertification)
from ...notifications.services import notify_many
from ...notifications.texts import CERT_EXPIRED, CERT_EXPIRING
from .common import add_months

# stage, days before expiry that open it, days that close it (the next stage's opening)
STAGES = (("60", 60, 30), ("30", 30, 7), ("7", 7, 0))
EXPIRED = "expired"
EXPIRED_WINDOW_DAYS = 31


@dataclass
class ReminderResult:
    """What one day's run did: reminders per stage, notifications, overdue mandatory."""

    sent: dict = field(default_factory=dict)
    notifications: int = 0
    overdue_mandatory: int = 0

    def as_dict(self):
        """Return the result as plain JSON-ready values."""
        return {"sent": self.sent, "notifications": self.notifications,
                "overdue_mandatory": self.overdue_mandatory}


def _insert(dialect_name):
    return postgresql.insert if dialect_name == "postgresql" else sqlite.insert


def _claim(stage, low, high, today):
    """Insert the stage's reminder rows for expiries in (low, high]; return the new ones."""
    insert = _insert(db.session.get_bind().dialect.name)
    table = CertificationReminder.__table__
    rows = db.session.execute(
        insert(table).from_select(
            ["certification_id", "stage", "expires_on", "sent_on"],
            select(StaffCertification.id, text_value(stage), StaffCertification.expires_on,
                   date_value(today))
            .join(Staff, StaffCertification.staff_id == Staff.id)
            .where(Staff.active.is_(True), StaffCertification.expires_on > low,
                   StaffCertification.expires_on <= high))
        .on_conflict_do_nothing(index_elements=["certification_id", "stage", "expires_on"])
        .returning(table.c.certification_id)).scalars().all()
    return rows


def supervisors_above(branch_ids):
    """Return ``{branch_id: [supervisor ids]}`` for each of ``branch_ids``.

    The supervisors are the active ones of the nearest branch at or above it that has any.
    """
    parents = dict(db.session.execute(select(Branch.id, Branch.parent_id)).all())
    by_branch = {}
    for staff_id, branch_id in db.session.execute(
            select(Staff.id, Staff.branch_id).where(Staff.role == Role.SUPERVISOR,
                                                    Staff.active.is_(True))):
        by_branch.setdefault(branch_id, []).append(staff_id)
    found = {}
    for start in branch_ids:
        branch_id, seen = start, set()
        while branch_id is not None and branch_id not in by_branch and branch_id not in seen:
            seen.add(branch_id)
            branch_id = parents.get(branch_id)
        found[start] = by_branch.get(branch_id, [])
    return found


def _notify(certification_ids, stage, today):
    rows = db.session.execute(
        select(StaffCertification.id, StaffCertification.staff_id,
               StaffCertification.expires_on, Staff.display_name, Staff.branch_id,
               CertificationType.name)
        .join(Staff, StaffCertification.staff_id == Staff.id)
        .join(CertificationType, StaffCertification.type_id == CertificationType.id)
        .where(StaffCertification.id.in_(certification_ids))).all()
    bosses = supervisors_above({row.branch_id for row in rows})
    kind = CERT_EXPIRED if stage == EXPIRED else CERT_EXPIRING
    return notify_many([
        ([row.staff_id, *bosses[row.branch_id]], kind,
         {"certification": row.name, "holder": row.display_name,
          "expires_on": row.expires_on.isoformat(), "days": (row.expires_on - today).days},
         f"/training/staff/{row.staff_id}") for row in rows])


def overdue_mandatory(today, staff_filter=None):
    """Return ``[(staff, course)]``: active staff whose mandatory course has no pass in time.

    A course mandatory for a role with ``refresh_months`` needs a pass within that many
    months; without it, a pass ever.
    """
    overdue = []
    for course in db.session.scalars(select(Course).where(Course.active.is_(True),
                                                          Course.mandatory_roles != "")):
        conditions = [Assessment.staff_id == Staff.id, Assessment.course_id == course.id,
                      Assessment.passed.is_(True)]
        if course.refresh_months:
            conditions.append(Assessment.assessed_on > add_months(today,
                                                                  -course.refresh_months))
        stmt = (select(Staff).where(Staff.active.is_(True),
                                    Staff.role.in_(course.mandatory_for),
                                    ~exists().where(and_(*conditions)))
                .order_by(Staff.display_name))
        if staff_filter is not None:
            stmt = stmt.where(staff_filter)
        overdue.extend((staff, course) for staff in db.session.scalars(stmt))
    return overdue


def send_certification_reminders(today):
    """Send the day's certification reminders, each once; count overdue mandatory courses.

    Runs in the caller's transaction (the caller commits). Returns a ReminderResult.
    """
    result = ReminderResult()
    bands = [(stage, today + timedelta(days=close), today + timedelta(days=open_))
             for stage, open_, close in STAGES]
    bands.append((EXPIRED, today - timedelta(days=EXPIRED_WINDOW_DAYS), today))
    for stage, low, high in bands:
        claimed = _claim(stage, low, high, today)
        result.sent[stage] = len(claimed)
        if claimed:
            result.notifications += _notify(claimed, stage, today)
    result.overdue_mandatory = len(overdue_mandatory(today))
    return result
