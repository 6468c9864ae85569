"""The one keyset pager of the portal's lists: pages after or before a row, never by offset.

A list gives its conditions and its order keys (the last key unique, e.g. the id); a page
is fetched with ``size + 1`` rows to learn whether another follows, and the other direction
is a one-row EXISTS probe, so no page ever counts or skips rows. The shared macro
``templates/_macros/pager.html`` renders the links, and nothing when there is one page.
"""
from dataclasses import dataclass

from sqlalchemy import and_, literal, or_, select

from .extensions import db


@dataclass
class Page:
    """One page of a keyset list, and whether a page comes before and after it."""

    rows: list
    has_prev: bool
    has_next: bool

    @property
    def single(self):
        """Tell whether this page is the whole list (no pager is shown then)."""
        return not (self.has_prev or self.has_next)


def exists(conditions):
    """Tell whether any row meets ``conditions`` (a one-row probe, no count)."""
    return db.session.scalar(select(literal(1)).where(*conditions).limit(1)) is not None


def _compare(key, value, forward):
    return key > value if forward else key < value


def beyond(keys, anchor, forward=True, inclusive=False):
    """Return the condition "comes after ``anchor``" (or before, ``forward=False``) in ``keys``.

    The comparison is in the keys' ascending order; ``inclusive`` also admits the anchor row.
    Two keys are written so that an index on the first one serves the condition.
    """
    if len(keys) == 1:
        if inclusive:
            return keys[0] >= anchor[0] if forward else keys[0] <= anchor[0]
        return _compare(keys[0], anchor[0], forward)
    first = keys[0] >= anchor[0] if forward else keys[0] <= anchor[0]
    last = (keys[1] >= anchor[1] if forward else keys[1] <= anchor[1]) if inclusive else (
        _compare(keys[1], anchor[1], forward))
    return and_(first, or_(_compare(keys[0], anchor[0], forward), last))


def _anchor(model, keys, row_id):
    """Return the key values of the row ``row_id`` (no query when the id is the only key)."""
    if row_id is None:
        return None
    if len(keys) == 1 and keys[0] is model.id:
        return (row_id,)
    row = db.session.execute(select(*keys).where(model.id == row_id)).first()
    return None if row is None else tuple(row)


def _ordered(keys, forward):
    return [k.asc() if forward else k.desc() for k in keys]


def keyset_page(stmt, model, conditions, *, keys=None, descending=False, after=None,
                before=None, size=50):
    """Fetch one page of ``stmt`` (a select of ``model`` meeting ``conditions``).

    The list is in the order of ``keys`` (default the id), newest first when ``descending``.
    ``after`` / ``before`` are the id of the row the page follows / precedes; an unknown
    anchor, or nothing before it, gives the first page. Returns a ``Page``.
    """
    keys = tuple(keys or (model.id,))
    ahead = not descending  # the comparison direction of "later in the list"
    size = max(1, size)
    stmt = stmt.where(*conditions)
    anchor = _anchor(model, keys, before)
    if anchor is not None:
        rows = list(db.session.scalars(
            stmt.where(beyond(keys, anchor, not ahead)).order_by(*_ordered(keys, not ahead))
            .limit(size + 1)))
        if rows:  # fetched backwards: the first row fetched is the page's last
            last = tuple(getattr(rows[0], k.key) for k in keys)
            has_prev = len(rows) > size
            rows = rows[:size][::-1]
            return Page(rows, has_prev, exists([*conditions, beyond(keys, last, ahead)]))
        after = None  # nothing before that row: show the first page instead
    anchor = _anchor(model, keys, after)
    if anchor is not None:
        stmt = stmt.where(beyond(keys, anchor, ahead))
    rows = list(db.session.scalars(stmt.order_by(*_ordered(keys, ahead)).limit(size + 1)))
    has_prev = anchor is not None and exists(
        [*conditions, beyond(keys, anchor, not ahead, inclusive=True)])
    return Page(rows[:size], has_prev, len(rows) > size)
