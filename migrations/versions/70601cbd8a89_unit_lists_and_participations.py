"""unit lists per organisation, a contest's list, and each person's participation in a contest

Revision ID: 70601cbd8a89
Revises: 2e31be759a2b
Create Date: 2026-12-04 20:10:00.000000

Keeps today's data: every organisation that has units gets one list holding all of them, its
contests use that list, and every person who started an attempt in a contest gets a
participation there with the unit and category their account holds now (their entries keep
the unit they already carry).
"""
from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '70601cbd8a89'
down_revision = '2e31be759a2b'
branch_labels = None
depends_on = None

LIST_NAME = "Danh sách đơn vị"
UNNAMED = {"uq": "uq_%(table_name)s_%(column_0_name)s"}  # names SQLite's unnamed constraint


@contextmanager
def _foreign_keys_off():
    """SQLite rebuilds `units` (copy, drop, rename) while users and entries point at it: as
    SQLite's own procedure says, with foreign keys off (a pragma that only works between
    transactions), the tables that point at it checked before they are on again."""
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        yield
        return
    conn.exec_driver_sql("UPDATE alembic_version SET version_num = version_num")  # writing
    driver = conn.connection.dbapi_connection
    _between_transactions(driver, "PRAGMA foreign_keys = OFF")
    yield
    broken = [row for table in ("units", "users", "entries", "contests", "participations")
              if conn.dialect.has_table(conn, table)
              for row in conn.exec_driver_sql(f"PRAGMA foreign_key_check({table})").all()]
    if broken:
        raise RuntimeError(f"foreign keys broken by the migration: {broken[:5]}")
    _between_transactions(driver, "PRAGMA foreign_keys = ON")


def _between_transactions(driver, pragma: str) -> None:
    driver.execute("COMMIT")
    driver.execute(pragma)
    driver.execute("BEGIN IMMEDIATE")


def upgrade():
    with _foreign_keys_off():
        _upgrade()


def _upgrade():
    op.create_table(
        'unit_lists',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_unit_lists_organisation_id', 'unit_lists', ['organisation_id'])
    with op.batch_alter_table('units') as batch_op:
        batch_op.add_column(sa.Column('unit_list_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('selectable', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('contests') as batch_op:
        batch_op.add_column(sa.Column('unit_list_id', sa.Integer(), nullable=True))
    _one_list_per_organisation()
    _replace_unit_uniqueness()
    with op.batch_alter_table('contests') as batch_op:
        batch_op.create_foreign_key('fk_contests_unit_list_id', 'unit_lists',
                                    ['unit_list_id'], ['id'])
    op.create_table(
        'participations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contest_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=True),
        sa.Column('category', sa.String(length=30), nullable=False),
        sa.Column('profile', sa.JSON(), nullable=True),
        sa.Column('joined_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['contest_id'], ['contests.id']),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('contest_id', 'user_id', name='uq_participation'),
    )
    op.create_index('ix_participations_user_id', 'participations', ['user_id'])
    op.create_index('ix_participations_unit_id', 'participations', ['unit_id'])
    _participations_from_attempts()


def _one_list_per_organisation():
    conn = op.get_bind()
    orgs = conn.execute(sa.text("SELECT DISTINCT organisation_id FROM units "
                                 "ORDER BY organisation_id")).scalars().all()
    for org_id in orgs:
        conn.execute(sa.text("INSERT INTO unit_lists (organisation_id, name, created_at) "
                             "VALUES (:o, :n, CURRENT_TIMESTAMP)"), {"o": org_id, "n": LIST_NAME})
        list_id = conn.execute(sa.text("SELECT max(id) FROM unit_lists WHERE organisation_id = :o"),
                               {"o": org_id}).scalar()
        conn.execute(sa.text("UPDATE units SET unit_list_id = :l WHERE organisation_id = :o"),
                     {"l": list_id, "o": org_id})
        conn.execute(sa.text("UPDATE contests SET unit_list_id = :l WHERE organisation_id = :o"),
                     {"l": list_id, "o": org_id})


def _replace_unit_uniqueness():
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    # the unique (organisation_id, code): unnamed as first made on SQLite (named by UNNAMED),
    # named after a downgrade
    old = next((c["name"] for c in sa.inspect(bind).get_unique_constraints('units')
                if c["column_names"] == ['organisation_id', 'code'] and c["name"]),
               'uq_units_organisation_id' if sqlite else 'units_organisation_id_code_key')
    with op.batch_alter_table('units', naming_convention=UNNAMED if sqlite else None) as batch_op:
        batch_op.drop_constraint(old, type_='unique')
        batch_op.alter_column('unit_list_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint('uq_units_list_code', ['unit_list_id', 'code'])
        batch_op.create_foreign_key('fk_units_unit_list_id', 'unit_lists', ['unit_list_id'],
                                    ['id'])
        batch_op.create_index('ix_units_unit_list_id', ['unit_list_id'])


def _participations_from_attempts():
    op.execute(sa.text(
        "INSERT INTO participations (contest_id, user_id, unit_id, category, joined_at) "
        "SELECT r.contest_id, a.user_id, u.unit_id, u.category, min(a.started_at) "
        "FROM attempts a JOIN rounds r ON r.id = a.round_id JOIN users u ON u.id = a.user_id "
        "GROUP BY r.contest_id, a.user_id, u.unit_id, u.category"))


def downgrade():
    with _foreign_keys_off():
        _downgrade()


def _downgrade():
    op.drop_index('ix_participations_unit_id', table_name='participations')
    op.drop_index('ix_participations_user_id', table_name='participations')
    op.drop_table('participations')
    with op.batch_alter_table('contests') as batch_op:
        batch_op.drop_constraint('fk_contests_unit_list_id', type_='foreignkey')
        batch_op.drop_column('unit_list_id')
    with op.batch_alter_table('units') as batch_op:
        batch_op.drop_index('ix_units_unit_list_id')
        batch_op.drop_constraint('fk_units_unit_list_id', type_='foreignkey')
        batch_op.drop_constraint('uq_units_list_code', type_='unique')
        batch_op.create_unique_constraint('units_organisation_id_code_key',
                                          ['organisation_id', 'code'])
        batch_op.drop_column('selectable')
        batch_op.drop_column('unit_list_id')
    op.drop_index('ix_unit_lists_organisation_id', table_name='unit_lists')
    op.drop_table('unit_lists')
