"""Customer book: branches, staff, customers, holdings, products, tiers, audit events.

Also loads the default tier thresholds of DESIGN §2, which head office may change later.

Revision ID: 0001
Revises:
Create Date: 2026-11-29 10:09:22.799317
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('branch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['branch.id'], name=op.f('fk_branch_parent_id_branch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_branch')),
    sa.UniqueConstraint('code', name=op.f('uq_branch_code'))
    )
    with op.batch_alter_table('branch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_branch_parent_id'), ['parent_id'], unique=False)

    op.create_table('product',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('risk_level', sa.String(length=2), nullable=False),
    sa.Column('min_amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('term_days', sa.Integer(), nullable=True),
    sa.Column('indicative_yield_bp', sa.Integer(), nullable=True),
    sa.Column('on_sale_from', sa.Date(), nullable=False),
    sa.Column('on_sale_until', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product')),
    sa.UniqueConstraint('code', name=op.f('uq_product_code'))
    )
    op.create_table('tier_threshold',
    sa.Column('tier', sa.String(length=16), nullable=False),
    sa.Column('min_aum_fen', sa.BigInteger(), nullable=False),
    sa.Column('contact_interval_days', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('tier', name=op.f('pk_tier_threshold'))
    )
    op.create_table('value_added_service',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tier', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('yearly_allowance', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_value_added_service')),
    sa.UniqueConstraint('tier', 'code', name=op.f('uq_value_added_service_tier_code'))
    )
    op.create_table('product_tier',
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('tier', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_product_tier_product_id_product'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('product_id', 'tier', name=op.f('pk_product_tier'))
    )
    op.create_table('staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('daily_capacity', sa.Integer(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_staff_branch_id_branch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff')),
    sa.UniqueConstraint('username', name=op.f('uq_staff_username'))
    )
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_branch_id'), ['branch_id'], unique=False)

    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=64), nullable=True),
    sa.Column('branch_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=32), nullable=True),
    sa.Column('object_id', sa.String(length=64), nullable=True),
    sa.Column('ip', sa.String(length=45), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['staff.id'], name=op.f('fk_audit_event_actor_id_staff')),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_audit_event_branch_id_branch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index('ix_audit_event_action_occurred_at', ['action', 'occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_branch_id'), ['branch_id'], unique=False)
        batch_op.create_index('ix_audit_event_object', ['object_type', 'object_id'], unique=False)
        batch_op.create_index('ix_audit_event_occurred_at', ['occurred_at'], unique=False)

    op.create_table('customer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_number', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('gender', sa.String(length=1), nullable=False),
    sa.Column('birth_on', sa.Date(), nullable=False),
    sa.Column('birth_mmdd', sa.String(length=5), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('mobile', sa.String(length=11), nullable=False),
    sa.Column('mobile_last4', sa.String(length=4), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('maintainer_id', sa.Integer(), nullable=True),
    sa.Column('tier', sa.String(length=16), nullable=False),
    sa.Column('aum_fen', sa.BigInteger(), nullable=False),
    sa.Column('risk_level', sa.String(length=2), nullable=True),
    sa.Column('risk_assessed_on', sa.Date(), nullable=True),
    sa.Column('onboarded_on', sa.Date(), nullable=False),
    sa.Column('last_contact_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('marketing_consent', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_customer_branch_id_branch')),
    sa.ForeignKeyConstraint(['maintainer_id'], ['staff.id'], name=op.f('fk_customer_maintainer_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer')),
    sa.UniqueConstraint('customer_number', name=op.f('uq_customer_customer_number')),
    sa.UniqueConstraint('id_number', name=op.f('uq_customer_id_number'))
    )
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_birth_mmdd'), ['birth_mmdd'], unique=False)
        batch_op.create_index('ix_customer_branch_id_id', ['branch_id', 'id'], unique=False)
        batch_op.create_index('ix_customer_maintainer_id_id', ['maintainer_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_mobile_last4'), ['mobile_last4'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_name'), ['name'], unique=False)
        batch_op.create_index('ix_customer_tier_id', ['tier', 'id'], unique=False)

    op.create_table('holding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=32), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('matures_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_holding_customer_id_customer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_holding_product_id_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holding')),
    sa.UniqueConstraint('reference', name=op.f('uq_holding_reference'))
    )
    with op.batch_alter_table('holding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_holding_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_holding_matures_on'), ['matures_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_holding_product_id'), ['product_id'], unique=False)

    op.create_table('tier_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('from_tier', sa.String(length=16), nullable=True),
    sa.Column('to_tier', sa.String(length=16), nullable=False),
    sa.Column('aum_fen', sa.BigInteger(), nullable=False),
    sa.Column('changed_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_tier_history_customer_id_customer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tier_history'))
    )
    with op.batch_alter_table('tier_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tier_history_customer_id'), ['customer_id'], unique=False)

    thresholds = sa.table("tier_threshold", sa.column("tier", sa.String),
                          sa.column("min_aum_fen", sa.BigInteger),
                          sa.column("contact_interval_days", sa.Integer))
    op.bulk_insert(thresholds, [
        {"tier": "mass", "min_aum_fen": 0, "contact_interval_days": None},
        {"tier": "gold", "min_aum_fen": 50_000_00, "contact_interval_days": 90},
        {"tier": "platinum", "min_aum_fen": 500_000_00, "contact_interval_days": 60},
        {"tier": "diamond", "min_aum_fen": 2_000_000_00, "contact_interval_days": 30},
        {"tier": "private", "min_aum_fen": 6_000_000_00, "contact_interval_days": 14},
    ])


def downgrade():
    with op.batch_alter_table('tier_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tier_history_customer_id'))

    op.drop_table('tier_history')
    with op.batch_alter_table('holding', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_holding_product_id'))
        batch_op.drop_index(batch_op.f('ix_holding_matures_on'))
        batch_op.drop_index(batch_op.f('ix_holding_customer_id'))

    op.drop_table('holding')
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.drop_index('ix_customer_tier_id')
        batch_op.drop_index(batch_op.f('ix_customer_name'))
        batch_op.drop_index(batch_op.f('ix_customer_mobile_last4'))
        batch_op.drop_index('ix_customer_maintainer_id_id')
        batch_op.drop_index('ix_customer_branch_id_id')
        batch_op.drop_index(batch_op.f('ix_customer_birth_mmdd'))

    op.drop_table('customer')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_occurred_at')
        batch_op.drop_index('ix_audit_event_object')
        batch_op.drop_index(batch_op.f('ix_audit_event_branch_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_actor_id'))
        batch_op.drop_index('ix_audit_event_action_occurred_at')

    op.drop_table('audit_event')
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_branch_id'))

    op.drop_table('staff')
    op.drop_table('product_tier')
    op.drop_table('value_added_service')
    op.drop_table('tier_threshold')
    op.drop_table('product')
    with op.batch_alter_table('branch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_branch_parent_id'))

    op.drop_table('branch')
