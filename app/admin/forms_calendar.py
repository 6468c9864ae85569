"""The form of head office's calendar page: one day, holiday or make-up working day."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..labels import DAY_KIND_LABELS, label_choices
from ..models import DayKind


class CalendarDayForm(FlaskForm):
    """Add or correct one day of head office's calendar."""

    day = DateField(_l("Day"), validators=[InputRequired(_l("Enter the day."))],
                    format="%Y-%m-%d")
    kind = SelectField(_l("Kind"), choices=label_choices(DAY_KIND_LABELS, DayKind.ALL),
                       validators=[InputRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(_l("Name the day.")),
                                               Length(max=80)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])
