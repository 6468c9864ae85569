"""Demo data as rows: pure functions of a seed and today's date, no database access.

Reference data (branches, staff, products, value-added services) comes as row dictionaries.
Customers, holdings and tier history come in blocks of plain tuples in the order of
``CUSTOMER_COLUMNS``, ``HOLDING_COLUMNS`` and ``TIER_HISTORY_COLUMNS``: at a million customers
the tuples are what keeps generation and ``executemany``/``COPY`` fast. Dates are ISO strings
(``YYYY-MM-DD``), the form both SQLite and PostgreSQL accept.

Each block of customers has its own random stream (seed and block number) and its own share
of the ID-number and mobile spaces, so blocks can be generated in any order, in parallel
processes, and the same plan always gives the same rows.
"""
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime
from random import Random
from typing import Optional

from ..models import BranchKind, ProductCategory, Role, Tier
from ..models.customer import CUSTOMER_RISK_LEVELS
from ..personal_data import ID_CHECK_CODES, ID_WEIGHTS
from ..tiers import DEFAULT_THRESHOLDS
from .names import NameBook

DEFAULT_SEED = 20261129
MAX_CUSTOMERS = 2_000_000

ALL_TIERS = Tier.ALL
GOLD_UP = ALL_TIERS[1:]
PLATINUM_UP = ALL_TIERS[2:]
DIAMOND_UP = ALL_TIERS[3:]

# key, code, name, kind, parent key
BRANCHES = (
    ("ho", "HO", "总行", BranchKind.HEAD_OFFICE, None),
    ("pd", "PD", "浦东分行", BranchKind.BRANCH, "ho"),
    ("xh", "XH", "徐汇分行", BranchKind.BRANCH, "ho"),
    ("pd1", "PD-LJZ", "陆家嘴支行", BranchKind.OUTLET, "pd"),
    ("pd2", "PD-ZJ", "张江支行", BranchKind.OUTLET, "pd"),
    ("xh1", "XH-XJH", "徐家汇支行", BranchKind.OUTLET, "xh"),
    ("xh2", "XH-CHJ", "漕河泾支行", BranchKind.OUTLET, "xh"),
)

# username, display name, role, branch key
STAFF = (
    ("admin", "王立新", Role.ADMIN, "ho"),
    ("supervisor1", "陈国栋", Role.SUPERVISOR, "pd"),
    ("supervisor2", "李慧敏", Role.SUPERVISOR, "xh"),
    ("trainer1", "赵雅琴", Role.TRAINER, "pd"),
    ("maint1", "刘晓东", Role.MAINTAINER, "pd1"),
    ("maint2", "孙婷", Role.MAINTAINER, "pd1"),
    ("maint3", "黄志伟", Role.MAINTAINER, "pd2"),
    ("maint4", "吴佳怡", Role.MAINTAINER, "pd2"),
    ("maint5", "周海涛", Role.MAINTAINER, "xh1"),
    ("maint6", "徐静", Role.MAINTAINER, "xh1"),
    ("maint7", "马俊杰", Role.MAINTAINER, "xh2"),
    ("maint8", "朱丽娜", Role.MAINTAINER, "xh2"),
)

