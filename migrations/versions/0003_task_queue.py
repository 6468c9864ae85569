"""Task queue: follow-up rules (with their defaults), tasks, contacts, the job run record.

The default note templates are English; app/tasks/notes.py marks the same strings for
translation, so they show in the user's language until head office rewrites them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 10:17:40.433662
"""
import sqlalchemy as sa
from alembic import op

DEFAULT_RULES = [
    # kind, lead days, base priority, note template, threshold days, minimum AUM (fen)
    ("birthday", 7, 40, "Birthday on %(date)s", None, None),
    ("maturity", 14, 70, "%(product)s %(amount)s CNY matures %(date)s", None, None),
    ("cadence", 0, 50, "No contact since %(last_contact)s (every %(interval)s days)", None, None),
    ("dormant", 0, 30, "No contact for %(days)s days, AUM %(amount)s CNY", 180, 10_000_00),
    ("tier_change", 3, 60, "Tier changed from %(from_tier)s to %(to_tier)s", None, None),
    ("risk_review", 30, 55, "Risk assessment valid until %(date)s", None, None),
    ("welcome", 3, 65, "New customer since %(date)s: welcome call", 7, None),
    ("service_callback", 2, 80, "Call back about the resolved request: %(subject)s", None, None),
    ("campaign", 0, 45, "Promotion: %(title)s", None, None),
]


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('followup_rule',
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('lead_days', sa.Integer(), nullable=False),
    sa.Column('base_priority', sa.Integer(), nullable=False),
    sa.Column('note_template', sa.String(length=200), nullable=False),
    sa.Column('threshold_days', sa.Integer(), nullable=True),
    sa.Column('min_aum_fen', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('kind', name=op.f('pk_followup_rule'))
    )
    op.create_table('job_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job', sa.String(length=64), nullable=False),
    sa.Column('run_on', sa.Date(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_run')),
    sa.UniqueConstraint('job', 'run_on', name=op.f('uq_job_run_job_run_on'))
    )
    op.create_table('task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('maintainer_id', sa.Integer(), nullable=False),
    sa.Column('source_ref', sa.String(length=64), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('scheduled_on', sa.Date(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('snoozed_until', sa.Date(), nullable=True),
    sa.Column('note_params', sa.JSON(), nullable=False),
    sa.Column('outcome', sa.String(length=32), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_task_customer_id_customer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['maintainer_id'], ['staff.id'], name=op.f('fk_task_maintainer_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task')),
    sa.UniqueConstraint('kind', 'customer_id', 'source_ref', 'due_on', name=op.f('uq_task_kind_customer_id_source_ref_due_on'))
    )
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.create_index('ix_task_customer_id_status', ['customer_id', 'status'], unique=False)
        batch_op.create_index('ix_task_maintainer_status_scheduled', ['maintainer_id', 'status', 'scheduled_on'], unique=False)

    op.create_table('contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('contacted_at', sa.DateTime(), nullable=False),
    sa.Column('outcome', sa.String(length=32), nullable=False),
    sa.Column('summary', sa.String(length=1000), nullable=False),
    sa.Column('products_discussed', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_contact_customer_id_customer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_contact_staff_id_staff')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_contact_task_id_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact'))
    )
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.create_index('ix_contact_customer_id_contacted_at', ['customer_id', 'contacted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_staff_id'), ['staff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_task_id'), ['task_id'], unique=False)

    # The welcome and tier-change rules scan by these dates.
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_onboarded_on'), ['onboarded_on'],
                              unique=False)
    with op.batch_alter_table('tier_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tier_history_changed_on'), ['changed_on'],
                              unique=False)

    rules = sa.table("followup_rule", sa.column("kind", sa.String),
                     sa.column("enabled", sa.Boolean), sa.column("lead_days", sa.Integer),
                     sa.column("base_priority", sa.Integer),
                     sa.column("note_template", sa.String),
                     sa.column("threshold_days", sa.Integer),
                     sa.column("min_aum_fen", sa.BigInteger))
    op.bulk_insert(rules, [
        {"kind": kind, "enabled": True, "lead_days": lead, "base_priority": priority,
         "note_template": note, "threshold_days": days, "min_aum_fen": floor}
        for kind, lead, priority, note, days, floor in DEFAULT_RULES])


def downgrade():
    with op.batch_alter_table('tier_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tier_history_changed_on'))
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_onboarded_on'))
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_task_id'))
        batch_op.drop_index(batch_op.f('ix_contact_staff_id'))
        batch_op.drop_index('ix_contact_customer_id_contacted_at')

    op.drop_table('contact')
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index('ix_task_maintainer_status_scheduled')
        batch_op.drop_index('ix_task_customer_id_status')

    op.drop_table('task')
    op.drop_table('job_run')
    op.drop_table('followup_rule')
