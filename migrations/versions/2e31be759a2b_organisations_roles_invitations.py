"""organisations in the product: a public address and a logo; staff roles, the instance
administrator, unit focal persons; invitations

Existing data is kept:
- every organisation gets `slug` = its code lower-cased (characters other than a-z, 0-9 and
  "-" become "-"; a clash gets "-<id>" appended), and no logo;
- every existing 'organiser' or 'admin' stays what it is, and in each organisation that has
  no 'admin' yet, the first organiser (the earliest account) becomes its admin;
- nobody is an instance administrator until one is made with the CLI.

Revision ID: 2e31be759a2b
Revises: 6fdc783774a7
Create Date: 2026-12-04 20:00:00.000000

"""
import re

import sqlalchemy as sa
from alembic import op

revision = '2e31be759a2b'
down_revision = '6fdc783774a7'
branch_labels = None
depends_on = None


def _slug(code: str) -> str:
    # a copy of contest.services.organisations.slug_from at this revision
    text = re.sub(r"[^a-z0-9-]+", "-", (code or "").lower()).strip("-")
    return text[:60] or "to-chuc"


def upgrade():
    # columns added in place (no table rebuilt: other tables' rows refer to both)
    bind = op.get_bind()
    sqlite = bind.dialect.name == 'sqlite'
    op.add_column('organisations', sa.Column('slug', sa.String(length=60), nullable=True))
    op.add_column('organisations', sa.Column('logo', sa.LargeBinary(), nullable=True))
    op.add_column('organisations', sa.Column('logo_type', sa.String(length=20), nullable=True))
    op.add_column('users', sa.Column('is_instance_admin', sa.Boolean(), nullable=False,
                                     server_default=sa.false()))
    # a plain reference (as users.unit_id): removing a unit a focal person answers for is
    # refused by the units page (contest/services/unit_edit.py)
    if sqlite:  # SQLite adds a column with its reference in place, never a constraint alone
        kept = {c['name'] for c in sa.inspect(bind).get_columns('users')}
        if 'focal_unit_id' not in kept:  # a downgrade on SQLite leaves it, empty
            op.execute("ALTER TABLE users ADD COLUMN focal_unit_id INTEGER "
                       "REFERENCES units (id)")
    else:
        op.add_column('users', sa.Column('focal_unit_id', sa.Integer(), nullable=True))
        op.create_foreign_key('fk_users_focal_unit_id', 'users', 'units', ['focal_unit_id'],
                              ['id'])
    orgs = sa.table('organisations', sa.column('id'), sa.column('code'), sa.column('slug'))
    taken = set()
    for org_id, code in bind.execute(sa.select(orgs.c.id, orgs.c.code).order_by(orgs.c.id)).all():
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
            .order_by(users.c.created_at, users.c.id)).all():
        if org_id not in with_admin and org_id not in first:
            first[org_id] = user_id
    for user_id in first.values():
        bind.execute(users.update().where(users.c.id == user_id).values(role='admin'))
    # unique; left nullable so that SQLite adds it in place (the application always sets it)
    op.create_index('ix_organisations_slug', 'organisations', ['slug'], unique=True)
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
    if bind.dialect.name == 'sqlite':
        # a column with a reference goes only with a rebuild of users, whose DROP would
        # cascade to every session and token: it stays, empty (earlier code never reads it)
        bind.execute(sa.text("UPDATE users SET focal_unit_id = NULL"))
        op.drop_column('users', 'is_instance_admin')
    else:
        op.drop_constraint('fk_users_focal_unit_id', 'users', type_='foreignkey')
        op.drop_column('users', 'focal_unit_id')
        op.drop_column('users', 'is_instance_admin')
    op.drop_index('ix_organisations_slug', table_name='organisations')
    for column in ('logo_type', 'logo', 'slug'):
        op.drop_column('organisations', column)
