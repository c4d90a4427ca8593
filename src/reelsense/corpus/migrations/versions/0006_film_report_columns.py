"""Each analysis keeps the model's own rating and its consensus sentences as columns.

A film's report used to be made from every one of its reviews' stored results, read into memory
at once (about 28 KB a review: a film with 850,000 reviews would not fit). The store now totals it
in SQL (`Store.film_report`), which needs two things per analysis without reading its result:
`analyses.predicted_rating` (the model's rating, grade or not, what a stated rating is compared
with) and `analyses.consensus` (the summary sentences that judge, with their reading and the
aspects they are evidence for: what a film's consensus is chosen from). Both are filled here
from the stored results, with the package's own reading of them (`Review.from_stored`,
`aggregate.consensus_sentences`), so old and new analyses give the same reports.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_BATCH = 2000


def upgrade() -> None:
    from reelsense.corpus.aggregate import consensus_column
    from reelsense.review import Review

    with op.batch_alter_table("analyses") as batch:
        batch.add_column(sa.Column("predicted_rating", sa.Float))
        batch.add_column(sa.Column("consensus", sa.JSON))
    bind = op.get_bind()
    columns: list[sa.ColumnClause[Any]] = [
        sa.column(c) for c in ("review_id", "result", "rating", "predicted_rating")
    ]
    analyses = sa.table("analyses", *columns, sa.column("consensus", sa.JSON))
    reviews = sa.table("reviews", sa.column("id"), sa.column("text"))
    last = 0
    while True:
        rows = bind.execute(
            sa.select(analyses.c.review_id, analyses.c.result, analyses.c.rating, reviews.c.text)
            .join(reviews, reviews.c.id == analyses.c.review_id)
            .where(analyses.c.review_id > last)
            .order_by(analyses.c.review_id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        last = rows[-1][0]
        filled: list[dict[str, Any]] = []
        for review_id, result, rating, text in rows:
            data = json.loads(result) if isinstance(result, str) else dict(result or {})
            try:
                review = Review.from_stored(data, text)
            except (KeyError, TypeError, ValueError):  # an analysis too old to read: no consensus
                filled.append({"id": review_id, "predicted": rating, "consensus": []})
                continue
            predicted = review.predicted_rating if review.predicted_rating is not None else rating
            filled.append({"id": review_id, "predicted": predicted, "consensus": consensus_column(review)})
        bind.execute(
            analyses.update()
            .where(analyses.c.review_id == sa.bindparam("id"))
            .values(predicted_rating=sa.bindparam("predicted"), consensus=sa.bindparam("consensus")),
            filled,
        )


def downgrade() -> None:
    with op.batch_alter_table("analyses") as batch:
        batch.drop_column("consensus")
        batch.drop_column("predicted_rating")
