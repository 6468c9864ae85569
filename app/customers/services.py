"""Customer book services: the scoped list with keyset paging, the 360 view, reveals, reassignment.

Every query goes through ``app.access``; a customer outside the actor's scope is not found.
"""
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import joinedload

from .. import access, audit
from ..clock import today as bank_today
from ..clock import utcnow
from ..encryption import keyring
from ..errors import Invalid, NotAllowed, NotFound
from ..extensions import db
from ..models import Branch, Customer, CustomerStatus, Holding, Role, Staff, Tier
from ..models import TierHistory
from ..paging import exists, keyset_page
from ..personal_data import ID_RE
from ..routing import clamp_id, valid_id
from . import reveal_watch

SEARCH_MAX = 64
MOBILE_LAST4_RE = re.compile(r"^[0-9]{4}$")
# Appended to a prefix, the last Unicode code point bounds a range that holds every string
# starting with the prefix (rare CJK characters lie beyond U+FFFF), so a plain B-tree index
# serves the search; binary (code point) order is the same on SQLite and PostgreSQL's C.UTF-8.
PREFIX_END = "\U0010ffff"
REVEALABLE_FIELDS = ("id_number", "mobile")
REASON_MIN, REASON_MAX = 5, 200
MAX_REASSIGN = 1000


class RevealRefused(Invalid):
    """The reveal lacks a proper reason; carries the (in-scope) customer to redisplay."""

    def __init__(self, customer, message):
        super().__init__(message)
        self.customer = customer


class RevealLimitReached(RevealRefused):
    """The reveal watch stopped the actor for the rest of the day (refusal audited)."""


class ReassignRefused(Invalid):
    """The reassignment was refused as a whole; nothing moved."""


# --- the list --------------------------------------------------------------------------


@dataclass
class CustomerPage:
    """One page of the customer list, with what the filters need to redisplay."""

    customers: list
    has_next: bool
    has_prev: bool
    notices: list
    search_mode: Optional[str] = None  # "mobile" or "text" when a search is active
    filtered: bool = False


@dataclass
class CustomerListOptions:
    """What the list's filters offer (maintainers, branches) and the reassignment targets."""

    maintainers: list
    branches: list
    reassign_targets: list


NO_LIST_OPTIONS = CustomerListOptions([], [], [])


def list_options(actor):
    """Return the maintainers and branches in ``actor``'s scope, and whom they may reassign to.

    Only managers (supervisors, head office) reassign; the targets are the active maintainers.
    """
    if not access.can_see_customers(actor):
        raise NotAllowed()
    maintainers = _scoped_maintainers(actor)
    targets = ([s for s in maintainers if s.active]
               if actor.has_role(*access.MANAGER_ROLES) else [])
    return CustomerListOptions(maintainers, _scoped_branches(actor), targets)


def prefix_match(column, prefix):
    """Return an index-friendly ``column`` starts-with ``prefix`` predicate (a range)."""
    return and_(column >= prefix, column < prefix + PREFIX_END)


def search_condition(q):
    """Return the condition for search text ``q``, and whether it searched mobiles or text.

    Exactly four digits are the last four of the mobile; a full resident ID number finds
    its customer by the keyed hash (the number itself is stored encrypted); anything else
    is a prefix of the name or the customer number. Customer numbers are plain ASCII, so
    text with Chinese characters searches names alone (one index range instead of three).
    """
    if MOBILE_LAST4_RE.match(q):
        return Customer.mobile_last4 == q, "mobile"
    if ID_RE.match(q.upper()):
        return Customer.id_number_hash.in_(keyring().digests(q.upper())), "id_number"
    if not q.isascii():
        return prefix_match(Customer.name, q), "text"
    numbers = {q, q.upper()}
    by_number = [prefix_match(Customer.customer_number, n) for n in sorted(numbers)]
    if is_number_prefix(q):
        return or_(*by_number), "text"
    return or_(prefix_match(Customer.name, q), *by_number), "text"


def is_number_prefix(q):
    """Tell whether search text ``q`` is a customer-number prefix (ASCII with a digit).

    Names hold no digits, so such a search reads the customer-number index alone, in its
    order, and stops after a page however many customers share the prefix.
    """
    return q.isascii() and any(c.isdigit() for c in q)


def _scoped_maintainers(actor):
    return list(db.session.scalars(
        select(Staff).where(access.staff_filter(actor), Staff.role == Role.MAINTAINER)
        .options(joinedload(Staff.branch)).order_by(Staff.display_name, Staff.id)))


def _scoped_branches(actor):
    return list(db.session.scalars(
        select(Branch).where(access.branch_filter(actor)).order_by(Branch.code)))


def _in_scope(model, record_id, *conditions):
    """Tell whether the row ``record_id`` of ``model`` exists and meets ``conditions``."""
    record_id = valid_id(record_id)
    return record_id is not None and exists([model.id == record_id, *conditions])


