"""Advice: people, conversations, messages, votes, trainers' uploads, imported logs.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(100), nullable=False, unique=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200)),
        sa.Column("course", sa.String(200), index=True),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_table(
        "conversations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(100), nullable=False, unique=True),
        sa.Column(
            "person_id",
            sa.Integer,
            sa.ForeignKey("people.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("started_at", WHEN, nullable=False, index=True),
    )
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(100), nullable=False, unique=True),
        sa.Column(
            "conversation_id",
            sa.Integer,
            sa.ForeignKey("conversations.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("language", sa.String(10)),
        sa.Column("backend", sa.String(40)),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("sources", sa.JSON, nullable=False),
        sa.Column("titles", sa.JSON, nullable=False),
        sa.Column("situation", sa.JSON),
        sa.Column("fit", sa.String(20), index=True),
        sa.Column("playbook", sa.String(100), index=True),
        sa.Column("created_at", WHEN, nullable=False, index=True),
    )
    op.create_table(
        "votes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "person_id",
            sa.Integer,
            sa.ForeignKey("people.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("answer_key", sa.String(100), nullable=False, index=True),
        sa.Column("vote", sa.String(4), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("sources", sa.JSON, nullable=False),
        sa.Column("language", sa.String(10)),
        sa.Column("created_at", WHEN, nullable=False, index=True),
        sa.UniqueConstraint("person_id", "answer_key", name="uq_vote_person_answer"),
    )
    op.create_table(
        "uploads",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("path", sa.String(500), nullable=False, index=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("by", sa.String(100)),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("removed_at", WHEN),
    )
    op.create_table(
        "imports",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("imported_at", WHEN, nullable=False),
    )


def downgrade() -> None:
    for table in ("imports", "uploads", "votes", "messages", "conversations", "people"):
        op.drop_table(table)
