"""Each analysis keeps the title of the film it found the review to be about, as a column.

A film that neither the input nor a knowledge base names was listed by its bare key ("tt0387808").
The corpus now names it by the title most of its reviews name (`Store.film_rows`), which needs that
title per analysis without reading every stored result: `analyses.film_title`, `film_year` and
`film_confidence`, filled here from the stored results (`result["film"]`).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_BATCH = 2000


def upgrade() -> None:
    with op.batch_alter_table("analyses") as batch:
        batch.add_column(sa.Column("film_title", sa.String(300)))
        batch.add_column(sa.Column("film_year", sa.Integer))
        batch.add_column(sa.Column("film_confidence", sa.Float))
    bind = op.get_bind()
    columns = ("review_id", "result", "film_title", "film_year", "film_confidence")
    analyses = sa.table("analyses", *(sa.column(c) for c in columns))
    last = 0
    while True:
        rows = bind.execute(
            sa.select(analyses.c.review_id, analyses.c.result)
            .where(analyses.c.review_id > last)
            .order_by(analyses.c.review_id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        last = rows[-1][0]
        named = []
        for review_id, result in rows:
            found = (json.loads(result) if isinstance(result, str) else result or {}).get("film")
            if found and found.get("title"):
                named.append(
                    {
                        "id": review_id,
                        "title": found["title"][:300],
                        "year": found.get("year"),
                        "confidence": found.get("confidence"),
                    }
                )
        if named:
            bind.execute(
                analyses.update()
                .where(analyses.c.review_id == sa.bindparam("id"))
                .values(
                    film_title=sa.bindparam("title"),
                    film_year=sa.bindparam("year"),
                    film_confidence=sa.bindparam("confidence"),
                ),
                named,
            )


def downgrade() -> None:
    with op.batch_alter_table("analyses") as batch:
        batch.drop_column("film_confidence")
        batch.drop_column("film_year")
        batch.drop_column("film_title")
