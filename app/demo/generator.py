"""Demo customers as rows: pure functions of a seed and today's date, no database access.

Reference data (branches, staff, products, value-added services) is in ``reference``, what
the draws use in ``customer_plan``. Customers, holdings and tier history come in blocks of
plain tuples in the order of ``CUSTOMER_COLUMNS``, ``HOLDING_COLUMNS`` and
``TIER_HISTORY_COLUMNS``: at a million customers the tuples are what keeps generation and
``executemany``/``COPY`` fast. Dates are ISO strings
(``YYYY-MM-DD``), the form both SQLite and PostgreSQL accept.

Each block of customers has its own random stream (seed and block number) and its own share
of the ID-number and mobile spaces, so blocks can be generated in any order, in parallel
processes, and the same plan always gives the same rows.
"""
from array import array
from bisect import bisect_right
from datetime import datetime
from random import Random

from ..models import Tier
from ..personal_data import ID_CHECK_CODES, ID_WEIGHTS
from ..tiers import tier_rank
from .customer_plan import (ADULT_DAYS, ID_SEQUENCES, MOBILE_ENDINGS, MOBILE_PREFIXES, REGIONS,
                            RISKS, SEQ2, SOON_SHARE, STATUSES, TIERS_DRAWN, Chunk, DayCalendar,
                            ProductPools, digit_sum)
from .names import NameBook
from .reference import ALL_TIERS, ASSET_CATEGORIES

DEFAULT_SEED = 20261129
MAX_CUSTOMERS = 2_000_000


class CustomerFactory:
    """Generates customers block by block, each block from its own seeded random stream."""

    def __init__(self, plan):
        if plan.blocks > ID_SEQUENCES:
            raise ValueError(f"at most {ID_SEQUENCES} blocks: raise block_size")
        if plan.keyring is None:
            raise ValueError("the plan needs a keyring to encrypt ID numbers")
        self.plan = plan
        self.sealed = plan.keyring.sealed
        self.names = NameBook()
        self.calendar = DayCalendar(plan.today, max(
            [row["term_days"] or 0 for row in plan.products
             if row["category"] in ASSET_CATEGORIES] + [0]) + 10)
        self.products = ProductPools(plan, self.calendar)
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
        self.region_sum = [digit_sum(code, ID_WEIGHTS[:6]) for code, _weight in REGIONS]
        self.day_sum = [digit_sum(text, ID_WEIGHTS[6:14]) for text in calendar.compact]
        self.seq_text = [f"{n:03d}" for n in range(1000)]
        self.seq_sum = [digit_sum(text, ID_WEIGHTS[14:17]) for text in self.seq_text]
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
        ordered = sorted((thresholds[tier][0], tier_rank(tier), tier) for tier in ALL_TIERS)
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
            calendar.iso[day], self.mmdd[day], *self.sealed(id_number), mobile, mobile[7:],
            outlet, maintainer, tier, aum, risk, self.risk_assessed_on(risk, onboarded, welcome),
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
        rank = tier_rank(tier)
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
