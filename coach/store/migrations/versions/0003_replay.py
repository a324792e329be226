"""Rehearsals any app server can continue: the attempt's seed and who spoke each reply, so a
session is rebuilt from its turns (``ui.rehearse.resume_session``).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("attempts", sa.Column("seed", sa.Integer))
    op.add_column("attempt_turns", sa.Column("voice", sa.String(10)))


def downgrade() -> None:
    with op.batch_alter_table("attempt_turns") as batch:
        batch.drop_column("voice")
    with op.batch_alter_table("attempts") as batch:
        batch.drop_column("seed")
