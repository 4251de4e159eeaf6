"""organisations in the product: a public address and a logo; staff roles, the instance
administrator, unit focal persons; invitations

Existing data is kept:
- every organisation gets `slug` = its code lower-cased (characters other than a-z, 0-9 and
  "-" become "-"; a clash gets "-<id>" appended), and no logo;
- every existing 'organiser' or 'admin' stays what it is, and in each organisation that has
  no 'admin' yet, the first organiser (the earliest account) becomes its admin;
- nobody is an instance administrator until one is made with the CLI.

Revision ID: 2e31be759a2b
Revises: 9218c1352ef9
Create Date: 2026-12-04 20:00:00.000000

"""
import re

import sqlalchemy as sa
from alembic import op

revision = '2e31be759a2b'
down_revision = '9218c1352ef9'
branch_labels = None
depends_on = None


def _slug(code: str) -> str:
    # a copy of contest.services.organisations.slug_from at this revision
    text = re.sub(r"[^a-z0-9-]+", "-", (code or "").lower()).strip("-")
    return text[:60] or "to-chuc"


def upgrade():
    with op.batch_alter_table('organisations') as batch:
        batch.add_column(sa.Column('slug', sa.String(length=60), nullable=True))
        batch.add_column(sa.Column('logo', sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column('logo_type', sa.String(length=20), nullable=True))
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('is_instance_admin', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column('focal_unit_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_users_focal_unit_id', 'units', ['focal_unit_id'], ['id'],
                                 ondelete='SET NULL')
    bind = op.get_bind()
    orgs = sa.table('organisations', sa.column('id'), sa.column('code'), sa.column('slug'))
    taken = set()
    for org_id, code in bind.execute(sa.select(orgs.c.id, orgs.c.code).order_by(orgs.c.id)):
        slug = _slug(code)
        if slug in taken:
            slug = f"{slug[:50]}-{org_id}"
        taken.add(slug)
        bind.execute(orgs.update().where(orgs.c.id == org_id).values(slug=slug))
    users = sa.table('users', sa.column('id'), sa.column('organisation_id'), sa.column('role'),
                     sa.column('created_at'))
    with_admin = {row[0] for row in bind.execute(
        sa.select(users.c.organisation_id).where(users.c.role == 'admin').distinct())}
    first = {}
    for user_id, org_id in bind.execute(
            sa.select(users.c.id, users.c.organisation_id).where(users.c.role == 'organiser')
            .order_by(users.c.created_at, users.c.id)):
        if org_id not in with_admin and org_id not in first:
            first[org_id] = user_id
    for user_id in first.values():
        bind.execute(users.update().where(users.c.id == user_id).values(role='admin'))
    with op.batch_alter_table('organisations') as batch:
        batch.alter_column('slug', existing_type=sa.String(length=60), nullable=False)
        batch.create_unique_constraint('uq_organisations_slug', ['slug'])
    op.create_table(
        'invitations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('focal_unit_id', sa.Integer(), nullable=True),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.Column('used_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['focal_unit_id'], ['units.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['used_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('code_hash', name='uq_invitations_code_hash'),
    )
    op.create_index('ix_invitations_organisation_id', 'invitations', ['organisation_id'])


def downgrade():
    op.drop_index('ix_invitations_organisation_id', table_name='invitations')
    op.drop_table('invitations')
    bind = op.get_bind()
    users = sa.table('users', sa.column('role'))
    bind.execute(users.update().where(users.c.role.in_(('viewer', 'focal')))
                 .values(role='participant'))
    with op.batch_alter_table('users') as batch:
        batch.drop_constraint('fk_users_focal_unit_id', type_='foreignkey')
        batch.drop_column('focal_unit_id')
        batch.drop_column('is_instance_admin')
    with op.batch_alter_table('organisations') as batch:
        batch.drop_constraint('uq_organisations_slug', type_='unique')
        batch.drop_column('logo_type')
        batch.drop_column('logo')
        batch.drop_column('slug')
