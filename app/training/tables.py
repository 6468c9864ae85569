"""The training lists as export tables: a translated header and plain rows."""
from flask_babel import gettext as _

from ..labels import ATTENDANCE_LABELS, DIMENSION_LABELS


def attendance_table(session, roster, scores):
    """Return the header and rows of a session's attendance, with scores."""
    header = [_("Session"), _("Course"), _("Date"), _("Staff"), _("Username"), _("Attendance"),
              _("Score"), _("Passed")]
    rows = []
    for row in roster:
        assessment = scores.get(row.staff_id)
        rows.append([session.id, session.course.code, session.held_on, row.staff.display_name,
                     row.staff.username, str(ATTENDANCE_LABELS.get(row.status, row.status)),
                     assessment.score if assessment else None,
                     (_("yes") if assessment.passed else _("no")) if assessment else ""])
    return header, rows


def certifications_table(certifications, today):
    """Return the header and rows of a list of certifications."""
    header = [_("Staff"), _("Username"), _("Certification"), _("Certificate number"),
              _("Obtained on"), _("Expires on"), _("Days left")]
    return header, [[c.staff.display_name, c.staff.username, c.type.name, c.number,
                     c.obtained_on, c.expires_on, (c.expires_on - today).days]
                    for c in certifications]


def heat_map_table(profiles):
    """Return the header and rows of the team heat map: a score column per dimension."""
    header = [_("Staff"), _("Username")] + [str(label) for label in DIMENSION_LABELS.values()]
    return header, [[p.staff.display_name, p.staff.username] + [d.score for d in p.dimensions]
                    for p in profiles]


def scores_table(assessments):
    """Return the header and rows of a list of assessments."""
    header = [_("Assessed on"), _("Staff"), _("Username"), _("Course"), _("Dimension"),
              _("Score"), _("Pass mark"), _("Passed")]
    return header, [[a.assessed_on, a.staff.display_name, a.staff.username, a.course.code,
                     str(DIMENSION_LABELS.get(a.course.dimension, a.course.dimension)),
                     a.score, a.pass_mark, _("yes") if a.passed else _("no")]
                    for a in assessments]


def radar_data(profile):
    """Return the labels and datasets of a profile's radar chart (scores and targets)."""
    labels = [str(DIMENSION_LABELS[d.dimension]) for d in profile.dimensions]
    return labels, [
        {"label": _("Score"), "data": [d.score or 0 for d in profile.dimensions]},
        {"label": _("Target"), "data": [d.target for d in profile.dimensions]},
    ]
