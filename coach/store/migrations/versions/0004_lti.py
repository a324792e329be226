"""LTI 1.3: the values kept between login and launch, LMS identities, launches and the grades
owed to LMS gradebooks (``coach.lti``).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "lti_values",
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column("value", sa.JSON),
        sa.Column("expires_at", WHEN, nullable=False, index=True),
    )
    op.create_table(
        "lti_users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("issuer", sa.String(255), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("learner_id", sa.String(100), nullable=False, unique=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.UniqueConstraint("issuer", "subject", name="uq_lti_user"),
    )
    op.create_table(
        "lti_launches",
        sa.Column("token", sa.String(64), primary_key=True),
        sa.Column("learner_id", sa.String(100), nullable=False, index=True),
        sa.Column("issuer", sa.String(255), nullable=False),
        sa.Column("client_id", sa.String(255), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("course", sa.String(200), index=True),
        sa.Column("resource_link", sa.String(255)),
        sa.Column("instructor", sa.Boolean, nullable=False),
        sa.Column("custom", sa.JSON, nullable=False),
        sa.Column("ags", sa.JSON),
        sa.Column("nrps", sa.String(1000)),
        sa.Column("created_at", WHEN, nullable=False, index=True),
        sa.Column("expires_at", WHEN, nullable=False),
    )
    op.create_table(
        "lti_grades",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("launch", sa.String(64), nullable=False, index=True),
        sa.Column("attempt_key", sa.String(100), nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("tries", sa.Integer, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("sent_at", WHEN),
        sa.UniqueConstraint("launch", "attempt_key", name="uq_lti_grade"),
    )


def downgrade() -> None:
    for table in ("lti_grades", "lti_launches", "lti_users", "lti_values"):
        op.drop_table(table)
