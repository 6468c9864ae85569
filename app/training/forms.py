"""Forms of the training blueprint."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (BooleanField, DateField, IntegerField, SelectField,
                     SelectMultipleField, StringField, TextAreaField, TimeField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..labels import COURSE_MODE_LABELS, DIMENSION_LABELS, ROLE_LABELS, label_choices
from ..models import CourseMode, Dimension, Role

REQUIRED = _l("This field is required.")


class CourseForm(FlaskForm):
    """A course of the catalogue."""

    code = StringField(_l("Code"), validators=[DataRequired(REQUIRED), Length(max=20)])
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=120)])
    dimension = SelectField(_l("Dimension"), choices=[])
    mode = SelectField(_l("Mode"), choices=[])
    hours = IntegerField(_l("Hours"), validators=[InputRequired(REQUIRED),
                                                  NumberRange(1, 200)])
    pass_mark = IntegerField(_l("Pass mark"), default=60,
                             validators=[InputRequired(REQUIRED), NumberRange(0, 100)])
    mandatory_roles = SelectMultipleField(_l("Mandatory for"), choices=[])
    refresh_months = IntegerField(_l("Repeat every (months)"),
                                  validators=[Optional(), NumberRange(1, 120)])
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])
    active = BooleanField(_l("Offered"), default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.dimension.choices = label_choices(DIMENSION_LABELS, Dimension.ALL)
        self.mode.choices = label_choices(COURSE_MODE_LABELS, CourseMode.ALL)
        self.mandatory_roles.choices = label_choices(ROLE_LABELS, Role.ALL)

    def values(self):
        """Return the course's values for the service."""
        return {name: getattr(self, name).data for name in (
            "code", "title", "dimension", "mode", "hours", "pass_mark", "mandatory_roles",
            "refresh_months", "description", "active")}


class SessionForm(FlaskForm):
    """A session to plan."""

    course_id = SelectField(_l("Course"), coerce=int, choices=[])
    held_on = DateField(_l("Date"), validators=[InputRequired(REQUIRED)])
    start_time = TimeField(_l("Starts"), validators=[InputRequired(REQUIRED)])
    end_time = TimeField(_l("Ends"), validators=[InputRequired(REQUIRED)])
    place = StringField(_l("Place"), validators=[DataRequired(REQUIRED), Length(max=120)])
    capacity = IntegerField(_l("Capacity"), default=20, validators=[InputRequired(REQUIRED)])
    branch_id = SelectField(_l("Run by"), coerce=int, choices=[])

    def values(self):
        """Return the session's values for the service."""
        return {name: getattr(self, name).data for name in (
            "course_id", "held_on", "start_time", "end_time", "place", "capacity",
            "branch_id")}


class CertificationForm(FlaskForm):
    """A certification to record for a staff member."""

    staff_id = SelectField(_l("Holder"), coerce=int, choices=[])
    type_id = SelectField(_l("Certification"), coerce=int, choices=[])
    number = StringField(_l("Certificate number"),
                         validators=[DataRequired(REQUIRED), Length(max=40)])
    obtained_on = DateField(_l("Obtained on"), validators=[InputRequired(REQUIRED)])


class RenewForm(FlaskForm):
    """The renewal of a certification."""

    number = StringField(_l("New certificate number (if it changed)"),
                         validators=[Length(max=40)])
    obtained_on = DateField(_l("Renewed on"), validators=[InputRequired(REQUIRED)])


class TargetsForm(FlaskForm):
    """Head office's target score of each dimension."""

    product = IntegerField(DIMENSION_LABELS["product"], validators=[
        InputRequired(REQUIRED), NumberRange(0, 100)])
    compliance = IntegerField(DIMENSION_LABELS["compliance"], validators=[
        InputRequired(REQUIRED), NumberRange(0, 100)])
    sales = IntegerField(DIMENSION_LABELS["sales"], validators=[
        InputRequired(REQUIRED), NumberRange(0, 100)])
    service = IntegerField(DIMENSION_LABELS["service"], validators=[
        InputRequired(REQUIRED), NumberRange(0, 100)])
    digital = IntegerField(DIMENSION_LABELS["digital"], validators=[
        InputRequired(REQUIRED), NumberRange(0, 100)])

    def values(self):
        """Return ``{dimension: score}``."""
        return {dimension: getattr(self, dimension).data for dimension in Dimension.ALL}


class ImportForm(FlaskForm):
    """A CSV file of scores and attendance exported by the exam system."""

    file = FileField(_l("CSV file from the exam system"), validators=[
        FileRequired(_l("Choose a CSV file to upload.")),
        FileAllowed(["csv"], _l("Only .csv files can be imported."))],
        render_kw={"accept": ".csv,text/csv"})
    dry_run = BooleanField(_l("Dry run: check every row and show what would change, "
                              "without saving anything"), default=True)
