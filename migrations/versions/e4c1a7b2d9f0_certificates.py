"""certificates and the contest's certificate rule

Revision ID: e4c1a7b2d9f0
Revises: b13a5e7c0d21
Create Date: 2026-12-03 10:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4c1a7b2d9f0'
down_revision = 'b13a5e7c0d21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contests') as batch:
        batch.add_column(sa.Column('certificate_rule', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('certificate_signature', sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column('certificate_seal', sa.LargeBinary(), nullable=True))
    op.create_table(
        'certificates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=32), nullable=False),
        sa.Column('key', sa.String(length=80), nullable=False),
        sa.Column('contest_id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=True),
        sa.Column('entry_id', sa.Integer(), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('prize', sa.String(length=20), nullable=True),
        sa.Column('full_name', sa.String(length=120), nullable=False),
        sa.Column('unit_name', sa.String(length=255), nullable=True),
        sa.Column('achievement', sa.Text(), nullable=False),
        sa.Column('basis', sa.JSON(), nullable=False),
        sa.Column('issued_at', sa.DateTime(), nullable=False),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_reason', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['contest_id'], ['contests.id']),
        sa.ForeignKeyConstraint(['entry_id'], ['entries.id']),
        sa.ForeignKeyConstraint(['round_id'], ['rounds.id']),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('code'),
        sa.UniqueConstraint('contest_id', 'key', name='uq_certificate_key'),
    )
    op.create_index('ix_certificates_contest_id', 'certificates', ['contest_id'])
    op.create_index('ix_certificates_user_id', 'certificates', ['user_id'])


def downgrade():
    op.drop_index('ix_certificates_user_id', table_name='certificates')
    op.drop_index('ix_certificates_contest_id', table_name='certificates')
    op.drop_table('certificates')
    with op.batch_alter_table('contests') as batch:
        batch.drop_column('certificate_seal')
        batch.drop_column('certificate_signature')
        batch.drop_column('certificate_rule')
