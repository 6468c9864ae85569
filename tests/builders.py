"""Plain builders of branches, staff and customers (the ``make_*`` fixtures hand them out).

Plain functions so that fixtures of any scope can use them; each flushes, none commits.
"""
import itertools
from datetime import date

from app.extensions import db
from app.models import Branch, BranchKind, Customer, Role, Staff

from .helpers import PASSWORD, resident_id

_seq = itertools.count(1)


def next_number():
    """Return the next number of the builders' shared sequence (unique codes and names)."""
    return next(_seq)


def make_branch(kind=BranchKind.BRANCH, parent=None, name=None, **fields):
    """Build a branch; ``parent`` puts it in the tree."""
    n = next_number()
    branch = Branch(code=fields.pop("code", f"B{n:04d}"), name=name or f"Branch {n}",
                    kind=kind, parent=parent, **fields)
    db.session.add(branch)
    db.session.flush()
    return branch


def make_staff(role=Role.MAINTAINER, branch=None, username=None, **fields):
    """Build a staff member with the test password."""
    n = next_number()
    staff = Staff(username=username or f"{role}{n}", display_name=fields.pop(
        "display_name", f"{role.title()} {n}"), role=role, branch=branch, **fields)
    staff.set_password(PASSWORD)
    db.session.add(staff)
    db.session.flush()
    return staff


def make_customer(branch=None, maintainer=None, **fields):
    """Build a customer with valid personal data in ``branch``, looked after by ``maintainer``."""
    n = next_number()
    birth = fields.pop("birth_on", date(1980, 5, 17))
    mobile = fields.pop("mobile", f"139{n:08d}")
    customer = Customer(
        customer_number=fields.pop("customer_number", f"C{n:09d}"),
        name=fields.pop("name", f"客户{n}"), gender=fields.pop("gender", "F"),
        birth_on=birth, birth_mmdd=f"{birth:%m-%d}",
        id_number=fields.pop("id_number", resident_id(n, birth)),
        mobile=mobile, mobile_last4=mobile[-4:],
        branch=branch or (maintainer.branch if maintainer else None),
        maintainer=maintainer, onboarded_on=fields.pop("onboarded_on", date(2020, 1, 1)),
        **fields)
    db.session.add(customer)
    db.session.flush()
    return customer
