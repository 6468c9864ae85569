"""Load the demo bank into the database: reference data, then customers in bulk.

Everything goes through the session's connection, so it happens in the session's transaction
(one commit at the end, and the test fixture's savepoints hold it too). Customers, holdings and
tier history go in per block as plain tuples: ``COPY`` on PostgreSQL, ``executemany`` of a
driver-level INSERT elsewhere. Customer ids are explicit, so holdings refer to customers
without reading them back; PostgreSQL sequences are moved past them at the end. Large loads
generate the customers in worker processes while this one writes.
"""
import gc
import multiprocessing
import os
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, insert, inspect, select
from werkzeug.security import generate_password_hash

from .. import audit
from ..clock import today as bank_today
from ..clock import utcnow
from ..encryption import keyring
from ..errors import DomainError, Invalid
from ..extensions import db
from ..models import (Branch, BranchKind, Customer, Holding, Product, ProductTier, Role,
                      Staff, TierHistory, TierThreshold, ValueAddedService)
from ..models.staff import new_session_token
from ..service_requests.services.demo import seed_service_requests
from ..sql import analyze
from ..tiers import DEFAULT_THRESHOLDS, thresholds
from ..training.demo import seed_training
from . import customer_plan, generator, reference
from .generator import DEFAULT_SEED, MAX_CUSTOMERS

BLOCK_SIZE = 20_000
DEFER_INDEXES_FROM = 20_000
PARALLEL_FROM = 100_000
MAX_PROCESSES = 2
SQLITE_CACHE_KIB = 64 * 1024
BULK_TABLES = ("customer", "holding", "tier_history")
MARKER_USERNAME = "admin"
ID_TABLES = (Branch, Staff, Product, ValueAddedService, Customer)
SEQUENCE_TABLES = ID_TABLES + (Holding, TierHistory)


class SeedRefused(DomainError):
    """Demo data must never be loaded into the production database."""

    default_message = _l("Refusing to load demo data under the production configuration.")


@dataclass
class SeedResult:
    """What ``seed_demo`` did: ``seeded`` False with a ``reason`` when it left the data alone."""

    seeded: bool
    reason: str = ""
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0
    logins: list = field(default_factory=list)


def demo_logins():
    """Return (username, display name, role, branch name) of every demo login."""
    names = {code: name for _key, code, name, _kind, _parent in reference.BRANCHES}
    branch_codes = {key: code for key, code, *_rest in reference.BRANCHES}
    return [(username, display, role, names[branch_codes[branch]])
            for username, display, role, branch in reference.STAFF]


def existing_data():
    """Return 'demo' when the demo data is loaded, 'other' for any other data, else ''."""
    if db.session.scalar(select(Staff.id).where(Staff.username == MARKER_USERNAME)):
        return "demo"
    for model in (Branch, Staff, Product, Customer):
        if db.session.scalar(select(model.id).limit(1)) is not None:
            return "other"
    return ""


# Head office's settings, seeded by the migrations: a reset keeps them as they are.
SETTINGS_TABLES = {"alembic_version", "tier_threshold", "followup_rule", "sla_target",
                   "sla_tier_factor", "training_target"}


def delete_everything():
    """Delete every row of every table, children first, except head office's settings."""
    connection = db.session.connection()
    present = set(inspect(connection).get_table_names())
    for table in reversed(db.metadata.sorted_tables):
        if table.name in present and table.name not in SETTINGS_TABLES:
            connection.execute(table.delete())


