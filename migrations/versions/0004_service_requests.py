"""Service requests: requests and their timeline, SLA targets (with defaults), notifications.

SLA targets are minutes by kind × priority; each tier gets a share of them (percent), so
higher tiers get tighter targets. Head office edits both.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 10:52:00
"""
import sqlalchemy as sa
from alembic import op

# kind: {priority: (first response, resolution)} in minutes
DEFAULT_SLA = {
    "complaint": {"urgent": (30, 480), "high": (60, 1440), "normal": (240, 2880),
                  "low": (480, 4320)},
    "account_card": {"urgent": (30, 240), "high": (60, 720), "normal": (240, 1440),
                     "low": (480, 2880)},
    "wealth_inquiry": {"urgent": (60, 480), "high": (120, 1440), "normal": (480, 2880),
                       "low": (1440, 4320)},
    "value_added": {"urgent": (60, 720), "high": (240, 1440), "normal": (480, 2880),
                    "low": (1440, 5760)},
    "other": {"urgent": (60, 720), "high": (240, 1440), "normal": (480, 4320),
              "low": (1440, 7200)},
}
DEFAULT_TIER_PERCENT = {"mass": 100, "gold": 90, "platinum": 75, "diamond": 60, "private": 50}

# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sla_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('priority', sa.String(length=16), nullable=False),
    sa.Column('first_response_minutes', sa.Integer(), nullable=False),
    sa.Column('resolution_minutes', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_target')),
    sa.UniqueConstraint('kind', 'priority', name=op.f('uq_sla_target_kind_priority'))
    )
    op.create_table('sla_tier_factor',
    sa.Column('tier', sa.String(length=16), nullable=False),
    sa.Column('percent', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('tier', name=op.f('pk_sla_tier_factor'))
    )
    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('link', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_notification_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_staff_id_read_at', ['staff_id', 'read_at'], unique=False)

    op.create_table('service_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('priority', sa.String(length=16), nullable=False),
    sa.Column('subject', sa.String(length=120), nullable=False),
    sa.Column('description', sa.String(length=4000), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('opened_by_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('first_response_due_at', sa.DateTime(), nullable=False),
    sa.Column('resolution_due_at', sa.DateTime(), nullable=False),
    sa.Column('first_responded_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('cancel_reason', sa.String(length=500), nullable=True),
    sa.Column('response_breached', sa.Boolean(), nullable=False),
    sa.Column('resolution_breached', sa.Boolean(), nullable=False),
    sa.Column('escalation_level', sa.Integer(), nullable=False),
    sa.Column('value_added_service_id', sa.Integer(), nullable=True),
    sa.Column('allowance_override_reason', sa.String(length=500), nullable=True),
    sa.Column('satisfaction', sa.Integer(), nullable=True),
    sa.Column('satisfaction_comment', sa.String(length=1000), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['staff.id'], name=op.f('fk_service_request_assignee_id_staff')),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_service_request_branch_id_branch')),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_service_request_customer_id_customer')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['staff.id'], name=op.f('fk_service_request_opened_by_id_staff')),
    sa.ForeignKeyConstraint(['value_added_service_id'], ['value_added_service.id'], name=op.f('fk_service_request_value_added_service_id_value_added_service')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_request'))
    )
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_request_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index('ix_service_request_branch_id_status', ['branch_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_request_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_service_request_status_first_response_due_at', ['status', 'first_response_due_at'], unique=False)
        batch_op.create_index('ix_service_request_status_resolution_due_at', ['status', 'resolution_due_at'], unique=False)

    op.create_table('service_request_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=True),
    sa.Column('comment', sa.String(length=2000), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['staff.id'], name=op.f('fk_service_request_event_actor_id_staff')),
    sa.ForeignKeyConstraint(['request_id'], ['service_request.id'], name=op.f('fk_service_request_event_request_id_service_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_request_event'))
    )
    with op.batch_alter_table('service_request_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_request_event_request_id'), ['request_id'], unique=False)

    targets = sa.table("sla_target", sa.column("kind", sa.String),
                       sa.column("priority", sa.String),
                       sa.column("first_response_minutes", sa.Integer),
                       sa.column("resolution_minutes", sa.Integer))
    op.bulk_insert(targets, [
        {"kind": kind, "priority": priority, "first_response_minutes": first,
         "resolution_minutes": resolution}
        for kind, by_priority in DEFAULT_SLA.items()
        for priority, (first, resolution) in by_priority.items()])
    factors = sa.table("sla_tier_factor", sa.column("tier", sa.String),
                       sa.column("percent", sa.Integer))
    op.bulk_insert(factors, [{"tier": tier, "percent": percent}
                             for tier, percent in DEFAULT_TIER_PERCENT.items()])


def downgrade():
    with op.batch_alter_table('service_request_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_request_event_request_id'))

    op.drop_table('service_request_event')
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        batch_op.drop_index('ix_service_request_status_resolution_due_at')
        batch_op.drop_index('ix_service_request_status_first_response_due_at')
        batch_op.drop_index(batch_op.f('ix_service_request_customer_id'))
        batch_op.drop_index('ix_service_request_branch_id_status')
        batch_op.drop_index(batch_op.f('ix_service_request_assignee_id'))

    op.drop_table('service_request')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_staff_id_read_at')

    op.drop_table('notification')
    op.drop_table('sla_tier_factor')
    op.drop_table('sla_target')
