"""Store the customer's branch on each task and keep the planned day in ``scheduled_on``.

The supervisor's scope filtered tasks by ``customer_id IN (customers of the subtree)`` (a
half-million-id list at a million customers); it now reads ``task.branch_id`` from an index.
A snoozed task's planned day was a CASE over ``snoozed_until``; snoozing now writes it to
``scheduled_on`` as well, and existing snoozed rows are brought in line here (set-based).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 22:15:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('branch_id', sa.Integer(), nullable=True))
    op.execute("UPDATE task SET branch_id = (SELECT customer.branch_id FROM customer "
               "WHERE customer.id = task.customer_id)")
    op.execute("UPDATE task SET scheduled_on = snoozed_until WHERE status = 'snoozed' "
               "AND snoozed_until IS NOT NULL AND scheduled_on <> snoozed_until")
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.alter_column('branch_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_task_branch_id_branch'), 'branch',
                                    ['branch_id'], ['id'])
        batch_op.create_index('ix_task_branch_status_maintainer',
                              ['branch_id', 'status', 'maintainer_id', 'scheduled_on',
                               'due_on'], unique=False)
        batch_op.create_index('ix_task_status_completed_at', ['status', 'completed_at'],
                              unique=False)
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.create_index('ix_customer_maintainer_status_contact',
                              ['maintainer_id', 'status', 'last_contact_on', 'branch_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.drop_index('ix_customer_maintainer_status_contact')
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index('ix_task_status_completed_at')
        batch_op.drop_index('ix_task_branch_status_maintainer')
        batch_op.drop_constraint(batch_op.f('fk_task_branch_id_branch'), type_='foreignkey')
        batch_op.drop_column('branch_id')
