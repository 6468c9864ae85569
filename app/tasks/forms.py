"""Forms of the tasks blueprint: complete, snooze, log a contact, reassign, hand over."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (DateField, HiddenField, IntegerField, SelectField, SelectMultipleField,
                     TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from ..forms import staff_choices
from ..labels import CHANNEL_LABELS, OUTCOME_LABELS
from ..models import Channel, Outcome
from .services import NOTE_MAX, SUMMARY_MAX

STALE_FORM = _l("The form was incomplete. Reload the page and try again.")


def optional_int(value):
    """Coerce a form value to an int, with the empty string meaning "none"."""
    if value is None or value == "":
        return None
    return int(value)


def outcome_choices(blank=True):
    """Return the contact outcomes as select choices (with a prompt first)."""
    first = [SelectChoice("", _l("Choose…"))] if blank else []
    return first + [SelectChoice(code, OUTCOME_LABELS[code]) for code in Outcome.ALL]


def channel_choices():
    """Return the contact channels as select choices."""
    return [SelectChoice(code, CHANNEL_LABELS[code]) for code in Channel.ALL]


class PortalForm(FlaskForm):
    """A form that can sum up its errors in one message."""

    def first_error(self):
        """Return the first error message of the form, if any."""
        for errors in self.errors.values():
            return errors[0]
        return None


class VersionedForm(PortalForm):
    """A form acting on one task at the version the page showed."""

    version = IntegerField(widget=HiddenInput(), validators=[
        InputRequired(message=STALE_FORM)])


class CompleteForm(VersionedForm):
    """Complete a task: how the contact went, through which channel, and a note."""

    outcome = SelectField(_l("Outcome"), choices=outcome_choices(), validators=[
        DataRequired(message=_l("Choose how the contact went."))],
        render_kw={"autofocus": True})
    channel = SelectField(_l("Contact channel"), choices=channel_choices(),
                          default=Channel.PHONE)
    note = TextAreaField(_l("Note"), validators=[Length(max=NOTE_MAX)],
                         render_kw={"rows": 3, "maxlength": NOTE_MAX})
    satisfaction = SelectField(_l("Customer's satisfaction"), choices=[
        SelectChoice("", _l("Not asked")), SelectChoice("5", _l("5 – very satisfied")),
        SelectChoice("4", "4"), SelectChoice("3", "3"), SelectChoice("2", "2"),
        SelectChoice("1", _l("1 – very dissatisfied"))], default="")

    @property
    def satisfaction_score(self):
        """Return the chosen score as a number, or None when the customer was not asked."""
        return int(self.satisfaction.data) if self.satisfaction.data else None


class SnoozeForm(VersionedForm):
    """Put a task aside until a later day."""

    until = DateField(_l("Bring it back on"), validators=[
        InputRequired(message=_l("Choose the day the task should come back."))])

    def set_bounds(self, first, last):
        """Limit the date picker to the days a task may be snoozed to."""
        self.until.render_kw = {"min": first.isoformat(), "max": last.isoformat(),
                                "autofocus": True}
        return self


class ContactForm(FlaskForm):
    """Log an ad-hoc contact with a customer."""

    channel = SelectField(_l("Channel"), choices=channel_choices(), default=Channel.PHONE)
    outcome = SelectField(_l("Outcome"), choices=outcome_choices(), validators=[
        DataRequired(message=_l("Choose how the contact went."))])
    summary = TextAreaField(_l("Summary"), validators=[
        DataRequired(message=_l("Write a short summary of the contact.")),
        Length(max=SUMMARY_MAX)], render_kw={"rows": 2, "maxlength": SUMMARY_MAX})


class ReassignTaskForm(VersionedForm):
    """Give one task to another maintainer."""

    maintainer_id = SelectField(
        _l("Reassign to"), coerce=optional_int, validate_choice=False,
        validators=[DataRequired(message=_l("Choose the maintainer to reassign the task to."))],
        invalid_value_message=_l("Choose the maintainer from the list."))


class HandoverForm(FlaskForm):
    """Choose whose portfolio to hand over and to whom (a GET form: the preview)."""

    class Meta:
        """Only shows a preview: no CSRF token needed."""

        csrf = False

    from_id = SelectField(_l("Hand over the portfolio of"), coerce=optional_int,
                          validate_choice=False,
                          invalid_value_message=_l("Choose the maintainer from the list."))
    to_ids = SelectMultipleField(_l("To"), coerce=int, validate_choice=False,
                                 widget=ListWidget(prefix_label=False),
                                 option_widget=CheckboxInput(),
                                 invalid_value_message=_l("Choose the receivers from the list."))

    def set_options(self, givers, receivers):
        """Offer the maintainers in scope as giver, the active ones (but the giver) as receivers."""
        self.from_id.choices = staff_choices(givers, _l("Choose a maintainer…"))
        self.to_ids.choices = [
            SelectChoice(str(s.id), _l("%(name)s · %(branch)s", name=s.display_name,
                                       branch=s.branch.name))
            for s in sorted(receivers, key=lambda s: (s.branch.name, s.display_name, s.id))
            if s.id != self.from_id.data]
        return self

    @property
    def submitted(self):
        """Tell whether a giver was chosen (the form was sent rather than just opened)."""
        return self.from_id.raw_data is not None


class HandoverConfirmForm(PortalForm):
    """Carry out a previewed handover; the plan token refuses a plan that changed."""

    from_id = IntegerField(widget=HiddenInput(), validators=[InputRequired(message=STALE_FORM)])
    to_ids = SelectMultipleField(coerce=int, validate_choice=False,
                                 invalid_value_message=STALE_FORM)
    token = HiddenField(validators=[DataRequired(message=STALE_FORM), Length(max=128)])
