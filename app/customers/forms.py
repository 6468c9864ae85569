"""Forms of the customers blueprint: list filters, reveal of personal data, reassignment."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SearchField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from ..forms import drop_invalid_filters, staff_choices
from ..labels import CUSTOMER_STATUS_LABELS, TIER_LABELS
from ..models import CustomerStatus, Tier
from .services import REASON_MAX, REASON_MIN, REVEALABLE_FIELDS, SEARCH_MAX


def optional_int(value):
    """Coerce a form value to an int, with the empty string meaning "none"."""
    if value is None or value == "":
        return None
    return int(value)


FILTER_FIELDS = ("q", "tier", "maintainer", "branch", "status")


class CustomerFilterForm(FlaskForm):
    """Search and filters of the customer list, read from the query string."""

    class Meta:
        """A GET form: no CSRF token, and no translations needed for the search itself."""

        csrf = False

    q = SearchField(_l("Search"), validators=[Length(max=SEARCH_MAX)],
                    render_kw={"placeholder": _l("Name, customer no., full ID no. or mobile "
                                                 "last 4"),
                               "autocomplete": "off"})
    tier = SelectField(_l("Tier"), default="", choices=[SelectChoice("", _l("All tiers"))] + [
        SelectChoice(tier, TIER_LABELS[tier]) for tier in Tier.ALL])
    maintainer = SelectField(_l("Maintainer"), coerce=optional_int, validate_choice=False,
                             invalid_value_message=_l("Not a valid maintainer."))
    branch = SelectField(_l("Branch"), coerce=optional_int, validate_choice=False,
                         invalid_value_message=_l("Not a valid branch."))
    status = SelectField(_l("Status"), default="", choices=[SelectChoice("", _l("Any status"))] + [
        SelectChoice(status, CUSTOMER_STATUS_LABELS[status]) for status in CustomerStatus.ALL])

    def __init__(self, formdata, list_url):
        super().__init__(formdata=formdata)
        live = {"hx-get": list_url, "hx-target": "#customer-rows", "hx-push-url": "true",
                "hx-include": "closest form", "hx-indicator": "#customer-search-indicator",
                "hx-sync": "closest form:replace"}  # a newer search cancels an older one
        self.q.render_kw = dict(self.q.render_kw, **live,
                                **{"hx-trigger": "input changed delay:300ms, search"})
        for select in (self.tier, self.maintainer, self.branch, self.status):
            select.render_kw = dict(live, **{"hx-trigger": "change"})

    def cleaned(self):
        """Return the valid filter values (bad ones dropped) and a message per dropped one."""
        notices = drop_invalid_filters(self)
        values = {name: self[name].data or None for name in FILTER_FIELDS}
        values["q"] = (values["q"] or "").strip()
        return values, notices

    def set_options(self, maintainers, branches):
        """Offer the maintainers and branches in the actor's scope."""
        self.maintainer.choices = staff_choices(maintainers, _l("All maintainers"))
        self.branch.choices = [SelectChoice("", _l("All branches"))] + [
            SelectChoice(str(branch.id), branch.name) for branch in branches]


class RevealForm(FlaskForm):
    """Reveal one unmasked field of a customer, with the reason why."""

    field = HiddenField()
    reason = StringField(_l("Reason for revealing"), validators=[
        DataRequired(message=_l("Give the reason for revealing this data.")),
        Length(min=REASON_MIN, max=REASON_MAX,
               message=_l("The reason must be %(min)d to %(max)d characters long.",
                          min=REASON_MIN, max=REASON_MAX))])

    def for_field(self, name):
        """Bind the form to field ``name``, with element ids unique on the page."""
        self.field.data = name
        for form_field in (self.field, self.reason):
            form_field.id = f"reveal-{name}-{form_field.name}"
            form_field.label.field_id = form_field.id
        return self

    @property
    def revealable(self):
        """Tell whether the posted ``field`` is one that may be revealed."""
        return self.field.data in REVEALABLE_FIELDS


class ReassignForm(FlaskForm):
    """Move customers to another maintainer."""

    customer_ids = SelectMultipleField(
        _l("Customers"), coerce=int, validate_choice=False,
        validators=[DataRequired(message=_l("Select at least one customer."))],
        invalid_value_message=_l("The selected customers were not understood."))
    maintainer_id = SelectField(
        _l("New maintainer"), coerce=optional_int, validate_choice=False,
        validators=[DataRequired(message=_l("Choose the new maintainer."))],
        invalid_value_message=_l("Choose the new maintainer from the list."))

    def set_targets(self, maintainers, blank_label=_l("Choose a maintainer…")):
        """Offer ``maintainers`` (active, in scope) as the new maintainer."""
        self.maintainer_id.choices = staff_choices(maintainers, blank_label)
        return self
