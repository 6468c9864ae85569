"""Saving with the database's conflict detection turned into the caller's domain error."""
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from .extensions import db


def commit_or_conflict(error, *, flush=False):
    """Commit (or only flush); a unique-key race or a stale version rolls back and raises ``error``.

    ``error`` is the domain error to raise, or a function returning it: it is called after
    the rollback, so it may reload the record as it is now. A race never becomes a 500.
    """
    try:
        if flush:
            db.session.flush()
        else:
            db.session.commit()
    except (IntegrityError, StaleDataError):
        db.session.rollback()
        raise (error() if callable(error) else error) from None
