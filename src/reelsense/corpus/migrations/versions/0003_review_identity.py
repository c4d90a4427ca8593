"""A review is stored once by its identity, not once per file name; rejects are kept per record.

Until now a review was unique by (text, source), and the source was by default the file it came from:
the same records ingested under two file names were stored twice, and the same text given for two
films was stored for the first film only. Reviews now carry `identity` (who wrote it where the input
names the critic, the film it is given for, the record's own id, its text: `records.review_identity`)
and are unique by it. Existing rows get theirs from what the store kept; a source that looks like a
file (a path, a name with an extension, stdin) is no critic, and a record id of the form
"<source>:<line>" is no id of its own. Rows that thereby turn out to be one review (copies stored
under several file names) are merged into the first stored.

Rejects were unique by (source, record id), so several rejected records sharing an id were counted
once; they now carry a `fingerprint` (source, id, reason and metadata) and are unique by it.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import hashlib
import json
import re

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_FILE_LIKE = re.compile(r"[/\\]|\.[A-Za-z0-9]{1,5}$|^stdin$")


def _digest(*parts: str) -> str:
    # Frozen here as `records._digest` was at this revision: a migration must not change with the code.
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _identity(source: str, film_key: str | None, record_id: str | None, text_hash: str) -> str:
    critic = "" if _FILE_LIKE.search(source) else source
    own = record_id if record_id and not re.fullmatch(re.escape(source) + r":\d+", record_id) else ""
    return _digest("review", critic, film_key or "", own, text_hash)


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("reviews") as batch:
        batch.add_column(sa.Column("identity", sa.String(64)))
    rows = bind.execute(
        sa.text(
            "SELECT r.id, r.content_hash, r.record_id, s.name, f.key FROM reviews r "
            "JOIN sources s ON s.id = r.source_id LEFT JOIN films f ON f.id = r.film_id ORDER BY r.id"
        )
    ).all()
    first: dict[str, int] = {}
    merged: list[int] = []
    for review_id, text_hash, record_id, source, film_key in rows:
        identity = _identity(source, film_key, record_id, text_hash)
        if identity in first:
            merged.append(review_id)
            continue
        first[identity] = review_id
        bind.execute(
            sa.text("UPDATE reviews SET identity = :i WHERE id = :r"), {"i": identity, "r": review_id}
        )
    for table, column in (
        ("review_aspects", "review_id"), ("review_mentions", "review_id"), ("analyses", "review_id"),
        ("reviews", "id"),
    ):  # fmt: skip
        for review_id in merged:
            bind.execute(sa.text(f"DELETE FROM {table} WHERE {column} = :r"), {"r": review_id})
    with op.batch_alter_table("reviews") as batch:
        batch.alter_column("identity", existing_type=sa.String(64), nullable=False)
        batch.drop_constraint("reviews_once_per_source", type_="unique")
        batch.create_unique_constraint("reviews_once", ["identity"])

    with op.batch_alter_table("rejects") as batch:
        batch.add_column(sa.Column("fingerprint", sa.String(64)))
    for reject_id, source, record_id, reason, meta in bind.execute(
        sa.text("SELECT id, source, record_id, reason, meta FROM rejects")
    ).all():
        kept = json.loads(meta) if isinstance(meta, str) else meta
        detail = _digest(json.dumps(kept or {}, sort_keys=True, default=str, ensure_ascii=True))
        bind.execute(
            sa.text("UPDATE rejects SET fingerprint = :f WHERE id = :r"),
            {"f": _digest("reject", source, record_id, reason, detail), "r": reject_id},
        )
    with op.batch_alter_table("rejects") as batch:
        batch.alter_column("fingerprint", existing_type=sa.String(64), nullable=False)
        batch.drop_constraint("rejects_once", type_="unique")
        batch.create_unique_constraint("rejects_once", ["fingerprint"])
    _restore_search(bind)


def _restore_search(bind: sa.Connection) -> None:
    """On SQLite, rebuilding `reviews` drops the triggers that keep its full-text index in step."""
    if bind.dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER IF EXISTS reviews_fts_insert")
    op.execute("DROP TRIGGER IF EXISTS reviews_fts_delete")
    op.execute(
        "CREATE TRIGGER reviews_fts_insert AFTER INSERT ON reviews BEGIN "
        "INSERT INTO reviews_fts(rowid, text) VALUES (new.id, new.text); END"
    )
    op.execute(
        "CREATE TRIGGER reviews_fts_delete AFTER DELETE ON reviews BEGIN "
        "INSERT INTO reviews_fts(reviews_fts, rowid, text) VALUES ('delete', old.id, old.text); END"
    )
    op.execute("INSERT INTO reviews_fts(reviews_fts) VALUES ('rebuild')")


def downgrade() -> None:
    with op.batch_alter_table("rejects") as batch:
        batch.drop_constraint("rejects_once", type_="unique")
        batch.drop_column("fingerprint")
        batch.create_unique_constraint("rejects_once", ["source", "record_id"])
    with op.batch_alter_table("reviews") as batch:
        batch.drop_constraint("reviews_once", type_="unique")
        batch.drop_column("identity")
        batch.create_unique_constraint("reviews_once_per_source", ["content_hash", "source_id"])
    _restore_search(op.get_bind())