def seed_demo(customers=2000, reset=False, seed=DEFAULT_SEED, today=None, progress=None,
              block_size=BLOCK_SIZE, defer_indexes=None, processes=None):
    """Load the demo bank with ``customers`` customers and commit; return a ``SeedResult``.

    Without ``reset`` an existing database is left alone (``seeded`` False, ``reason`` 'demo'
    or 'other'); with it every row is deleted first. ``progress(n)`` is called after each
    block with the number of customers just written. ``defer_indexes`` (default: from
    ``DEFER_INDEXES_FROM`` customers on) rebuilds the customer tables' indexes after the load;
    ``processes`` generate blocks in parallel (default: from ``PARALLEL_FROM`` customers on,
    one per spare CPU, at most ``MAX_PROCESSES``; 0 generates here).
    """
    if current_app.config.get("IS_PRODUCTION"):
        raise SeedRefused()
    if not 0 <= customers <= MAX_CUSTOMERS:
        raise Invalid(_l("The number of customers must be between 0 and %(max)s.",
                         max=MAX_CUSTOMERS))
    started = time.perf_counter()
    if reset:
        delete_everything()
    else:
        found = existing_data()
        if found:
            return SeedResult(seeded=False, reason=found)
    today = today or bank_today()
    counts = _seed_reference(today)
    if defer_indexes is None:
        defer_indexes = customers >= DEFER_INDEXES_FROM
    if processes is None:
        processes = _spare_cpus() if customers >= PARALLEL_FROM else 0
    plan = _plan(customers, seed, today, block_size)
    counts.update(_seed_customers(plan, progress, defer_indexes, processes))
    _advance_sequences()
    counts["service_requests"] = seed_service_requests(today)
    counts.update(seed_training(today))
    audit.record(None, "demo.seeded", object_type="demo", customers=customers, reset=reset,
                 seed=seed)
    analyze(db.session, "customer", "holding", "tier_history", "service_request")
    db.session.commit()
    return SeedResult(seeded=True, counts=counts, logins=demo_logins(),
                      seconds=time.perf_counter() - started)


def _first_ids():
    """Return the next free id of every table the demo fills with explicit ids."""
    return {model.__tablename__: (db.session.scalar(select(func.max(model.id))) or 0) + 1
            for model in ID_TABLES}


def _seed_reference(today):
    """Insert branches, staff, thresholds, products and value-added services."""
    connection = db.session.connection()
    first = _first_ids()
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    password_hash = generate_password_hash(current_app.config["DEMO_PASSWORD"], method=method)
    branches = reference.branch_rows(first["branch"])
    staff = reference.staff_rows(branches, password_hash, new_session_token, first["staff"])
    products, offered = reference.product_rows(today, first["product"])
    services = reference.value_added_service_rows(first["value_added_service"])
    stored = set(db.session.scalars(select(TierThreshold.tier)))
    missing = [threshold.as_row() for tier, threshold in DEFAULT_THRESHOLDS.items()
               if tier not in stored]
    for model, rows in ((Branch, branches), (Staff, staff), (TierThreshold, missing),
                        (Product, products), (ProductTier, offered),
                        (ValueAddedService, services)):
        if rows:
            connection.execute(insert(model.__table__), rows)
    return {"branches": len(branches), "staff": len(staff), "products": len(products),
            "value_added_services": len(services), "tier_thresholds_added": len(missing)}


def _plan(customers, seed, today, block_size):
    """Describe the bank the customers are generated for, from what was just inserted."""
    first = _first_ids()
    maintainers = {}
    for staff_id, branch_id in db.session.execute(
            select(Staff.id, Staff.branch_id).where(Staff.role == Role.MAINTAINER)
            .order_by(Staff.id)):
        maintainers.setdefault(branch_id, []).append(staff_id)
    outlets = tuple((branch_id, tuple(maintainers.get(branch_id, ())) or (None,))
                    for branch_id in db.session.scalars(
                        select(Branch.id).where(Branch.kind == BranchKind.OUTLET)
                        .order_by(Branch.id)))
    products = tuple(dict(row._mapping) for row in db.session.execute(
        select(Product.__table__).order_by(Product.id)))
    offered = tuple(dict(row._mapping) for row in db.session.execute(
        select(ProductTier.__table__)))
    effective = {tier: (value.min_aum_fen, value.contact_interval_days)
                 for tier, value in thresholds().items()}
    return customer_plan.CustomerPlan(
        seed=seed, count=customers, today=today, thresholds=effective, outlets=outlets,
        products=products, product_tiers=offered, first_customer_id=first["customer"],
        updated_at=utcnow(), block_size=block_size, keyring=keyring())


def _seed_customers(plan, progress, defer_indexes, processes):
    """Generate and insert the customers block by block; return the row counts.

    With ``defer_indexes`` the plain indexes of the (empty) customer tables are dropped first
    and rebuilt at the end, which is far quicker than maintaining them row by row.
    """
    connection = db.session.connection()
    counts = {"customers": 0, "holdings": 0, "tier_history": 0}
    with _bulk_load(connection, defer_indexes):
        for chunk in generate_blocks(plan, processes):
            bulk_insert(connection, "customer", customer_plan.CUSTOMER_COLUMNS, chunk.customers)
            bulk_insert(connection, "holding", customer_plan.HOLDING_COLUMNS, chunk.holdings)
            bulk_insert(connection, "tier_history", customer_plan.TIER_HISTORY_COLUMNS,
                        chunk.histories)
            counts["customers"] += len(chunk.customers)
            counts["holdings"] += len(chunk.holdings)
            counts["tier_history"] += len(chunk.histories)
            if progress:
                progress(len(chunk.customers))
    return counts


