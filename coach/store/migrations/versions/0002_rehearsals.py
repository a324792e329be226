"""Rehearsals: attempts and their turns.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(100), nullable=False, unique=True),
        sa.Column(
            "person_id",
            sa.Integer,
            sa.ForeignKey("people.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("scenario", sa.String(100), nullable=False, index=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("language", sa.String(10), nullable=False),
        sa.Column("course", sa.String(200), index=True),
        sa.Column("started_at", WHEN, nullable=False, index=True),
        sa.Column("finished_at", WHEN, index=True),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("score", sa.Integer),
        sa.Column("scorecard", sa.JSON),
    )
    op.create_table(
        "attempt_turns",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "attempt_id",
            sa.Integer,
            sa.ForeignKey("attempts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("said", sa.Text, nullable=False),
        sa.Column("reply", sa.Text, nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("tension", sa.Float, nullable=False),
        sa.Column("flags", sa.JSON, nullable=False),
        sa.Column("moves", sa.JSON, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.UniqueConstraint("attempt_id", "number", name="uq_turn_attempt_number"),
    )


def downgrade() -> None:
    op.drop_table("attempt_turns")
    op.drop_table("attempts")
