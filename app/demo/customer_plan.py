"""What the demo customer generator draws from: the plan, the shares and the lookup tables.

``CustomerPlan`` describes the bank to fill; the per-mille share tables, the calendar of
day numbers and the product pools by tier and risk level are computed once per process.
"""
from dataclasses import dataclass
from datetime import date, datetime
from typing import Optional

from ..models import Tier
from ..models.customer import CUSTOMER_RISK_LEVELS
from .reference import ALL_TIERS, ASSET_CATEGORIES

REGIONS = (("310115", 16), ("310104", 12), ("310101", 6), ("310105", 6), ("310106", 6),
           ("310107", 5), ("310110", 5), ("310112", 8), ("310113", 4), ("320102", 3),
           ("320505", 3), ("330106", 3), ("340104", 2), ("110105", 2), ("370102", 2),
           ("420106", 2), ("510107", 2))
MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
                   "152", "153", "155", "156", "157", "158", "159", "170", "171", "173", "175",
                   "176", "177", "178", "180", "181", "182", "183", "185", "186", "187", "188",
                   "189", "191", "193", "195", "198", "199")

EPOCH = date(1940, 1, 1)
BIRTH_LAST = date(2005, 12, 31)
EARLIEST_ONBOARDING = date(2000, 1, 1)
ADULT_DAYS = 18 * 365 + 5
SOON_DAYS = 183
SOON_SHARE = 0.25  # of holdings drawn from every product; about 30 % of term holdings then
# Distributions as (value, share per thousand); a uniform index into the expansion draws one.
RISK_SHARES = (("C1", 100), ("C2", 300), ("C3", 350), ("C4", 180), ("C5", 70))
TIER_SHARES = ((Tier.MASS, 800), (Tier.GOLD, 150), (Tier.PLATINUM, 40), (Tier.DIAMOND, 9),
               (Tier.PRIVATE, 1))
STATUS_SHARES = (("closed", 10), ("dormant", 60), ("active", 930))

CUSTOMER_COLUMNS = (
    "id", "customer_number", "name", "gender", "birth_on", "birth_mmdd", "id_number_enc",
    "id_number_hash", "mobile", "mobile_last4", "branch_id", "maintainer_id", "tier",
    "aum_fen", "risk_level", "risk_assessed_on", "onboarded_on", "last_contact_on", "status",
    "marketing_consent", "updated_at",
)
# Holdings and tier history get their ids from the database: nothing refers to them here.
HOLDING_COLUMNS = ("reference", "customer_id", "product_id", "amount_fen", "opened_on",
                   "matures_on")
TIER_HISTORY_COLUMNS = ("customer_id", "from_tier", "to_tier", "aum_fen", "changed_on",
                        "reason")
ID_SEQUENCES = 500  # order codes per region, birth day and gender
MOBILE_ENDINGS = 10_000  # last four digits per prefix and middle four digits


