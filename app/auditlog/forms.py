"""The filter form of the audit page."""
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField
from wtforms.validators import Length, NumberRange, Optional, Regexp, ValidationError

from ..routing import MAX_ID
from .services import AuditFilters


FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def within_calendar(form, field):
    """Refuse days so far off that converting them to instants would overflow."""
    if field.data and not FIRST_DAY <= field.data <= LAST_DAY:
        raise ValidationError(_l("Choose a day between %(first)s and %(last)s.",
                                 first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat()))


class AuditFilterForm(FlaskForm):
    """Who, what, which record and when (a GET form: no CSRF token)."""

    class Meta:
        """Read from the query string; GET changes nothing, so no token is needed."""

        csrf = False

    actor = StringField(_l("Username"), validators=[Optional(), Length(max=64)])
    action = StringField(_l("Action"), validators=[Optional(), Length(max=64)])
    object_type = StringField(_l("Record type"), validators=[
        Optional(), Length(max=32),
        Regexp(r"^[a-z_]+$", message=_l("Record types are lowercase words, e.g. customer."))])
    object_id = StringField(_l("Record id"), validators=[Optional(), Length(max=64)])
    date_from = DateField(_l("From"), validators=[Optional(), within_calendar])
    date_to = DateField(_l("To"), validators=[Optional(), within_calendar])
    before = IntegerField(_l("Older than event"), validators=[
        Optional(), NumberRange(min=1, max=MAX_ID)])
    after = IntegerField(_l("Newer than event"), validators=[
        Optional(), NumberRange(min=1, max=MAX_ID)])

    def validate(self, extra_validators=None):
        """Check the fields, then that the dates are in order and an id has its type."""
        if not super().validate(extra_validators):
            return False
        if self.date_from.data and self.date_to.data and self.date_from.data > self.date_to.data:
            self.date_to.errors.append(_l("The end date is before the start date."))
            return False
        if self.object_id.data and not self.object_type.data:
            self.object_type.errors.append(_l("Give the record type for this record id."))
            return False
        return True

    def filters(self):
        """Return the filters the form holds."""
        return AuditFilters(actor=self.actor.data, action=self.action.data,
                            object_type=self.object_type.data, object_id=self.object_id.data,
                            from_on=self.date_from.data, to_on=self.date_to.data)

    def error_messages(self):
        """Return ``(label, message)`` for every error, to show above the results."""
        return [(self[name].label.text, message)
                for name, messages in self.errors.items() for message in messages]