# code, name, category, risk, minimum (CNY), term days, yield bp, on sale from/until
# (days from today, until None = open-ended), tiers offered
PRODUCTS = (
    ("DEP-DMD", "活期储蓄", ProductCategory.DEPOSIT, "R1", 0, None, 5, -5000, None, ALL_TIERS),
    ("DEP-3M", "安心定期存款3个月", ProductCategory.DEPOSIT, "R1", 50, 91, 65, -3000, None,
     ALL_TIERS),
    ("DEP-1Y", "安心定期存款1年", ProductCategory.DEPOSIT, "R1", 50, 365, 95, -3000, None,
     ALL_TIERS),
    ("DEP-3Y", "安心定期存款3年", ProductCategory.DEPOSIT, "R1", 50, 1095, 125, -3000, None,
     ALL_TIERS),
    ("DEP-CD3Y", "大额存单3年期", ProductCategory.DEPOSIT, "R1", 200_000, 1095, 155, -1500, 45,
     GOLD_UP),
    ("WM-CASH", "天天利现金管理", ProductCategory.WEALTH, "R1", 1, None, 145, -2000, None,
     ALL_TIERS),
    ("WM-90D", "稳健理财90天", ProductCategory.WEALTH, "R2", 10_000, 90, 230, -1500, -30,
     ALL_TIERS),
    ("WM-180D", "稳健理财180天", ProductCategory.WEALTH, "R2", 10_000, 180, 260, -1200, None,
     ALL_TIERS),
    ("WM-1Y", "丰收理财1年", ProductCategory.WEALTH, "R2", 10_000, 365, 290, -1200, None,
     ALL_TIERS),
    ("WM-2Y", "睿享固收增强2年", ProductCategory.WEALTH, "R3", 50_000, 730, 340, -900, 20,
     GOLD_UP),
    ("WM-PRV", "私享定制理财1年", ProductCategory.WEALTH, "R3", 1_000_000, 365, 380, -700, None,
     DIAMOND_UP),
    ("FD-MMF", "添益货币基金", ProductCategory.FUND, "R1", 1, None, 150, -3000, None, ALL_TIERS),
    ("FD-BOND", "稳利债券基金", ProductCategory.FUND, "R2", 1000, None, 280, -2500, None,
     ALL_TIERS),
    ("FD-CSI300", "沪深300指数基金", ProductCategory.FUND, "R4", 10, None, None, -3000, None,
     ALL_TIERS),
    ("FD-MIX", "科技创新混合基金", ProductCategory.FUND, "R4", 1000, None, None, -1000, None,
     GOLD_UP),
    ("FD-EQ", "新兴产业股票基金", ProductCategory.FUND, "R5", 1000, None, None, -800, None,
     PLATINUM_UP),
    ("FD-PE", "私募股权精选三年期", ProductCategory.FUND, "R5", 1_000_000, 1095, None, -600, None,
     DIAMOND_UP),
    ("INS-ANN", "金生安享年金保险", ProductCategory.INSURANCE, "R2", 10_000, None, 250, -2000,
     None, ALL_TIERS),
    ("INS-CI", "康健无忧重疾险", ProductCategory.INSURANCE, "R1", 3000, None, None, -1800, None,
     ALL_TIERS),
    ("INS-UL", "鑫享万能险", ProductCategory.INSURANCE, "R3", 50_000, None, 300, -1000, -200,
     GOLD_UP),
    ("PM-ACC", "积存金", ProductCategory.PRECIOUS_METAL, "R3", 600, None, None, -2500, None,
     ALL_TIERS),
    ("PM-PANDA", "熊猫金币", ProductCategory.PRECIOUS_METAL, "R3", 3000, None, None, -330, 35,
     ALL_TIERS),
    ("PM-BAR", "生肖纪念金条", ProductCategory.PRECIOUS_METAL, "R3", 5000, None, None, -600, -240,
     ALL_TIERS),
    ("PM-TD", "黄金延期交易", ProductCategory.PRECIOUS_METAL, "R5", 100_000, None, None, -2000,
     None, PLATINUM_UP),
    ("LN-CON", "个人消费贷", ProductCategory.LOAN, "R1", 10_000, 1095, 330, -1500, None,
     ALL_TIERS),
    ("LN-MTG", "个人住房贷款", ProductCategory.LOAN, "R1", 300_000, 10950, 310, -5000, None,
     ALL_TIERS),
    ("LN-BIZ", "个人经营快贷", ProductCategory.LOAN, "R2", 50_000, 365, 365, -900, None, GOLD_UP),
    ("CD-DEBIT", "借记卡（标准卡）", ProductCategory.CARD, "R1", 0, None, None, -5000, None,
     ALL_TIERS),
    ("CD-GOLD", "金卡信用卡", ProductCategory.CARD, "R1", 0, None, None, -4000, None, GOLD_UP),
    ("CD-PLAT", "白金信用卡", ProductCategory.CARD, "R1", 0, None, None, -4000, None,
     PLATINUM_UP),
    ("CD-INF", "无限卡", ProductCategory.CARD, "R1", 0, None, None, -2000, None, DIAMOND_UP),
)

# Categories whose holdings count toward AUM (loans and cards do not).
ASSET_CATEGORIES = (ProductCategory.DEPOSIT, ProductCategory.WEALTH, ProductCategory.FUND,
                    ProductCategory.INSURANCE, ProductCategory.PRECIOUS_METAL)