def _checked_filters(actor, maintainer, branch, notices):
    """Return the maintainer and branch filters, dropping (with a notice) ids outside scope."""
    if maintainer is not None and not _in_scope(
            Staff, maintainer, access.staff_filter(actor), Staff.role == Role.MAINTAINER):
        notices.append(_l("The chosen maintainer is not in your branches; that filter was "
                          "ignored."))
        maintainer = None
    if branch is not None and not _in_scope(Branch, branch, access.branch_filter(actor)):
        notices.append(_l("The chosen branch is not one of yours; that filter was ignored."))
        branch = None
    return maintainer, branch


def list_customers(actor, *, q="", tier=None, maintainer=None, branch=None, status=None,
                   after=None, before=None, page_size=50):
    """Return one page of the customers ``actor`` may see, searched and filtered.

    ``q`` is a name or customer-number prefix, or the last 4 digits of the mobile. Unknown
    tiers or statuses and maintainers or branches outside scope are ignored with a notice.
    Paging is by keyset (``after``/``before`` a customer id), never by offset or count: in
    id order, or in name order for a search by name. ``list_options`` gives the filters'
    choices.
    """
    if not access.can_see_customers(actor):
        raise NotAllowed()
    notices = []
    maintainer, branch = _checked_filters(actor, maintainer, branch, notices)
    search_mode = None
    keys = (Customer.id,)
    q = (q or "").strip()[:SEARCH_MAX]
    by_number = bool(q) and is_number_prefix(q)
    # A number prefix walks the number index in order: the scope must not take it over.
    conditions = [access.customer_filter(actor, indexed=not by_number)]
    if q:
        condition, search_mode = search_condition(q)
        conditions.append(condition)
        if not q.isascii():  # a name: list alphabetically, straight off the name index
            keys = (Customer.name, Customer.id)
        elif by_number:  # a number (unique): in number order, off the number's index
            keys = (Customer.customer_number,)
    if tier in Tier.ALL:
        conditions.append(Customer.tier == tier)
    if status in CustomerStatus.ALL:
        conditions.append(Customer.status == status)
    if maintainer is not None:
        conditions.append(Customer.maintainer_id == maintainer)
    if branch is not None:
        conditions.append(Customer.branch_id == branch)
    page = keyset_page(
        select(Customer).options(joinedload(Customer.maintainer), joinedload(Customer.branch)),
        Customer, conditions, keys=keys, after=clamp_id(after), before=clamp_id(before),
        size=page_size)
    return CustomerPage(page.rows, page.has_next, page.has_prev, notices, search_mode,
                        filtered=len(conditions) > 1)


# --- the 360 view ----------------------------------------------------------------------


@dataclass
class Customer360:
    """Everything the customer page shows about one customer."""

    customer: Customer
    age: int
    days_to_birthday: int
    holdings: list
    holdings_total_fen: int
    tier_history: list
    risk_valid: bool
    risk_expires_on: Optional[date]
    reassign_targets: list = field(default_factory=list)


def age_on(birth_on, today):
    """Return the age in whole years on ``today`` of someone born on ``birth_on``."""
    return today.year - birth_on.year - ((today.month, today.day) < (birth_on.month, birth_on.day))


def days_to_birthday(birth_on, today):
    """Return the days from ``today`` to the next birthday (0 on the day itself)."""
    for year in (today.year, today.year + 1):
        try:
            upcoming = birth_on.replace(year=year)
        except ValueError:  # born on 29 February: celebrated on 1 March in common years
            upcoming = date(year, 3, 1)
        if upcoming >= today:
            return (upcoming - today).days
    return 0  # unreachable: next year's birthday always lies ahead


def find_customer(actor, customer_id):
    """Return the customer if ``actor`` may see it, else raise NotFound (audited)."""
    if valid_id(customer_id) is None:  # an id no row can have, e.g. beyond 32 bits
        raise NotFound()
    return access.get_customer(actor, customer_id)


def customer_360(actor, customer_id, today):
    """Return the 360 view of a customer ``actor`` may see (else NotFound, audited)."""
    customer = find_customer(actor, customer_id)
    holdings = list(db.session.scalars(
        select(Holding).where(Holding.customer_id == customer.id)
        .options(joinedload(Holding.product))
        .order_by(Holding.matures_on.is_(None), Holding.matures_on, Holding.opened_on,
                  Holding.id)))
    history = list(db.session.scalars(
        select(TierHistory).where(TierHistory.customer_id == customer.id)
        .order_by(TierHistory.changed_on.desc(), TierHistory.id.desc())))
    targets = ([s for s in _scoped_maintainers(actor) if s.active]
               if actor.has_role(*access.MANAGER_ROLES) else [])
    return Customer360(
        customer=customer, age=age_on(customer.birth_on, today),
        days_to_birthday=days_to_birthday(customer.birth_on, today), holdings=holdings,
        holdings_total_fen=sum(h.amount_fen for h in holdings), tier_history=history,
        risk_valid=customer.risk_assessment_valid_on(today),
        risk_expires_on=customer.risk_assessment_expires_on, reassign_targets=targets)


