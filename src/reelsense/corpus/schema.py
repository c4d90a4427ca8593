"""The project's database tables (SQLAlchemy Core), created and changed only by migrations (`migrations/`).

One database holds the film knowledge base (`kb_*`, filled by `reelsense kb import`) and the review
corpus (films, sources, reviews, their analyses and rejects, filled by `reelsense ingest`). SQLite by
default (a file, in WAL mode), PostgreSQL given a `postgresql://` URL.
"""

from __future__ import annotations

import sqlalchemy as sa

__all__ = [
    "metadata",
    "kb_titles",
    "kb_names",
    "kb_credits",
    "kb_ratings",
    "KB_INDEXES",
    "films",
    "sources",
    "reviews",
    "analyses",
    "analysis_results",
    "review_aspects",
    "review_mentions",
    "rejects",
    "api_tokens",
    "corpus_changes",
    "SEARCH_OBJECTS",
    "in_metadata",
]

metadata = sa.MetaData()

# -- the film knowledge base -------------------------------------------------------------------
kb_titles = sa.Table(
    "kb_titles",
    metadata,
    sa.Column("tconst", sa.Integer, primary_key=True, autoincrement=False),  # tt0075314 -> 75314
    sa.Column("title_type", sa.String(20), nullable=False),
    sa.Column("primary_title", sa.Text, nullable=False),
    sa.Column("original_title", sa.Text),
    sa.Column("start_year", sa.Integer),
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("original_key", sa.Text),
)
kb_names = sa.Table(
    "kb_names",
    metadata,
    sa.Column("nconst", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("primary_name", sa.Text, nullable=False),
    sa.Column("birth_year", sa.Integer),
    sa.Column("professions", sa.Text),
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("sound", sa.String(12), nullable=False),
)
kb_credits = sa.Table(
    "kb_credits",
    metadata,
    sa.Column("tconst", sa.Integer, nullable=False),
    sa.Column("nconst", sa.Integer, nullable=False),
    sa.Column("category", sa.String(40), nullable=False),
    sa.Column("characters", sa.Text),
)
kb_ratings = sa.Table(
    "kb_ratings",
    metadata,
    sa.Column("tconst", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("rating", sa.Float),
    sa.Column("votes", sa.Integer),
)
# Dropped before an import and built after it: loading into indexed tables is several times slower.
KB_INDEXES = (
    sa.Index("kb_titles_key", kb_titles.c.key),
    sa.Index("kb_titles_original_key", kb_titles.c.original_key),
    sa.Index("kb_names_key", kb_names.c.key),
    sa.Index("kb_names_sound", kb_names.c.sound),
    sa.Index("kb_credits_tconst", kb_credits.c.tconst),
    sa.Index("kb_credits_nconst", kb_credits.c.nconst),
)

# -- the review corpus -------------------------------------------------------------------------
films = sa.Table(
    "films",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(300), nullable=False, unique=True),  # tt… id, or "title (year)" normalised
    sa.Column("title", sa.Text),
    sa.Column("year", sa.Integer),
)
sources = sa.Table(
    "sources",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "name", sa.String(300), nullable=False, unique=True
    ),  # a critic, or the file a review came from
)
reviews = sa.Table(
    "reviews",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    # What makes a review itself, wherever it was read from (`corpus.ingest.review_identity`).
    sa.Column("identity", sa.String(64), nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id"), nullable=False),
    sa.Column("film_id", sa.Integer, sa.ForeignKey("films.id"), index=True),
    sa.Column("record_id", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("source_rating", sa.Float),  # the rating the source gives, on 0–10
    sa.Column("date", sa.String(40)),
    sa.Column("url", sa.Text),
    sa.Column("language", sa.String(20)),
    sa.Column("meta", sa.JSON),
    sa.UniqueConstraint("identity", name="reviews_once"),
)
analyses = sa.Table(
    "analyses",
    metadata,
    sa.Column("review_id", sa.Integer, sa.ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("model", sa.String(100), nullable=False, index=True),
    sa.Column("verdict", sa.String(10), nullable=False),
    sa.Column("probability", sa.Float, nullable=False),
    sa.Column("rating", sa.Float, nullable=False),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("grade", sa.Float),  # the grade the review states, on 0–10
    sa.Column("pull_quote", sa.Text),
    # The film the analysis found the review to be about (Review.film), as the text names it: the
    # corpus names a film its input and knowledge base leave untitled by the title most reviews name.
    sa.Column("film_title", sa.String(300)),
    sa.Column("film_year", sa.Integer),
    sa.Column("film_confidence", sa.Float),
    sa.Column("predicted_rating", sa.Float),  # the model's own rating, grade or not
)
# Each analysis in full, apart: the analyses table holds only the narrow columns that film totals
# read (`Store.film_rows`, `Store.film_report`), so they do not read every result.
analysis_results = sa.Table(
    "analysis_results",
    metadata,
    sa.Column(
        "review_id",
        sa.Integer,
        sa.ForeignKey("reviews.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    sa.Column("result", sa.JSON, nullable=False),  # Review.to_stored(): read back with the text
    # the sentences the film's consensus can choose from this review (`aggregate.consensus_column`)
    sa.Column("consensus", sa.JSON, nullable=False),
)
review_aspects = sa.Table(
    "review_aspects",
    metadata,
    sa.Column(
        "review_id", sa.Integer, sa.ForeignKey("reviews.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("aspect", sa.String(30), nullable=False),
    sa.Column("polarity", sa.String(10), nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("mentions", sa.Integer, nullable=False),
)
review_mentions = sa.Table(
    "review_mentions",
    metadata,
    sa.Column(
        "review_id", sa.Integer, sa.ForeignKey("reviews.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("kind", sa.String(12), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("role", sa.String(20)),
    sa.Column("link", sa.String(20)),
)
rejects = sa.Table(
    "rejects",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("source", sa.String(300), nullable=False),
    sa.Column("record_id", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("meta", sa.JSON),
    # The record rejected: its source, id, reason and content (`corpus.ingest.reject_fingerprint`).
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.UniqueConstraint("fingerprint", name="rejects_once"),
)
api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
)

# One row: a number every write that changes what the corpus reports (reviews stored, analyses
# replaced) adds one to, so a reader can tell in one indexed lookup whether a listing it keeps is
# still true (the web service's home page).
corpus_changes = sa.Table(
    "corpus_changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("generation", sa.BigInteger, nullable=False),
)

# Full-text search lives outside the metadata: the migrations make it per dialect (an FTS5 table with
# its shadow tables on SQLite, a GIN expression index on PostgreSQL) and SQLAlchemy cannot declare it.
SEARCH_OBJECTS = ("reviews_fts", "reviews_text_search")


def in_metadata(_object: object, name: str | None, _type: str, _reflected: bool, _other: object) -> bool:
    """Alembic's `include_object`: False for the full-text search objects, which autogenerate must
    not offer to drop."""
    return not (name or "").startswith(SEARCH_OBJECTS)