# code, name, yearly allowance per tier (absent = not offered to that tier)
VALUE_ADDED_SERVICES = (
    ("wealth_seminar", "财富管理讲座",
     {Tier.MASS: 1, Tier.GOLD: 2, Tier.PLATINUM: 4, Tier.DIAMOND: 6, Tier.PRIVATE: 12}),
    ("birthday_gift", "生日礼遇",
     {Tier.GOLD: 1, Tier.PLATINUM: 1, Tier.DIAMOND: 1, Tier.PRIVATE: 1}),
    ("priority_window", "贵宾窗口优先办理",
     {Tier.GOLD: 12, Tier.PLATINUM: 24, Tier.DIAMOND: 52, Tier.PRIVATE: 99}),
    ("health_check", "年度健康体检", {Tier.PLATINUM: 1, Tier.DIAMOND: 2, Tier.PRIVATE: 4}),
    ("airport_lounge", "机场贵宾厅", {Tier.PLATINUM: 2, Tier.DIAMOND: 6, Tier.PRIVATE: 12}),
    ("airport_transfer", "机场接送", {Tier.DIAMOND: 2, Tier.PRIVATE: 6}),
    ("golf", "高尔夫练习场体验", {Tier.DIAMOND: 2, Tier.PRIVATE: 6}),
    ("concierge", "私人管家服务", {Tier.PRIVATE: 12}),
    ("legal_tax", "法律与税务咨询", {Tier.PRIVATE: 4}),
    ("family_office", "家族财富规划", {Tier.PRIVATE: 2}),
)

# Administrative division codes of the ID numbers (Shanghai districts first), with weights.
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
    "id", "customer_number", "name", "gender", "birth_on", "birth_mmdd", "id_number", "mobile",
    "mobile_last4", "branch_id", "maintainer_id", "tier", "aum_fen", "risk_level",
    "risk_assessed_on", "onboarded_on", "last_contact_on", "status", "marketing_consent",
    "updated_at",
)
# Holdings and tier history get their ids from the database: nothing refers to them here.
HOLDING_COLUMNS = ("reference", "customer_id", "product_id", "amount_fen", "opened_on",
                   "matures_on")
TIER_HISTORY_COLUMNS = ("customer_id", "from_tier", "to_tier", "aum_fen", "changed_on",
                        "reason")
ID_SEQUENCES = 500  # order codes per region, birth day and gender
MOBILE_ENDINGS = 10_000  # last four digits per prefix and middle four digits


# --- reference data ----------------------------------------------------------------------


def threshold_rows():
    """Return the default tier thresholds (DESIGN §2) as ``tier_threshold`` rows."""
    return [DEFAULT_THRESHOLDS[tier].as_row() for tier in ALL_TIERS]


def branch_rows(first_id=1):
    """Return the head office, two branches and four outlets, with explicit ids."""
    ids = {key: first_id + n for n, (key, *_rest) in enumerate(BRANCHES)}
    return [{"id": ids[key], "code": code, "name": name, "kind": kind,
             "parent_id": ids[parent] if parent else None, "active": True}
            for key, code, name, kind, parent in BRANCHES]


def staff_rows(branches, password_hash, new_token, first_id=1):
    """Return the demo logins; every one shares ``password_hash`` and gets its own token.

    ``branches`` are the rows of ``branch_rows`` (in that order); ``new_token`` makes a
    session token.
    """
    branch_ids = {key: row["id"] for (key, *_rest), row in zip(BRANCHES, branches)}
    return [{"id": first_id + n, "username": username, "display_name": display_name,
             "role": role, "branch_id": branch_ids[branch], "password_hash": password_hash,
             "active": True, "session_token": new_token(), "daily_capacity": 25,
             "failed_logins": 0}
            for n, (username, display_name, role, branch) in enumerate(STAFF)]


def product_rows(today, first_id=1):
    """Return the product supermarket as (product rows, product_tier rows)."""
    products, offered = [], []
    for n, spec in enumerate(PRODUCTS):
        code, name, category, risk, minimum, term, yield_bp, start, until, tiers = spec
        product_id = first_id + n
        products.append({
            "id": product_id, "code": code, "name": name, "category": category,
            "risk_level": risk, "min_amount_fen": minimum * 100, "term_days": term,
            "indicative_yield_bp": yield_bp,
            "on_sale_from": date.fromordinal(today.toordinal() + start),
            "on_sale_until": None if until is None else date.fromordinal(today.toordinal() + until),
        })
        offered.extend({"product_id": product_id, "tier": tier} for tier in tiers)
    return products, offered


def value_added_service_rows(first_id=1):
    """Return the value-added services of every tier, richer for higher tiers."""
    rows = []
    for tier in ALL_TIERS:
        for code, name, allowances in VALUE_ADDED_SERVICES:
            if tier in allowances:
                rows.append({"id": first_id + len(rows), "tier": tier, "code": code,
                             "name": name, "yearly_allowance": allowances[tier],
                             "active": True})
    return rows