def _spare_cpus():
    """Return how many generator processes to run beside this one."""
    return max(0, min((os.cpu_count() or 1) - 1, MAX_PROCESSES))


def _worker_pool(plan, processes):
    """Start ``processes`` generator workers for ``plan``.

    Forked where possible: quick, and the caller's ``__main__`` is not run again. The
    collector is frozen across the fork so that a child never finalises an inherited object,
    such as a database connection, which would close it under the parent.
    """
    arguments = {"initializer": generator.start_worker, "initargs": (plan,)}
    if "fork" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn").Pool(processes, **arguments)
    gc.freeze()
    try:
        return multiprocessing.get_context("fork").Pool(processes, **arguments)
    finally:
        gc.unfreeze()


def generate_blocks(plan, processes=0):
    """Yield the plan's blocks in order; with ``processes``, generated by worker processes.

    Workers run at most two blocks per process ahead of the consumer, so memory stays
    bounded.
    """
    if processes < 1 or plan.blocks < 2:
        yield from generator.CustomerFactory(plan).chunks()
        return
    with _worker_pool(plan, processes) as pool:
        pending = deque()
        numbers = iter(range(plan.blocks))
        for number in islice(numbers, 2 * processes):
            pending.append(pool.apply_async(generator.worker_block, (number,)))
        while pending:
            chunk = pending.popleft().get()
            for number in islice(numbers, 1):
                pending.append(pool.apply_async(generator.worker_block, (number,)))
            yield chunk


@contextmanager
def _bulk_load(connection, defer_indexes):
    """Speed up a bulk load: a bigger SQLite page cache, indexes rebuilt after (optional).

    Ends with ANALYZE so the query planner knows the new data.
    """
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        cache = connection.exec_driver_sql("PRAGMA cache_size").scalar()
        threads = connection.exec_driver_sql("PRAGMA threads").scalar()
        connection.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        connection.exec_driver_sql("PRAGMA threads=2")  # index builds sort in parallel
    try:
        rebuild = _drop_indexes(connection, BULK_TABLES) if defer_indexes else []
        yield
        for statement in rebuild:
            connection.exec_driver_sql(statement)
        # Fresh planner statistics, or SQLite may sort a whole branch to page it by id.
        connection.exec_driver_sql("ANALYZE")
    finally:
        if sqlite:
            connection.exec_driver_sql(f"PRAGMA cache_size={int(cache)}")
            connection.exec_driver_sql(f"PRAGMA threads={int(threads)}")


def _drop_indexes(connection, tables):
    """Drop the plain (not constraint) indexes of ``tables``; return the SQL to recreate them."""
    names = ", ".join(f"'{table}'" for table in tables)
    if connection.dialect.name == "sqlite":
        query = ("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                 f"AND tbl_name IN ({names})")
    elif connection.dialect.name == "postgresql":
        query = ("SELECT indexname, indexdef FROM pg_indexes i WHERE schemaname = current_schema()"
                 f" AND tablename IN ({names}) AND NOT EXISTS "
                 "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)")
    else:
        return []
    indexes = connection.exec_driver_sql(query).all()
    quote = connection.dialect.identifier_preparer.quote
    for name, _sql in indexes:
        connection.exec_driver_sql(f"DROP INDEX {quote(name)}")
    return [sql for _name, sql in indexes]


def bulk_insert(connection, table, columns, rows):
    """Insert tuples ``rows`` into ``table``: COPY on PostgreSQL (psycopg 3), else executemany."""
    if not rows:
        return
    quote = connection.dialect.identifier_preparer.quote
    names = ", ".join(quote(column) for column in columns)
    if connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg":
        raw = connection.connection.dbapi_connection
        with raw.cursor() as cursor, cursor.copy(
                f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    connection.exec_driver_sql(
        f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join([mark] * len(columns))})",
        rows)


def _advance_sequences():
    """Move PostgreSQL id sequences past the explicit ids just inserted."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return
    for model in SEQUENCE_TABLES:
        table = model.__tablename__
        connection.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)")
