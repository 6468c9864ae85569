"""The head-office form of one follow-up rule's settings (several on the rules page)."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange
from wtforms.validators import Optional as OptionalValue


class RuleForm(FlaskForm):
    """Settings of one follow-up rule (prefixed with its kind, several on one page)."""

    enabled = BooleanField(_l("Enabled"))
    lead_days = IntegerField(_l("Lead days"), validators=[
        InputRequired(message=_l("Enter the lead days.")), NumberRange(0, 365)])
    base_priority = IntegerField(_l("Base priority"), validators=[
        InputRequired(message=_l("Enter the base priority.")), NumberRange(0, 100)])
    note_template = StringField(_l("Note template"), validators=[
        DataRequired(message=_l("Enter the note template.")), Length(max=200)])
    threshold_days = IntegerField(_l("Threshold (days)"), validators=[
        OptionalValue(), NumberRange(1, 3650)])
    min_aum = DecimalField(_l("Minimum AUM (CNY)"), places=2, validators=[
        OptionalValue(), NumberRange(min=0, max=10**12)])

    @classmethod
    def for_rule(cls, rule):
        """Return the form filled with ``rule``'s current settings."""
        min_aum = None if rule.min_aum_fen is None else Decimal(rule.min_aum_fen) / 100
        return cls(formdata=None, prefix=rule.kind, data={
            "enabled": rule.enabled, "lead_days": rule.lead_days,
            "base_priority": rule.base_priority, "note_template": rule.note_template,
            "threshold_days": rule.threshold_days, "min_aum": min_aum})
