"""A count of the corpus's changes, so a kept film listing can be checked in one lookup.

The web service's home page totalled every analysis of every film per request (10 requests/s with
3,568 films). `corpus_changes` holds one row whose `generation` each write that changes what the
corpus reports adds one to; the service keeps its listing until the number moves.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "corpus_changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("generation", sa.BigInteger, nullable=False),
    )
    op.bulk_insert(table, [{"id": 1, "generation": 0}])


def downgrade() -> None:
    op.drop_table("corpus_changes")
