"""Encrypt resident ID numbers at rest; add the reveal watch (a setting and a daily counter).

The clear ``customer.id_number`` becomes ``id_number_enc`` (AES-GCM under PORTAL_DATA_KEY)
and ``id_number_hash`` (keyed HMAC, unique, for exact lookups). Existing rows are encrypted
in batches of BATCH ids: one SELECT and one executemany UPDATE per batch. The downgrade
decrypts them back the same way (it needs the key that wrote them).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 21:40:00
"""
import sqlalchemy as sa
from alembic import op

from app.encryption import keyring

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

BATCH = 5000


def _rewrite(source, targets, convert):
    """Fill ``targets`` from ``source`` column for every customer, BATCH rows at a time."""
    connection = op.get_bind()
    assign = ", ".join(f"{name} = :{name}" for name in targets)
    update = sa.text(f"UPDATE customer SET {assign} WHERE id = :row_id")
    last = 0
    while True:
        rows = connection.execute(sa.text(
            f"SELECT id, {source} FROM customer WHERE id > :last ORDER BY id LIMIT {BATCH}"),
            {"last": last}).all()
        if not rows:
            return
        connection.execute(update, [
            dict(zip(targets, convert(value)), row_id=row_id) for row_id, value in rows])
        last = rows[-1][0]


def _counter_tables():
    op.create_table('portal_setting',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_portal_setting'))
    )
    op.create_table('reveal_count',
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('day_on', sa.Date(), nullable=False),
    sa.Column('revealed', sa.Integer(), nullable=False),
    sa.Column('refused', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_reveal_count_staff_id_staff'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('staff_id', 'day_on', name=op.f('pk_reveal_count'))
    )


def upgrade():
    _counter_tables()
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('id_number_enc', sa.String(length=96), nullable=True))
        batch_op.add_column(sa.Column('id_number_hash', sa.String(length=64), nullable=True))
    keys = keyring()
    _rewrite('id_number', ('id_number_enc', 'id_number_hash'), keys.sealed)
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.drop_constraint('uq_customer_id_number', type_='unique')
        batch_op.drop_column('id_number')
        batch_op.alter_column('id_number_enc', existing_type=sa.String(length=96),
                              nullable=False)
        batch_op.alter_column('id_number_hash', existing_type=sa.String(length=64),
                              nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_customer_id_number_hash'),
                                          ['id_number_hash'])


def downgrade():
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('id_number', sa.String(length=18), nullable=True))
    keys = keyring()
    _rewrite('id_number_enc', ('id_number',), lambda stored: (keys.decrypt(stored),))
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.drop_constraint('uq_customer_id_number_hash', type_='unique')
        batch_op.drop_column('id_number_hash')
        batch_op.drop_column('id_number_enc')
        batch_op.alter_column('id_number', existing_type=sa.String(length=18), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_customer_id_number'), ['id_number'])
    op.drop_table('reveal_count')
    op.drop_table('portal_setting')