# --- reveal ----------------------------------------------------------------------------


def reveal_personal_data(actor, customer_id, field_name, reason, today=None, now=None):
    """Return ``(customer, unmasked value)`` of ``field_name``; audited with the reason.

    The customer must be in scope (else NotFound, audited). A missing or short reason raises
    RevealRefused and reveals and records nothing. Past the daily limit of the reveal watch
    (bank day ``today``) it raises RevealLimitReached, audited, and the supervisor is told.
    """
    if not access.can_see_customers(actor):
        raise NotAllowed()
    if field_name not in REVEALABLE_FIELDS:
        raise Invalid(_l("This field cannot be revealed."))
    customer = find_customer(actor, customer_id)
    reason = (reason or "").strip()
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise RevealRefused(customer, _l(
            "The reason must be %(min)d to %(max)d characters long.",
            min=REASON_MIN, max=REASON_MAX))
    today = today or bank_today()
    limit = reveal_watch.reveal_limit()
    if not reveal_watch.take_reveal(actor, today, limit):
        reveal_watch.refuse_reveal(actor, customer, field_name, today, limit, now)
        raise RevealLimitReached(customer, ngettext(
            "You have revealed personal data %(num)d time today, the daily limit. Revealing "
            "is stopped until tomorrow; your supervisor has been told.",
            "You have revealed personal data %(num)d times today, the daily limit. Revealing "
            "is stopped until tomorrow; your supervisor has been told.", limit))
    audit.record(actor, "customer.revealed", customer, field=field_name, reason=reason)
    db.session.commit()
    return customer, getattr(customer, field_name)


# --- reassignment ----------------------------------------------------------------------


@dataclass
class ReassignResult:
    """What a reassignment did."""

    maintainer: Staff
    moved: int
    unchanged: int


def _reassign_target(actor, maintainer_id):
    target = db.session.scalar(select(Staff).where(
        Staff.id == valid_id(maintainer_id), access.staff_filter(actor),
        Staff.role == Role.MAINTAINER, Staff.active.is_(True)))
    if target is None:
        raise ReassignRefused(_l("The new maintainer must be an active maintainer of your "
                                 "branches. Nothing was reassigned."))
    return target


def _refuse_out_of_scope(actor, ids, found):
    """Audit the refused ids that exist (outside scope) and raise ReassignRefused."""
    missing = sorted(set(ids) - {row.id for row in found})
    existing = list(db.session.scalars(select(Customer.id).where(
        Customer.id.in_([i for i in missing if valid_id(i)]))))
    if existing:
        audit.record_many(actor, "access.refused", "customer",
                          [(i, actor.branch_id, {}) for i in existing])
        db.session.commit()
    raise ReassignRefused(ngettext(
        "%(num)d of the selected customers is not one you may reassign. Nothing was "
        "reassigned.",
        "%(num)d of the selected customers are not ones you may reassign. Nothing was "
        "reassigned.", len(missing)))


def reassign_customers(actor, customer_ids, maintainer_id):
    """Move customers to another maintainer in one UPDATE; one audit event per customer.

    Supervisors and admins only. Every customer must be in ``actor``'s scope and the new
    maintainer an active maintainer of it, otherwise nothing moves (ReassignRefused).
    """
    if not actor.has_role(*access.MANAGER_ROLES):
        raise NotAllowed()
    ids = sorted({i for i in customer_ids or () if isinstance(i, int)})
    if not ids:
        raise ReassignRefused(_l("Select at least one customer to reassign."))
    if len(ids) > MAX_REASSIGN:
        raise ReassignRefused(_l("Reassign at most %(max)d customers at a time.",
                                 max=MAX_REASSIGN))
    target = _reassign_target(actor, maintainer_id)
    valid = [i for i in ids if valid_id(i)]
    found = db.session.execute(
        select(Customer.id, Customer.maintainer_id, Customer.branch_id)
        .where(Customer.id.in_(valid), access.customer_filter(actor))).all() if valid else []
    if len(found) != len(ids):
        _refuse_out_of_scope(actor, ids, found)
    moving = [row for row in found if row.maintainer_id != target.id]
    if moving:
        db.session.execute(
            update(Customer)
            .where(Customer.id.in_([row.id for row in moving]), access.customer_filter(actor))
            .values(maintainer_id=target.id, updated_at=utcnow())
            .execution_options(synchronize_session=False))
        audit.record_many(actor, "customer.reassigned", "customer", [
            (row.id, row.branch_id, {"from_maintainer_id": row.maintainer_id,
                                     "to_maintainer_id": target.id})
            for row in moving])
    db.session.commit()
    return ReassignResult(target, len(moving), len(found) - len(moving))
