"""Forms of the head-office administration pages."""
import re
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (DataRequired, EqualTo, InputRequired, Length, NumberRange,
                                Optional, Regexp, StopValidation)

from flask_wtf import FlaskForm
from ..labels import BRANCH_KIND_LABELS, ROLE_LABELS, TIER_LABELS, label_choices
from ..models import BranchKind, Role, Tier

MIN_PASSWORD_LENGTH = 10
MAX_YUAN = Decimal("1000000000000")  # one trillion yuan: far above any threshold
YUAN_RE = re.compile(r"^\d+(\.\d{1,2})?$")


def role_choices():
    """Return the roles as select choices with their translated names."""
    return label_choices(ROLE_LABELS, Role.ALL)


def branch_choices(branches):
    """Return select choices for ``branches`` as "code · name", the value being the id."""
    return [SelectChoice(branch.id, f"{branch.code} · {branch.name}") for branch in branches]


def yuan_to_fen(text):
    """Parse an amount in yuan ("50,000" or "50000.50") to integer fen; None if malformed."""
    cleaned = re.sub(r"[\s,，]", "", text or "")
    if not YUAN_RE.match(cleaned) or Decimal(cleaned) > MAX_YUAN:
        return None
    return int(Decimal(cleaned) * 100)


def fen_to_yuan(fen):
    """Show fen as plain yuan for an input box: whole yuan without decimals."""
    yuan, cents = divmod(int(fen), 100)
    return f"{yuan}" if not cents else f"{yuan}.{cents:02d}"


class YuanField(StringField):
    """A money input in yuan; ``fen`` holds the parsed amount (Decimal parsing, never float)."""

    fen = None

    def pre_validate(self, form):
        """Parse the text into fen, refusing anything but a plain non-negative amount."""
        self.fen = yuan_to_fen(self.data)
        if self.fen is None and (self.data or "").strip():
            raise StopValidation(_l("Enter an amount in yuan, e.g. 50000 or 50000.50."))


class StaffFilterForm(FlaskForm):
    """Filters of the staff list (a GET form: no CSRF token)."""

    class Meta:
        """Read from the query string; GET changes nothing, so no token is needed."""

        csrf = False

    q = StringField(_l("Name or username"), validators=[Optional(), Length(max=64)])
    branch = SelectField(_l("Branch"), coerce=str, validators=[Optional()])
    role = SelectField(_l("Role"), validators=[Optional()])
    active = SelectField(_l("Status"), choices=[
        SelectChoice("", _l("All")), SelectChoice("1", _l("Active")),
        SelectChoice("0", _l("Deactivated"))], validators=[Optional()])
    after = StringField(validators=[Optional(), Length(max=64)])

    def __init__(self, branches, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.branch.choices = [SelectChoice("", _l("All branches"))] + [
            SelectChoice(str(choice.value), choice.label) for choice in branch_choices(branches)]
        self.role.choices = [SelectChoice("", _l("All roles"))] + role_choices()


class StaffEditForm(FlaskForm):
    """Display name, role, branch and daily task capacity."""

    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=100)])
    role = SelectField(_l("Role"), validators=[DataRequired()])
    branch_id = SelectField(_l("Branch"), coerce=int, validators=[DataRequired()])
    daily_capacity = IntegerField(_l("Daily task capacity"), default=25, validators=[
        InputRequired(), NumberRange(min=1, max=200)])

    def __init__(self, branches, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()
        self.branch_id.choices = branch_choices(branches)


NEW_PASSWORD = {"autocomplete": "new-password"}


class PasswordResetForm(FlaskForm):
    """A new password typed twice."""

    password = PasswordField(_l("New password"), render_kw=NEW_PASSWORD, validators=[
        DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)])
    repeat = PasswordField(_l("Repeat the password"), render_kw=NEW_PASSWORD, validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])


class StaffCreateForm(StaffEditForm, PasswordResetForm):
    """A new staff member: username, the editable fields and an initial password."""

    username = StringField(_l("Username"), validators=[
        DataRequired(), Length(min=2, max=64),
        Regexp(r"^[a-z0-9._-]+$", message=_l(
            "Use lowercase letters, digits, dots, dashes and underscores only."))])
    password = PasswordField(_l("Initial password"), render_kw=NEW_PASSWORD, validators=[
        DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)])


class BranchCreateForm(FlaskForm):
    """A new head office, branch or outlet."""

    code = StringField(_l("Code"), validators=[
        DataRequired(), Length(max=16),
        Regexp(r"^[A-Za-z0-9_-]+$", message=_l("Use letters, digits, dashes and underscores."))])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    kind = SelectField(_l("Kind"), default=BranchKind.BRANCH, validators=[DataRequired()],
                       choices=label_choices(BRANCH_KIND_LABELS, (
                           BranchKind.BRANCH, BranchKind.OUTLET, BranchKind.HEAD_OFFICE)))
    parent_id = SelectField(_l("Belongs to"), coerce=int, validators=[Optional()])

    def __init__(self, parents, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent_id.choices = branch_choices(parents) + [
            SelectChoice(0, _l("— none (only for the head office) —"))]


class BranchEditForm(FlaskForm):
    """A branch's name and whether it is open."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    active = BooleanField(_l("Active"))


def thresholds_form(current):
    """Build the tier-thresholds form for the tiers of ``current`` (tier -> Threshold)."""
    class ThresholdsForm(FlaskForm):
        """Minimum AUM (yuan) and contact interval (days) of every tier."""

        def values(self):
            """Return ``{tier: (min AUM fen, interval days or None)}``; mass starts at 0."""
            return {tier: (0 if tier == Tier.MASS else self[f"{tier}_min_aum"].fen,
                           self[f"{tier}_interval"].data) for tier in Tier.ALL}

    for tier in Tier.ALL:
        label = TIER_LABELS[tier]
        if tier != Tier.MASS:
            setattr(ThresholdsForm, f"{tier}_min_aum", YuanField(
                _l("%(tier)s from (CNY)", tier=label), validators=[DataRequired()]))
        interval = [Optional()] if tier == Tier.MASS else [InputRequired()]
        setattr(ThresholdsForm, f"{tier}_interval", IntegerField(
            _l("%(tier)s contact every (days)", tier=label),
            validators=interval + [NumberRange(min=1, max=365)]))
    data = {}
    for tier, threshold in current.items():
        data[f"{tier}_min_aum"] = fen_to_yuan(threshold.min_aum_fen)
        data[f"{tier}_interval"] = threshold.contact_interval_days
    return ThresholdsForm(data=data)


class ServiceEditForm(FlaskForm):
    """A value-added service's name and yearly allowance."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    yearly_allowance = IntegerField(_l("Yearly allowance per customer"), validators=[
        InputRequired(), NumberRange(min=0, max=365)])


class ServiceCreateForm(ServiceEditForm):
    """A new value-added service offered to one tier."""

    tier = SelectField(_l("Tier"), choices=label_choices(TIER_LABELS, Tier.ALL),
                       validators=[DataRequired()])
    code = StringField(_l("Code"), validators=[
        DataRequired(), Length(max=32),
        Regexp(r"^[A-Za-z0-9_-]+$", message=_l("Use letters, digits, dashes and underscores."))])


class RevealLimitForm(FlaskForm):
    """The daily limit of personal-data reveals per staff member (the reveal watch)."""

    limit = IntegerField(_l("Reveals per staff member per day"), validators=[
        InputRequired(message=_l("Enter the daily limit.")),
        NumberRange(min=1, max=1000, message=_l("Enter a whole number from %(min)s to %(max)s."))],
        render_kw={"min": 1, "max": 1000, "inputmode": "numeric"})
