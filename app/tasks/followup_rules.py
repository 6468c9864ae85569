"""The follow-up rules as SQL: for each generated kind, the SELECT of the tasks it raises on a day.

Each function returns one row per task to raise, in the column order of
``CANDIDATE_COLUMNS``, straight from the customers, holdings and tier history: nothing loops
over customers in Python. Date windows SQL cannot compute portably (the birthdays of the
coming days, weekends before a maturity, the assessments that expire soon) are computed in
Python and passed as literal values; ``app.sql`` supplies the rest (``add_days`` …).
Every SELECT leaves out the tasks already raised (the task's unique key), so a second run
of the same day finds nothing.
"""
from calendar import isleap
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import String, and_, case, cast, exists, func, literal, or_, select

from ..extensions import db
from ..models import (Customer, CustomerStatus, FollowupRule, Holding, Product, RuleKind, Task,
                      TaskStatus, TierHistory)
from ..sql import add_days, date_value, json_params, one_year_after, text_value
from ..tiers import rank_case, thresholds
from ..workdays import date_range, is_working_day, working_day_on_or_before
from .priority import tier_weight

CANDIDATE_COLUMNS = ("kind", "customer_id", "maintainer_id", "source_ref", "due_on", "priority",
                     "note_params")
MAX_LEAD_DAYS = 366
DEFAULT_DORMANT_DAYS = 180
DEFAULT_WELCOME_DAYS = 7


@dataclass(frozen=True)
class RuleDay:
    """One enabled rule on one day, with what its SELECT needs to know."""

    rule: FollowupRule
    today: date
    contact_intervals: dict

    @property
    def lead_days(self):
        """Return the rule's lead days, kept within a year."""
        return max(0, min(self.rule.lead_days or 0, MAX_LEAD_DAYS))

    def rows(self, source_ref, due_on, note_params):
        """Return the SELECT of this rule's candidate rows for the joined customer.

        Its columns follow ``CANDIDATE_COLUMNS``; it leaves out tasks already raised (the
        task's unique key, an index-only probe), so a second run finds nothing.
        """
        kind = text_value(self.rule.kind)
        raised = (select(Task.id)
                  .where(Task.kind == self.rule.kind, Task.customer_id == Customer.id,
                         Task.source_ref == source_ref, Task.due_on == due_on)
                  .correlate_except(Task))
        return select(
            kind, Customer.id, Customer.maintainer_id, source_ref, due_on,
            literal(self.rule.base_priority) + tier_weight(Customer.tier), note_params,
        ).where(~exists(raised))


def _not_closed():
    return Customer.status != CustomerStatus.CLOSED


def _no_task(kind, statuses=TaskStatus.PENDING):
    """Return a condition: the customer has no task of ``kind`` in ``statuses`` (None: any)."""
    query = select(Task.id).where(Task.customer_id == Customer.id, Task.kind == kind)
    if statuses is not None:
        query = query.where(Task.status.in_(statuses))
    return ~exists(query.correlate(Customer))


def _last_contact():
    return func.coalesce(Customer.last_contact_on, Customer.onboarded_on)


def birthday_due_dates(today, lead_days):
    """Map each birthday 'MM-DD' of the coming ``lead_days`` to the date it is celebrated.

    Someone born on 29 February celebrates on 28 February in a year without one; the window
    runs across the year end into the next year's dates.
    """
    due = {}
    for day in date_range(today, today + timedelta(days=lead_days)):
        due.setdefault(f"{day:%m-%d}", day)
        if day.month == 2 and day.day == 28 and not isleap(day.year):
            due.setdefault("02-29", day)
    return due


def birthday_rows(rule_day):
    """Select customers whose birthday falls within the lead days; due on the birthday."""
    due = birthday_due_dates(rule_day.today, rule_day.lead_days)
    due_on = case({mmdd: date_value(day) for mmdd, day in due.items()},
                  value=Customer.birth_mmdd)
    return rule_day.rows(text_value(""), due_on, json_params(date=due_on)).where(
        Customer.birth_mmdd.in_(list(due)), _not_closed())


def maturity_rows(rule_day):
    """Select holdings maturing within the lead days; due the working day on or before it."""
    today = rule_day.today
    last = today + timedelta(days=rule_day.lead_days)
    weekend = {day: date_value(working_day_on_or_before(day))
               for day in date_range(today, last) if not is_working_day(day)}
    due_on = (case(weekend, value=Holding.matures_on, else_=Holding.matures_on)
              if weekend else Holding.matures_on)
    source_ref = text_value("holding:") + cast(Holding.id, String)
    note = json_params(date=Holding.matures_on, product=Product.name,
                       amount_fen=Holding.amount_fen)
    return (rule_day.rows(source_ref, due_on, note)
            .select_from(Holding)
            .join(Customer, Customer.id == Holding.customer_id)
            .join(Product, Product.id == Holding.product_id)
            .where(Holding.matures_on.between(date_value(today), date_value(last)),
                   _not_closed()))


def not_before(due_on, today):
    """Return ``due_on``, or ``today`` when it lies further back.

    For the rules that guard against a second pending task of their kind (cadence, dormant,
    risk review), a long-neglected customer is due today rather than years overdue.
    """
    return case((due_on < date_value(today), date_value(today)), else_=due_on)


