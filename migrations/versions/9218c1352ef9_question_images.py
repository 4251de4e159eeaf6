"""pictures of questions and choices, in the database

Revision ID: 9218c1352ef9
Revises: b62570df192c
Create Date: 2026-12-03 16:20:00.000000

A new table only: existing questions keep everything and simply have no picture.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9218c1352ef9'
down_revision = 'b62570df192c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'question_images',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('choice_label', sa.String(length=2), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('media_type', sa.String(length=40), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('small', sa.LargeBinary(), nullable=True),
        sa.Column('small_width', sa.Integer(), nullable=True),
        sa.Column('small_height', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['question_id'], ['questions.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('question_id', 'choice_label', name='uq_question_image'),
    )
    op.create_index('ix_question_images_sha256', 'question_images', ['sha256'])


def downgrade():
    op.drop_index('ix_question_images_sha256', table_name='question_images')
    op.drop_table('question_images')
