"""one person, one account: phone, CCCD and e-mail in one canonical spelling; server-side
sessions; password reset codes

Existing rows are normalised (NFKC, ASCII digits; +84/84/0084 -> 0; e-mail lower-cased).
Where two accounts turn out to be one number, the account that already holds the canonical
spelling keeps it, else the earliest account takes it; the others keep their value exactly as
it was (nothing is deleted or merged) and are reported on the console and in the log as
"duplicate ..." lines, for the organiser to look at. The migration never fails on them.

Revision ID: b13a5e7c0d21
Revises: e3b5c7d9f1a2
Create Date: 2026-12-03 10:40:00.000000

"""
import logging
import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = 'b13a5e7c0d21'
down_revision = 'e3b5c7d9f1a2'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")
SEPARATORS = re.compile(r"[\s.\-()/_]")


def _digits(raw, allow_plus=False):
    # a copy of contest.services.accounts at this revision: a migration must not change later
    text = SEPARATORS.sub("", unicodedata.normalize("NFKC", str(raw or "")))
    if allow_plus and text.startswith("+"):
        text = text[1:]
    return text if text and re.fullmatch(r"[0-9]+", text) else None


def canonical_phone(raw):
    digits = _digits(raw, allow_plus=True)
    if digits is None:
        return None
    if digits.startswith("0084"):
        digits = "0" + digits[4:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits if re.fullmatch(r"0[0-9]{9}", digits) else None


def canonical_cccd(raw):
    digits = _digits(raw)
    return digits if digits and len(digits) == 12 else None


def canonical_email(raw):
    text = unicodedata.normalize("NFKC", str(raw or "")).strip().lower()
    return text or None


CANONICAL = {"phone": canonical_phone, "cccd": canonical_cccd, "email": canonical_email}


def normalise_users(bind) -> list[str]:
    """Give every account's phone, CCCD and e-mail their canonical spelling where no other
    account claims it; the report lines for the duplicates left as they were."""
    users = sa.table("users", sa.column("id"), sa.column("created_at"), sa.column("phone"),
                     sa.column("cccd"), sa.column("email"))
    rows = bind.execute(sa.select(users.c.id, users.c.created_at, users.c.phone, users.c.cccd,
                                  users.c.email).order_by(users.c.created_at, users.c.id)).all()
    report = []
    for name, canonical in CANONICAL.items():
        groups: dict[str, list] = {}
        for row in rows:
            value = getattr(row, name)
            key = canonical(value) if value is not None else None
            if key is not None:
                groups.setdefault(key, []).append((row.id, value))
        for key, members in groups.items():
            holder = next((m for m in members if m[1] == key), None)
            if holder is None:
                holder = members[0]
                bind.execute(users.update().where(users.c.id == holder[0]).values({name: key}))
            for user_id, value in members:
                if user_id != holder[0]:
                    report.append(f"duplicate {name} {key!r}: account {user_id} ({value!r}) "
                                  f"left as it was; account {holder[0]} holds it")
    for line in report:
        log.warning(line)
        print(line)
    return report


def upgrade():
    op.create_table(
        'user_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('remember', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('key_hash'))
    op.create_index('ix_user_sessions_user_id', 'user_sessions', ['user_id'])
    op.create_table(
        'password_reset_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('code_hash'))
    op.create_index('ix_password_reset_codes_user_id', 'password_reset_codes', ['user_id'])
    normalise_users(op.get_bind())


def downgrade():
    # the canonical spellings stay: they are the same numbers
    op.drop_index('ix_password_reset_codes_user_id', table_name='password_reset_codes')
    op.drop_table('password_reset_codes')
    op.drop_index('ix_user_sessions_user_id', table_name='user_sessions')
    op.drop_table('user_sessions')