# --- customers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CustomerPlan:
    """Everything the customer generator needs to know about the bank it fills.

    ``thresholds`` maps each tier to (minimum AUM in fen, contact interval in days or None);
    ``outlets`` lists (outlet id, maintainer ids); ``products`` and ``product_tiers`` are the
    rows of ``product_rows``.
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


def _digit_sum(text, weights):
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


class _Calendar:
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


class _Products:
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


class CustomerFactory:
    """Generates customers block by block, each block from its own seeded random stream."""

    def __init__(self, plan):
        if plan.blocks > ID_SEQUENCES:
            raise ValueError(f"at most {ID_SEQUENCES} blocks: raise block_size")
        self.plan = plan
        self.names = NameBook()
        self.calendar = _Calendar(plan.today, max(
            [row["term_days"] or 0 for row in plan.products
             if row["category"] in ASSET_CATEGORIES] + [0]) + 10)
        self.products = _Products(plan, self.calendar)
        self._identity_tables()
        self._money_tables(plan.thresholds)
        self.updated_at = (plan.updated_at or datetime(2000, 1, 1)).strftime(
            "%Y-%m-%d %H:%M:%S.%f")
        self.number_base = 3_100_000_000 + Random(plan.seed).randrange(10 ** 8)
        # Each block may issue this many order codes per ID bucket and endings per mobile bucket.
        self.id_share = ID_SEQUENCES // max(plan.blocks, 1)
        self.mobile_share = MOBILE_ENDINGS // max(plan.blocks, 1)
        self.start_block(0)

    def _identity_tables(self):
        calendar = self.calendar
        self.region_weighted = [n for n, (_code, weight) in enumerate(REGIONS)
                                for _ in range(weight)]
        self.region_sum = [_digit_sum(code, ID_WEIGHTS[:6]) for code, _weight in REGIONS]
        self.day_sum = [_digit_sum(text, ID_WEIGHTS[6:14]) for text in calendar.compact]
        self.seq_text = [f"{n:03d}" for n in range(1000)]
        self.seq_sum = [_digit_sum(text, ID_WEIGHTS[14:17]) for text in self.seq_text]
        self.mmdd = [text[5:10] for text in calendar.iso[:calendar.birth_days]]
        self.four = [f"{n:04d}" for n in range(10_000)]
        self.id_buckets = len(REGIONS) * calendar.birth_days * 2
        self.mobile_buckets = len(MOBILE_PREFIXES) * 10_000

    def _money_tables(self, thresholds):
        floors = [thresholds[tier][0] for tier in ALL_TIERS]
        self.bands = {}
        for rank, tier in enumerate(ALL_TIERS):
            low = max(floors[rank], 100_00)
            high = floors[rank + 1] if rank + 1 < len(floors) else max(low, 1) * 5
            self.bands[tier] = (low, max(high - low, 1))
        self.intervals = {tier: thresholds[tier][1] or 365 for tier in ALL_TIERS}
        ordered = sorted((thresholds[tier][0], Tier.rank(tier), tier) for tier in ALL_TIERS)
        self.floors = [floor for floor, _rank, _tier in ordered]
        self.floor_tiers = [tier for _floor, _rank, tier in ordered]

    def start_block(self, number):
        """Reset the random stream and the uniqueness counters for block ``number``."""
        self.block_number = number
        self.rng = Random(f"{self.plan.seed}:{number}")
        self.random = self.rng.random
        # People issued in this block per (region, birth day, gender), and mobiles per first
        # seven digits; each block owns its own slice of order codes and endings.
        self.issued = array("H", bytes(2 * self.id_buckets))
        self.dialled = array("H", bytes(2 * self.mobile_buckets))
        self.id_slice = number * self.id_share
        self.mobile_slice = number * self.mobile_share

    def block(self, number):
        """Return the ``Chunk`` of block ``number`` (0-based)."""
        self.start_block(number)
        chunk = Chunk([], [], [])
        start = number * self.plan.block_size
        for index in range(start, min(start + self.plan.block_size, self.plan.count)):
            self.customer(index, chunk)
        return chunk

    def chunks(self):
        """Yield the ``Chunk`` of every block in order."""
        for number in range(self.plan.blocks):
            yield self.block(number)

    # one customer ------------------------------------------------------------------------

    def customer(self, index, chunk):
        """Append customer ``index`` (0-based), its holdings and tier history to ``chunk``."""
        random = self.random
        calendar = self.calendar
        day, id_number, male = self.id_number(index)
        customer_id = self.plan.first_customer_id + index
        mobile = self.mobile()
        outlet, maintainers = self.plan.outlets[int(random() * len(self.plan.outlets))]
        maintainer = None if random() < 0.01 else maintainers[int(random() * len(maintainers))]
        welcome = index % 97 == 11
        status = "active" if welcome else STATUSES[int(random() * 1000)]
        tier, aum = self.tier_and_aum(status)
        risk = self.risk_level(welcome)
        onboarded = self.onboarded_on(day, welcome)
        onboarded = self.holdings(customer_id, (tier, risk), aum, onboarded, welcome,
                                  chunk.holdings)
        if tier != Tier.MASS and random() < 0.6:
            self.history(customer_id, tier, aum, onboarded, welcome, chunk.histories)
        chunk.customers.append((
            customer_id, f"C{self.number_base + index:010d}",
            self.names.full_name(self.rng, male, calendar.year[day]), "M" if male else "F",
            calendar.iso[day], self.mmdd[day], id_number, mobile, mobile[7:], outlet,
            maintainer, tier, aum, risk, self.risk_assessed_on(risk, onboarded, welcome),
            calendar.iso[onboarded],
            self.last_contact_on(tier, onboarded, status, welcome), status,
            status != "closed" and random() < 0.85, self.updated_at))

    def id_number(self, index):
        """Return (birth day number, ID number, male) for customer ``index``; never repeats.

        The 3-digit order code counts the people of one region, birth day and gender
        (odd for men) from a per-bucket starting point, within the block's own slice of
        codes, so no two customers share one.
        """
        random = self.random
        calendar = self.calendar
        male = random() < 0.49
        region = self.region_weighted[int(random() * len(self.region_weighted))]
        if index % 250 == 29:  # a few people born on 29 February
            day = calendar.feb29[int(random() * len(calendar.feb29))]
        else:
            day = int(random() * calendar.birth_days)
        bucket = ((region * calendar.birth_days) + day) * 2 + male
        issued = self.issued[bucket]
        if issued >= self.id_share:  # this block's codes for that bucket are used up
            return self.id_number(index)
        self.issued[bucket] = issued + 1
        seq = (bucket * 40_503 + self.id_slice + issued) % ID_SEQUENCES * 2 + male
        total = self.region_sum[region] + self.day_sum[day] + self.seq_sum[seq]
        first17 = REGIONS[region][0] + calendar.compact[day] + self.seq_text[seq]
        return day, first17 + ID_CHECK_CODES[total % 11], male

    def mobile(self):
        """Return a mobile number no other customer of this run has.

        The last four digits step through every value per prefix and middle four digits
        (7919 is prime to 10,000) from a per-bucket starting point, each block in its own
        slice of the steps.
        """
        random = self.random
        prefix = int(random() * len(MOBILE_PREFIXES))
        middle = int(random() * 10_000)
        bucket = prefix * 10_000 + middle
        dialled = self.dialled[bucket]
        if dialled >= self.mobile_share:  # this block's endings for that bucket are used up
            return self.mobile()
        self.dialled[bucket] = dialled + 1
        four = self.four
        return (MOBILE_PREFIXES[prefix] + four[middle]
                + four[(bucket * 2_654_435 + (self.mobile_slice + dialled) * 7919)
                       % MOBILE_ENDINGS])

    def tier_and_aum(self, status):
        """Draw a tier (about 80/15/4/0.9/0.1 %) and an AUM (fen) inside its band."""
        if status == "closed":
            return Tier.MASS, 0
        random = self.random
        tier = TIERS_DRAWN[int(random() * 1000)]
        low, width = self.bands[tier]
        roll = random()
        aum = low + int(width * roll * roll)
        # The tier whose threshold the AUM reaches, whatever head office set the thresholds to.
        return self.floor_tiers[max(bisect_right(self.floors, aum) - 1, 0)], aum

    def onboarded_on(self, day, welcome):
        """Return the day number the customer joined: an adult, since 2000; or this week."""
        today = self.calendar.today
        if welcome:
            return today - int(self.random() * 7)
        latest = today - 8
        earliest = min(max(day + ADULT_DAYS, self.calendar.earliest_onboarding), latest)
        return earliest + int(self.random() * (latest - earliest + 1))

    def risk_level(self, welcome):
        """Return the customer's risk level C1-C5, or None (never assessed, ~4 %)."""
        random = self.random
        if not welcome and random() < 0.04:
            return None
        return RISKS[int(random() * 1000)]

    def risk_assessed_on(self, level, onboarded, welcome):
        """Return the assessment date (ISO): mostly valid, some expired or about to expire."""
        if level is None:
            return None
        if welcome:
            return self.calendar.iso[onboarded]
        random = self.random
        roll = random()
        if roll < 0.12:
            ago = 366 + int(random() * 900)
        elif roll < 0.22:
            ago = 335 + int(random() * 30)
        else:
            ago = int(random() * 335)
        return self.calendar.iso[self.since(onboarded, ago)]

    def since(self, onboarded, ago):
        """Return the day ``ago`` days before today, or a day since ``onboarded`` if earlier."""
        today = self.calendar.today
        if today - ago >= onboarded:
            return today - ago
        return onboarded + int(self.random() * (today - onboarded + 1))

    def holdings(self, customer_id, profile, aum, onboarded, welcome, out):
        """Append holdings summing to ``aum``; return the onboarding day, moved if needed.

        ``profile`` is (tier, risk level): only products offered to the tier and within the
        customer's risk level are held (R1 only without an assessment).
        """
        if aum <= 0:
            return onboarded
        random = self.random
        count = self.holding_count(profile[0], aum)
        if count == 1:
            amounts = (aum,)
        else:
            weights = [0.3 + random() for _ in range(count)]
            scale = aum / sum(weights)
            amounts = [int(weight * scale) // 100 * 100 for weight in weights[1:]]
            amounts.insert(0, aum - sum(amounts))
        products = self.products
        iso = self.calendar.iso
        reference = f"H{customer_id:010d}"
        earliest = onboarded
        for seq, amount in enumerate(amounts):
            soon = random() < SOON_SHARE
            pools = products.live if welcome else products.pools if soon else products.later
            mins, specs = pools[profile]
            spec = specs[int(random() * bisect_right(mins, amount))]
            opened, matures = self.holding_dates(spec, onboarded, welcome, soon)
            if opened < earliest:
                earliest = opened
            out.append((reference + SEQ2[seq], customer_id, spec[0], amount, iso[opened],
                        None if matures is None else iso[matures]))
        return onboarded if welcome else earliest

    def holding_count(self, tier, aum):
        """Return how many holdings: mass 1-2, gold 1-3, higher tiers 2-4."""
        random = self.random
        if tier == Tier.MASS:
            count = 1 + (random() < 0.4)
        elif tier == Tier.GOLD:
            count = 1 + int(random() * 3)
        else:
            count = 2 + int(random() * 3)
        return count if aum >= count * 100_00 else 1

    def holding_dates(self, spec, onboarded, welcome, soon):
        """Return (opened, matures) day numbers; ``soon`` term holdings mature within 6 months."""
        _id, _min, _risk, term, start, until, first, then = spec
        random = self.random
        today = self.calendar.today
        if welcome:
            return onboarded, None if term is None else onboarded + term
        if term is None:
            low = max(onboarded, start)
            if low > until:
                low = start
            return low + int(random() * (until - low + 1)), None
        low, high = first if soon else then
        matures = today + low + int(random() * (high - low + 1))
        return matures - term, matures

    def history(self, customer_id, tier, aum, onboarded, welcome, out):
        """Append the tier change that brought the customer to ``tier``."""
        rank = Tier.rank(tier)
        changed = onboarded if welcome else self.since(onboarded, int(self.random() * 720))
        out.append((customer_id, None if welcome else ALL_TIERS[rank - 1], tier, aum,
                    self.calendar.iso[changed], "seed"))

    def last_contact_on(self, tier, onboarded, status, welcome):
        """Return the last contact (ISO) or None: mostly within the tier's cadence."""
        random = self.random
        if welcome or random() < 0.08:
            return None
        roll = random()
        if status != "active":
            ago = 181 + int(roll * 500)
        elif roll < 0.75:
            ago = int(random() * self.intervals[tier] * 1.3)
        else:
            ago = int(random() * 365)
        return self.calendar.iso[self.since(onboarded, ago)]


# --- worker processes ---------------------------------------------------------------------

_worker_factory = None


def start_worker(plan):
    """Prepare a worker process to generate blocks of ``plan`` (pool initializer)."""
    global _worker_factory
    _worker_factory = CustomerFactory(plan)


def worker_block(number):
    """Return block ``number`` of the worker's plan (after ``start_worker``)."""
    return _worker_factory.block(number)
