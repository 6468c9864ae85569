"""Re-encrypt every resident ID number under a new data key, in batches (``customers rekey``).

Rows are chosen by SQL: those whose stored value does not name the new key's id. Each batch
decrypts with whichever key wrote the row, encrypts and hashes under the new key, writes
with one executemany UPDATE and commits, so a stopped run resumes where it was and a run
after a finished one changes nothing.
"""
from dataclasses import dataclass

from sqlalchemy import bindparam, func, not_, select, update

from .. import audit
from ..encryption import FORMAT, DataKeyError, Keyring
from ..extensions import db
from ..models import Customer

BATCH = 5000


@dataclass
class RekeyResult:
    """What a rekey did: rows re-encrypted now, and rows that were already under the new key."""

    key_id: str
    rekeyed: int = 0
    already: int = 0


_TABLE = Customer.__table__
_WRITE = (update(_TABLE).where(_TABLE.c.id == bindparam("row_id"))
          .values(id_number_enc=bindparam("enc"), id_number_hash=bindparam("digest"),
                  updated_at=_TABLE.c.updated_at))  # a rekey is no change to the customer


def _reseal(keys, rows):
    """Return the UPDATE parameters that move ``rows`` (id, stored value) to the new key."""
    params = []
    for row_id, stored in rows:
        try:
            clear = keys.decrypt(stored)
        except DataKeyError:
            raise DataKeyError(
                f"Customer {row_id}: its ID number was encrypted under key id "
                f"{keys.key_id_of(stored) or '?'}, which neither the new key nor the old key "
                "opens. Give the key it was written with as the old key.") from None
        enc, digest = keys.sealed(clear)
        params.append({"row_id": row_id, "enc": enc, "digest": digest})
    return params


def rekey_id_numbers(new_key, old_key=None, batch=BATCH, progress=None):
    """Re-encrypt every ID number not yet under ``new_key`` (bytes); ``old_key`` opens the rest.

    Commits after each batch; raises DataKeyError (that batch unchanged) when a row was written
    under neither key. ``progress(done)`` is called after each batch.
    """
    keys = Keyring(new_key, *([old_key] if old_key else []))
    stale = not_(Customer.id_number_enc.startswith(f"{FORMAT}:{keys.current.key_id}:"))
    result = RekeyResult(keys.current.key_id)
    result.already = db.session.scalar(
        select(func.count()).select_from(Customer).where(not_(stale))) or 0
    last = 0
    while True:
        rows = db.session.execute(
            select(Customer.id, Customer.id_number_enc).where(Customer.id > last, stale)
            .order_by(Customer.id).limit(batch)).all()
        if not rows:
            break
        db.session.execute(_WRITE, _reseal(keys, rows))  # _reseal raises before any write
        db.session.commit()
        last = rows[-1].id
        result.rekeyed += len(rows)
        if progress:
            progress(len(rows))
    audit.record(None, "customers.rekeyed", object_type="customer", key_id=result.key_id,
                 rekeyed=result.rekeyed, already=result.already)
    db.session.commit()
    return result
