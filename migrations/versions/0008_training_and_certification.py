"""Add training and certification: courses, sessions, attendance, assessments, certificates.

Also the reminder log (its unique key sends each certification reminder once) and head
office's target score per dimension.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 21:37:17.961200

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certification_type',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('validity_months', sa.Integer(), nullable=False),
    sa.Column('categories', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certification_type')),
    sa.UniqueConstraint('code', name=op.f('uq_certification_type_code'))
    )
    op.create_table('course',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('dimension', sa.String(length=16), nullable=False),
    sa.Column('hours', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('pass_mark', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('mandatory_roles', sa.String(length=64), nullable=False),
    sa.Column('refresh_months', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course')),
    sa.UniqueConstraint('code', name=op.f('uq_course_code'))
    )
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_dimension'), ['dimension'], unique=False)

    op.create_table('training_target',
    sa.Column('dimension', sa.String(length=16), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('dimension', name=op.f('pk_training_target'))
    )
    op.create_table('staff_certification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('type_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('obtained_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_staff_certification_staff_id_staff')),
    sa.ForeignKeyConstraint(['type_id'], ['certification_type.id'], name=op.f('fk_staff_certification_type_id_certification_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_certification')),
    sa.UniqueConstraint('staff_id', 'type_id', name=op.f('uq_staff_certification_staff_id_type_id'))
    )
    with op.batch_alter_table('staff_certification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_certification_expires_on'), ['expires_on'], unique=False)

    op.create_table('training_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=False),
    sa.Column('place', sa.String(length=120), nullable=False),
    sa.Column('trainer_id', sa.Integer(), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_training_session_branch_id_branch')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_training_session_course_id_course')),
    sa.ForeignKeyConstraint(['trainer_id'], ['staff.id'], name=op.f('fk_training_session_trainer_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_session'))
    )
    with op.batch_alter_table('training_session', schema=None) as batch_op:
        batch_op.create_index('ix_training_session_branch_id_held_on', ['branch_id', 'held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_session_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_session_held_on'), ['held_on'], unique=False)

    op.create_table('assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('pass_mark', sa.Integer(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('assessor_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assessor_id'], ['staff.id'], name=op.f('fk_assessment_assessor_id_staff')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_assessment_course_id_course')),
    sa.ForeignKeyConstraint(['session_id'], ['training_session.id'], name=op.f('fk_assessment_session_id_training_session')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_assessment_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment')),
    sa.UniqueConstraint('session_id', 'staff_id', name=op.f('uq_assessment_session_id_staff_id'))
    )
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_course_id'), ['course_id'], unique=False)
        batch_op.create_index('ix_assessment_staff_id_assessed_on', ['staff_id', 'assessed_on'], unique=False)

    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('marked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['session_id'], ['training_session.id'], name=op.f('fk_attendance_session_id_training_session')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_attendance_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('session_id', 'staff_id', name=op.f('uq_attendance_session_id_staff_id'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_staff_id'), ['staff_id'], unique=False)

    op.create_table('certification_reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certification_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=8), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['certification_id'], ['staff_certification.id'], name=op.f('fk_certification_reminder_certification_id_staff_certification'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certification_reminder')),
    sa.UniqueConstraint('certification_id', 'stage', 'expires_on', name=op.f('uq_certification_reminder_certification_id_stage_expires_on'))
    )


def downgrade():
    op.drop_table('certification_reminder')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_staff_id'))

    op.drop_table('attendance')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index('ix_assessment_staff_id_assessed_on')
        batch_op.drop_index(batch_op.f('ix_assessment_course_id'))

    op.drop_table('assessment')
    with op.batch_alter_table('training_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_session_held_on'))
        batch_op.drop_index(batch_op.f('ix_training_session_course_id'))
        batch_op.drop_index('ix_training_session_branch_id_held_on')

    op.drop_table('training_session')
    with op.batch_alter_table('staff_certification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_certification_expires_on'))

    op.drop_table('staff_certification')
    op.drop_table('training_target')
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_dimension'))

    op.drop_table('course')
    op.drop_table('certification_type')
