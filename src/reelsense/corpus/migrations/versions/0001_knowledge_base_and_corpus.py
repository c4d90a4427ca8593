"""The film knowledge base and the review corpus.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kb_titles",
        sa.Column("tconst", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("title_type", sa.String(20), nullable=False),
        sa.Column("primary_title", sa.Text, nullable=False),
        sa.Column("original_title", sa.Text),
        sa.Column("start_year", sa.Integer),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("original_key", sa.Text),
    )
    op.create_table(
        "kb_names",
        sa.Column("nconst", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("primary_name", sa.Text, nullable=False),
        sa.Column("birth_year", sa.Integer),
        sa.Column("professions", sa.Text),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("sound", sa.String(12), nullable=False),
    )
    op.create_table(
        "kb_credits",
        sa.Column("tconst", sa.Integer, nullable=False),
        sa.Column("nconst", sa.Integer, nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("characters", sa.Text),
    )
    op.create_table(
        "kb_ratings",
        sa.Column("tconst", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("rating", sa.Float),
        sa.Column("votes", sa.Integer),
    )
    for name, table, column in (
        ("kb_titles_key", "kb_titles", "key"),
        ("kb_titles_original_key", "kb_titles", "original_key"),
        ("kb_names_key", "kb_names", "key"),
        ("kb_names_sound", "kb_names", "sound"),
        ("kb_credits_tconst", "kb_credits", "tconst"),
        ("kb_credits_nconst", "kb_credits", "nconst"),
    ):
        op.create_index(name, table, [column])

    op.create_table(
        "films",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(300), nullable=False, unique=True),
        sa.Column("title", sa.Text),
        sa.Column("year", sa.Integer),
    )
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(300), nullable=False, unique=True),
    )
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id"), nullable=False),
        sa.Column("film_id", sa.Integer, sa.ForeignKey("films.id")),
        sa.Column("record_id", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("source_rating", sa.Float),
        sa.Column("date", sa.String(40)),
        sa.Column("url", sa.Text),
        sa.Column("language", sa.String(20)),
        sa.Column("meta", sa.JSON),
        sa.UniqueConstraint("content_hash", "source_id", name="reviews_once_per_source"),
    )
    op.create_index("ix_reviews_film_id", "reviews", ["film_id"])
    op.create_table(
        "analyses",
        sa.Column("review_id", sa.Integer, sa.ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("model", sa.String(100), nullable=False),
        sa.Column("verdict", sa.String(10), nullable=False),
        sa.Column("probability", sa.Float, nullable=False),
        sa.Column("rating", sa.Float, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("grade", sa.Float),
        sa.Column("pull_quote", sa.Text),
        sa.Column("result", sa.JSON, nullable=False),
    )
    op.create_index("ix_analyses_model", "analyses", ["model"])
    for table, extra in (
        (
            "review_aspects",
            [
                sa.Column("aspect", sa.String(30), nullable=False),
                sa.Column("polarity", sa.String(10), nullable=False),
                sa.Column("score", sa.Float, nullable=False),
                sa.Column("mentions", sa.Integer, nullable=False),
            ],
        ),
        (
            "review_mentions",
            [
                sa.Column("kind", sa.String(12), nullable=False),
                sa.Column("name", sa.Text, nullable=False),
                sa.Column("role", sa.String(20)),
                sa.Column("link", sa.String(20)),
            ],
        ),
    ):
        op.create_table(
            table,
            sa.Column(
                "review_id", sa.Integer, sa.ForeignKey("reviews.id", ondelete="CASCADE"), nullable=False
            ),
            *extra,
        )
        op.create_index(f"ix_{table}_review_id", table, ["review_id"])
    op.create_table(
        "rejects",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("record_id", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("meta", sa.JSON),
        sa.UniqueConstraint("source", "record_id", name="rejects_once"),
    )
    # Full-text search over review texts: FTS5 on SQLite, a GIN index over a tsvector on PostgreSQL.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE reviews_fts USING fts5(text, content='reviews', content_rowid='id')")
        op.execute(
            "CREATE TRIGGER reviews_fts_insert AFTER INSERT ON reviews BEGIN "
            "INSERT INTO reviews_fts(rowid, text) VALUES (new.id, new.text); END"
        )
        op.execute(
            "CREATE TRIGGER reviews_fts_delete AFTER DELETE ON reviews BEGIN "
            "INSERT INTO reviews_fts(reviews_fts, rowid, text) VALUES ('delete', old.id, old.text); END"
        )
    elif op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX reviews_text_search ON reviews USING GIN (to_tsvector('english', text))")


def downgrade() -> None:
    for table in ("rejects", "review_mentions", "review_aspects", "analyses", "reviews", "sources", "films"):
        op.drop_table(table)
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS reviews_fts")
    for table in ("kb_ratings", "kb_credits", "kb_names", "kb_titles"):
        op.drop_table(table)
