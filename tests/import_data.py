"""What the import tests share: the sample files and a bank whose codes match them."""
import os

from sqlalchemy import func, select

from app.models import Customer, Holding, TierThreshold
from app.tiers import DEFAULT_THRESHOLDS

DATA = os.path.join(os.path.dirname(__file__), "data")
CUSTOMERS_SAMPLE = os.path.join(DATA, "customers_sample.csv")
HOLDINGS_SAMPLE = os.path.join(DATA, "holdings_sample.csv")
CUSTOMERS_BAD = os.path.join(DATA, "customers_bad_rows.csv")
HOLDINGS_BAD = os.path.join(DATA, "holdings_bad_rows.csv")

CUSTOMER_HEADER = ("customer_number,name,gender,birth_date,id_number,mobile,branch_code,"
                   "maintainer_username,risk_level,risk_assessed_on,onboarded_on,"
                   "last_contact_on,status,marketing_consent")
HOLDING_HEADER = "reference,customer_number,product_code,amount,opened_on,matures_on"


def name_the_bank(db, world, make_product):
    """Give ``world`` the branch codes, usernames and products the sample files use.

    The tier thresholds are set to the defaults of DESIGN §2.
    """
    codes = {"head": "HO", "branch_a": "BR-A", "outlet_a": "OUT-A1", "branch_b": "BR-B",
             "outlet_b": "OUT-B1"}
    for key, code in codes.items():
        world[key].code = code
    names = {"maint_a": "wang.fang", "maint_a2": "li.na", "maint_b": "zhao.lei",
             "trainer_a": "zhou.min"}
    for key, username in names.items():
        world[key].username = username
    for tier, threshold in DEFAULT_THRESHOLDS.items():
        db.session.merge(TierThreshold(tier=tier, min_aum_fen=threshold.min_aum_fen,
                                       contact_interval_days=threshold.contact_interval_days))
    world["deposit"] = make_product(code="DEP-1Y", category="deposit", risk_level="R1")
    world["wealth"] = make_product(code="WM-180", category="wealth", risk_level="R2")
    db.session.flush()
    return world


def sample_in(path, encoding):
    """Return sample file ``path`` re-encoded, e.g. in GB18030 as core banking exports it."""
    with open(path, encoding="utf-8-sig") as stream:
        return stream.read().encode(encoding)


def csv_bytes(header, *lines):
    """Return a CSV file's bytes from its header and data lines."""
    return ("\n".join((header,) + lines) + "\n").encode("utf-8")


SAMPLE_KEYS = {  # rows of the sample files, told apart from rows other tests may leave behind
    Customer: Customer.customer_number.like("88%"),
    Holding: Holding.reference.like("HT%") | Holding.reference.like("HB%"),
}


def count(db, model):
    """Return the number of rows of ``model`` (for customers and holdings: of the samples)."""
    query = select(func.count()).select_from(model)
    if model in SAMPLE_KEYS:
        query = query.where(SAMPLE_KEYS[model])
    return db.session.scalar(query)


def counts(db):
    """Return the numbers of customers and holdings."""
    return count(db, Customer), count(db, Holding)
