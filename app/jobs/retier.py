"""The nightly re-tiering job: every open customer's tier from their AUM."""
from ..customers.retier import retier_customers


def run_retier(day):
    """Re-tier the customers on ``day``; return what moved as plain values."""
    return retier_customers(day).as_dict()
