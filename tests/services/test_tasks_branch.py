"""A task stores its customer's branch (the supervisor's scope reads it from an index).

Every way a task is written sets it: the ORM, the set-based generation, ``raise_task``; an
import that moves a customer to another branch moves its tasks along.
"""
from datetime import date

import pytest
from sqlalchemy import select, text

from app.imports.services import import_csv
from app.models import Customer, RuleKind
from app.tasks.engine import raise_task
from app.tasks.followups import generate_followups
from app.tasks.services import count_actionable

from ..import_data import CUSTOMER_HEADER, CUSTOMERS_SAMPLE, csv_bytes, name_the_bank
from ..task_book import add_task

MONDAY = date(2026, 11, 30)


def test_a_task_added_through_the_orm_takes_its_customers_branch(world, make_customer):
    customer = make_customer(maintainer=world["maint_a"])
    task = add_task(customer, MONDAY)
    assert task.branch_id == world["outlet_a"].id


def test_raised_and_generated_tasks_carry_the_branch(world, make_customer, tasks_of):
    raised_for = make_customer(maintainer=world["maint_b"])
    task = raise_task(RuleKind.CAMPAIGN, raised_for.id, "campaign:1", MONDAY, {"title": "x"},
                      today=MONDAY)
    assert task.branch_id == world["outlet_b"].id
    birthday = make_customer(maintainer=world["maint_a"], birth_on=date(1980, 12, 1))
    generate_followups(MONDAY)
    generated = tasks_of(birthday, RuleKind.BIRTHDAY)
    assert generated and {t.branch_id for t in generated} == {world["outlet_a"].id}


def test_an_import_moving_a_customer_moves_its_tasks_into_the_new_scope(
        db, world, make_product, tasks_of):
    bank = name_the_bank(db, world, make_product)
    import_csv(CUSTOMERS_SAMPLE, actor=None)
    zhang = db.session.scalar(select(Customer).where(Customer.customer_number == "880000000001"))
    add_task(zhang, MONDAY)
    assert count_actionable(bank["maint_a"], MONDAY) >= 1
    moved = csv_bytes(
        CUSTOMER_HEADER,
        "880000000001,张伟,M,1975-03-14,310101197503140117,13800138001,BR-B,,,,2015-06-20,"
        "2026-10-08,,")

    import_csv(moved, actor=None, file_name="moved.csv")

    assert [t.branch_id for t in tasks_of(zhang)] == [bank["branch_b"].id]


def test_generation_refreshes_the_statistics_on_postgresql(db, world, make_customer):
    if db.session.connection().dialect.name != "postgresql":
        pytest.skip("ANALYZE runs on PostgreSQL only; SQLite plans from its indexes")
    for _ in range(3):
        make_customer(maintainer=world["maint_a"], birth_on=date(1980, 12, 1))
    generate_followups(MONDAY)
    estimated = db.session.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'task'"))
    assert estimated >= 3
