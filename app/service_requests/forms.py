"""Forms of the service_requests blueprint: filters, opening, workflow, comments, satisfaction."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, HiddenField, IntegerField, RadioField, SelectField,
                     StringField, TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import HiddenInput

from ..forms import drop_invalid_filters, staff_choices
from ..labels import (REQUEST_CHANNEL_LABELS, REQUEST_KIND_LABELS, REQUEST_PRIORITY_LABELS,
                      REQUEST_STATUS_LABELS, SATISFACTION_LABELS, SLA_STATE_LABELS, label_choices)
from ..models import RequestChannel, RequestKind, RequestPriority, RequestStatus
from .services.listing import OPEN, UNASSIGNED, Filters
from .services.requests import (COMMENT_MAX, CUSTOMER_NUMBER_MAX, DESCRIPTION_MAX, REASON_MAX,
                                SATISFACTION_COMMENT_MAX, SUBJECT_MAX, OpenInput)
from .services.sla import SLA_STATES

STALE_FORM = _l("The form was incomplete. Reload the page and try again.")


def optional_int(value):
    """Coerce a form value to an int, with the empty string meaning "none"."""
    if value is None or value == "":
        return None
    return int(value)


class RequestFilterForm(FlaskForm):
    """Filters of the request list, read from the query string."""

    class Meta:
        """A GET form: no CSRF token."""

        csrf = False

    status = SelectField(_l("Status"), default=OPEN, choices=[
        SelectChoice(OPEN, _l("Open (new or in progress)")),
        SelectChoice("", _l("Any status")),
    ] + label_choices(REQUEST_STATUS_LABELS, RequestStatus.ALL))
    kind = SelectField(_l("Kind"), default="", choices=label_choices(
        REQUEST_KIND_LABELS, RequestKind.ALL, _l("All kinds")))
    assignee = SelectField(_l("Assignee"), default="", validate_choice=False)
    sla = SelectField(_l("SLA (open requests)"), default="", choices=label_choices(
        SLA_STATE_LABELS, SLA_STATES, _l("Any")))
    customer_id = HiddenField()

    def __init__(self, formdata, list_url):
        super().__init__(formdata=formdata)
        live = {"hx-get": list_url, "hx-target": "#request-rows", "hx-push-url": "true",
                "hx-include": "closest form", "hx-trigger": "change",
                "hx-sync": "closest form:replace"}
        for select in (self.status, self.kind, self.assignee, self.sla):
            select.render_kw = dict(live)

    def cleaned(self):
        """Return the valid filters (bad values dropped) and a message per dropped one."""
        notices = drop_invalid_filters(self)
        raw = (self.customer_id.data or "").strip()
        customer_id = int(raw) if raw.isdigit() and len(raw) <= 10 else None
        if raw and customer_id is None:
            notices.append(_l("The customer filter was not understood (ignored)."))
            self.customer_id.data = ""
        return Filters(status=self.status.data if self.status.data is not None else OPEN,
                       kind=self.kind.data or "", assignee=self.assignee.data or "",
                       sla=self.sla.data or "", customer_id=customer_id), notices

    def set_assignees(self, staff_list):
        """Offer the colleagues in scope, and "unassigned", as assignee filter."""
        self.assignee.choices = [SelectChoice("", _l("Anyone")),
                                 SelectChoice(UNASSIGNED, _l("Unassigned"))] + [
            SelectChoice(str(s.id), s.display_name, optgroup=s.branch.name)
            for s in staff_list]


class CustomerLookupForm(FlaskForm):
    """Find the customer a request is for by customer number (a GET form)."""

    class Meta:
        """Only looks a customer up: no CSRF token."""

        csrf = False

    customer_number = StringField(_l("Customer number"), validators=[
        DataRequired(message=_l("Enter the customer number.")),
        Length(max=CUSTOMER_NUMBER_MAX)],
        render_kw={"autocomplete": "off", "autofocus": True, "spellcheck": "false"})


class OpenRequestForm(FlaskForm):
    """Open a request for one customer."""

    customer_id = IntegerField(widget=HiddenInput(), validators=[
        InputRequired(message=STALE_FORM)])
    kind = SelectField(_l("What is it about?"), choices=label_choices(
        REQUEST_KIND_LABELS, RequestKind.ALL, _l("Choose…")),
        validators=[DataRequired(message=_l("Choose what the request is about."))])
    service_id = SelectField(_l("Value-added service"), coerce=optional_int,
                             validate_choice=False,
                             invalid_value_message=_l("Choose one of the listed services."))
    channel = SelectField(_l("Came in by"), default=RequestChannel.COUNTER,
                          choices=label_choices(REQUEST_CHANNEL_LABELS, RequestChannel.ALL))
    priority = SelectField(_l("Priority"), default=RequestPriority.NORMAL,
                           choices=label_choices(REQUEST_PRIORITY_LABELS, RequestPriority.ALL))
    subject = StringField(_l("Subject"), validators=[
        DataRequired(message=_l("Give the request a subject.")), Length(max=SUBJECT_MAX)],
        render_kw={"maxlength": SUBJECT_MAX, "autocomplete": "off"})
    description = TextAreaField(_l("Description"), validators=[
        DataRequired(message=_l("Describe what the customer asks for.")),
        Length(max=DESCRIPTION_MAX)], render_kw={"rows": 5, "maxlength": DESCRIPTION_MAX})
    override = BooleanField(_l("Override the yearly allowance"))
    override_reason = StringField(_l("Reason for the override"), validators=[
        Length(max=REASON_MAX)], render_kw={"maxlength": REASON_MAX, "autocomplete": "off"})

    def set_services(self, options):
        """Offer the customer's tier's services, with the bookings left this year."""
        self.service_id.choices = [SelectChoice("", _l("Choose a service…"))] + [
            SelectChoice(str(o.service.id), _l("%(name)s (%(left)d of %(allowance)d left this "
                                               "year)", name=o.service.name, left=o.left,
                                               allowance=o.service.yearly_allowance))
            for o in options]
        return self

    def values(self):
        """Return the form's values as the service's OpenInput."""
        return OpenInput(kind=self.kind.data, channel=self.channel.data,
                         priority=self.priority.data, subject=self.subject.data,
                         description=self.description.data, service_id=self.service_id.data,
                         override=bool(self.override.data),
                         override_reason=self.override_reason.data or "")


class VersionedForm(FlaskForm):
    """A form acting on one request at the version the page showed."""

    version = IntegerField(widget=HiddenInput(), validators=[
        InputRequired(message=STALE_FORM)])


class StatusForm(VersionedForm):
    """Move a request along its workflow; each legal move is a submit button."""

    to_status = HiddenField(validators=[DataRequired(message=_l("Choose what to do."))])
    comment = TextAreaField(_l("Comment (the reason, to cancel)"), validators=[
        Length(max=COMMENT_MAX)], render_kw={"rows": 2, "maxlength": COMMENT_MAX})


class AssignForm(VersionedForm):
    """Give a request to a colleague."""

    assignee_id = SelectField(_l("Assign to"), coerce=optional_int, validate_choice=False,
                              validators=[DataRequired(message=_l("Choose a colleague."))],
                              invalid_value_message=_l("Choose a colleague from the list."))

    def set_assignees(self, staff_list, current_id):
        """Offer the eligible colleagues, the current assignee pre-selected."""
        self.assignee_id.choices = staff_choices(staff_list, _l("Choose a colleague…"))
        if self.assignee_id.data is None:
            self.assignee_id.data = current_id
        return self


class CommentForm(FlaskForm):
    """Add a comment to the timeline."""

    comment = TextAreaField(_l("Comment"), validators=[
        DataRequired(message=_l("Write the comment.")), Length(max=COMMENT_MAX)],
        render_kw={"rows": 2, "maxlength": COMMENT_MAX})


class SatisfactionForm(FlaskForm):
    """The customer's satisfaction with how the request was handled."""

    score = RadioField(_l("Customer's satisfaction"), coerce=optional_int, choices=[
        SelectChoice(str(score), label) for score, label in SATISFACTION_LABELS.items()],
        validators=[InputRequired(message=_l("Choose a score from 1 to 5."))])
    comment = TextAreaField(_l("What the customer said (optional)"), validators=[
        Length(max=SATISFACTION_COMMENT_MAX)],
        render_kw={"rows": 2, "maxlength": SATISFACTION_COMMENT_MAX})