@dataclass(frozen=True)
class CustomerPlan:
    """Everything the customer generator needs to know about the bank it fills.

    ``thresholds`` maps each tier to (minimum AUM in fen, contact interval in days or None);
    ``outlets`` lists (outlet id, maintainer ids); ``products`` and ``product_tiers`` are the
    rows of ``product_rows``; ``keyring`` (``app.encryption.Keyring``) encrypts ID numbers.
    """

    seed: int
    count: int
    today: date
    thresholds: dict
    outlets: tuple
    products: tuple
    product_tiers: tuple
    first_customer_id: int = 1
    updated_at: Optional[datetime] = None
    block_size: int = 20_000
    keyring: Optional[object] = None

    @property
    def blocks(self):
        """Return the number of blocks of ``block_size`` customers."""
        return -(-self.count // self.block_size)


@dataclass
class Chunk:
    """Rows for one slice of customers, ready for a bulk insert."""

    customers: list
    holdings: list
    histories: list


def digit_sum(text, weights):
    """Return the weighted sum of the digits of ``text`` (the ID number's check code)."""
    return sum(int(digit) * weight for digit, weight in zip(text, weights))


def _per_mille(shares):
    """Expand (value, share per thousand) pairs into a 1000-entry lookup table."""
    table = tuple(value for value, share in shares for _ in range(share))
    assert len(table) == 1000, shares
    return table


SEQ2 = tuple(f"{n:02d}" for n in range(1, 100))
RISKS = _per_mille(RISK_SHARES)
TIERS_DRAWN = _per_mille(TIER_SHARES)
STATUSES = _per_mille(STATUS_SHARES)


class DayCalendar:
    """Day numbers (days since 1940-01-01) and their ISO strings, computed once."""

    def __init__(self, today, horizon):
        self.epoch = EPOCH.toordinal()
        self.today = today.toordinal() - self.epoch
        last = self.today + horizon
        self.iso = [date.fromordinal(self.epoch + n).isoformat() for n in range(last + 1)]
        self.birth_days = BIRTH_LAST.toordinal() - self.epoch + 1
        self.compact = [text.replace("-", "") for text in self.iso[:self.birth_days]]
        self.year = [int(text[:4]) for text in self.iso[:self.birth_days]]
        self.feb29 = [n for n in range(self.birth_days) if self.iso[n].endswith("-02-29")]
        self.earliest_onboarding = EARLIEST_ONBOARDING.toordinal() - self.epoch

    def number(self, day):
        """Return the day number of a date."""
        return day.toordinal() - self.epoch


class ProductPools:
    """The products a customer may hold, by tier and risk rank, sorted by minimum amount."""

    def __init__(self, plan, calendar):
        tiers = {}
        for row in plan.product_tiers:
            tiers.setdefault(row["product_id"], set()).add(row["tier"])
        today = calendar.today
        holdable = []
        for row in plan.products:
            if row["category"] not in ASSET_CATEGORIES:
                continue
            start = calendar.number(row["on_sale_from"])
            until = today if row["on_sale_until"] is None else calendar.number(
                row["on_sale_until"])
            spec = self._spec(row, start, min(until, today), today)
            if spec is not None:
                holdable.append((spec, tiers.get(row["id"], set())))
        holdable.sort(key=lambda item: item[0][1])
        # Holdings that mature within six months (or never) may be of any product; the others
        # only of products whose term reaches further; new customers' only of products on sale.
        self.pools = self._pools(holdable)
        self.later = self._pools([item for item in holdable
                                  if item[0][3] is None or item[0][7][1] > SOON_DAYS])
        self.live = self._pools([item for item in holdable if item[0][5] >= today])

    @staticmethod
    def _pools(holdable):
        """Index products by (tier, customer risk level): offered to the tier, risk within.

        A customer without an assessment (level None) holds R1 products only.
        """
        pools = {}
        for tier in ALL_TIERS:
            for level in (None,) + CUSTOMER_RISK_LEVELS:
                rank = int(level[1]) if level else 1
                specs = [spec for spec, offered in holdable
                         if tier in offered and spec[2] <= rank]
                pools[tier, level] = ([spec[1] for spec in specs], specs)
        return pools

    @staticmethod
    def _spec(row, start, until, today):
        """Describe a holdable product: (id, min, risk, term, start, until, soon, later)."""
        risk = int(row["risk_level"][1])
        term = row["term_days"]
        if not term:
            return (row["id"], row["min_amount_fen"], risk, None, start, until, None, None)
        # A term holding matures ``offset`` days from today and was opened within the window.
        low = max(1, start + term - today)
        high = min(term, until + term - today)
        if low > high:
            return None
        soon = (low, min(SOON_DAYS, high)) if low <= SOON_DAYS else None
        later = (max(SOON_DAYS + 1, low), high) if high > SOON_DAYS else None
        return (row["id"], row["min_amount_fen"], risk, term, start, until, soon or later,
                later or soon)