def cadence_rows(rule_day):
    """Select customers not contacted for their tier's interval; due last contact + interval."""
    intervals = rule_day.contact_intervals
    if not intervals:
        return None
    today, lead = rule_day.today, rule_day.lead_days
    last = _last_contact()
    late = or_(*(and_(Customer.tier == tier,
                      last <= date_value(today + timedelta(days=lead - interval)))
                 for tier, interval in intervals.items()))
    interval = case(intervals, value=Customer.tier)
    return rule_day.rows(
        text_value(""), not_before(add_days(last, interval), today),
        json_params(last_contact=last, interval=interval)).where(
            late, _not_closed(), _no_task(RuleKind.CADENCE))


def dormant_rows(rule_day):
    """Select customers with AUM above the floor not contacted for the threshold days.

    Tiers with a contact interval are left to the cadence rule, which reaches them sooner.
    """
    rule = rule_day.rule
    days = rule.threshold_days or DEFAULT_DORMANT_DAYS
    last = _last_contact()
    cutoff = rule_day.today + timedelta(days=rule_day.lead_days - days)
    note = json_params(since=last, days=literal(days), amount_fen=Customer.aum_fen)
    return rule_day.rows(
        text_value(""), not_before(add_days(last, literal(days)), rule_day.today), note).where(
            last <= date_value(cutoff), Customer.aum_fen >= (rule.min_aum_fen or 0),
            Customer.tier.notin_(list(rule_day.contact_intervals)), _not_closed(),
            _no_task(RuleKind.DORMANT))


def tier_change_rows(rule_day):
    """Select tier changes of the last lead days (up or down); due lead days after the change."""
    today, lead = rule_day.today, rule_day.lead_days
    direction = case((rank_case(TierHistory.to_tier) > rank_case(TierHistory.from_tier),
                      text_value("upgrade")), else_=text_value("downgrade"))
    note = json_params(from_tier=TierHistory.from_tier, to_tier=TierHistory.to_tier,
                       direction=direction)
    source_ref = text_value("tier:") + cast(TierHistory.id, String)
    return (rule_day.rows(source_ref, add_days(TierHistory.changed_on, literal(lead)), note)
            .select_from(TierHistory)
            .join(Customer, Customer.id == TierHistory.customer_id)
            .where(TierHistory.changed_on.between(date_value(today - timedelta(days=lead)),
                                                  date_value(today)),
                   TierHistory.from_tier.is_not(None),
                   TierHistory.from_tier != TierHistory.to_tier, _not_closed()))


def assessment_expiry(assessed_on):
    """Return the day a risk assessment made on ``assessed_on`` expires (29 Feb: 1 March)."""
    try:
        return assessed_on.replace(year=assessed_on.year + 1)
    except ValueError:
        return date(assessed_on.year + 1, 3, 1)


def last_assessment_expiring_by(day):
    """Return the latest assessment date whose expiry is on or before ``day``."""
    candidate = day - timedelta(days=366)
    while assessment_expiry(candidate + timedelta(days=1)) <= day:
        candidate += timedelta(days=1)
    return candidate


def risk_review_rows(rule_day):
    """Select risk assessments expiring within the lead days, or expired, with no review pending.

    A review due in the window is due on the expiry date. An assessment that has already
    expired is due today: it keeps raising a review (one at a time) until it is renewed.
    """
    today = rule_day.today
    latest = last_assessment_expiring_by(today + timedelta(days=rule_day.lead_days))
    expires = one_year_after(Customer.risk_assessed_on)
    due_on = not_before(expires, today)
    return rule_day.rows(text_value(""), due_on, json_params(date=expires)).where(
        Customer.risk_assessed_on <= date_value(latest), _not_closed(),
        _no_task(RuleKind.RISK_REVIEW))


def welcome_rows(rule_day):
    """Select customers onboarded within the threshold days, once each; due lead days after."""
    today, rule = rule_day.today, rule_day.rule
    days = rule.threshold_days or DEFAULT_WELCOME_DAYS
    return rule_day.rows(
        text_value("welcome"), add_days(Customer.onboarded_on, literal(rule_day.lead_days)),
        json_params(date=Customer.onboarded_on)).where(
            Customer.onboarded_on.between(date_value(today - timedelta(days=days)),
                                          date_value(today)),
            _not_closed(), _no_task(RuleKind.WELCOME, statuses=None))


RULE_ROWS = {
    RuleKind.BIRTHDAY: birthday_rows,
    RuleKind.MATURITY: maturity_rows,
    RuleKind.CADENCE: cadence_rows,
    RuleKind.DORMANT: dormant_rows,
    RuleKind.TIER_CHANGE: tier_change_rows,
    RuleKind.RISK_REVIEW: risk_review_rows,
    RuleKind.WELCOME: welcome_rows,
}


def enabled_rule_days(today):
    """Return a ``RuleDay`` for each enabled generated rule, in ``RuleKind.GENERATED`` order."""
    rules = {rule.kind: rule for rule in db.session.scalars(
        select(FollowupRule).where(FollowupRule.kind.in_(RuleKind.GENERATED)))}
    intervals = {tier: threshold.contact_interval_days
                 for tier, threshold in thresholds().items() if threshold.contact_interval_days}
    return [RuleDay(rules[kind], today, intervals)
            for kind in RuleKind.GENERATED if kind in rules and rules[kind].enabled]
