"""An analysis's full result moves to a table of its own; the analysis keeps the model's rating.

A film's report used to be made from every one of its reviews' stored results, read into memory
at once (about 28 KB a review: a film with 850,000 reviews would not fit), and listing the films
read the whole analyses table, results and all (several GB at a million reviews). Now the store
totals a report in SQL (`Store.film_report`) and the analyses table holds only the narrow columns
totals read, with `analyses.predicted_rating` (the model's rating, grade or not, what a stated
rating is compared with). The results move to `analysis_results`, beside each one's consensus
sentences (the summary sentences that judge, with their reading and the aspects they are
evidence for: what a film's consensus is chosen from), filled here with the package's own
reading of the stored results (`Review.from_stored`, `aggregate.consensus_column`), so old and new
analyses give the same reports.

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
    results = op.create_table(
        "analysis_results",
        sa.Column(
            "review_id", sa.Integer, sa.ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True,
            autoincrement=False,
        ),
        sa.Column("result", sa.JSON, nullable=False),
        sa.Column("consensus", sa.JSON, nullable=False),
    )  # fmt: skip
    bind = op.get_bind()
    analyses = sa.table(
        "analyses",
        sa.column("review_id"),
        sa.column("result"),
        sa.column("rating"),
        sa.column("predicted_rating"),
    )
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
            break
        last = rows[-1][0]
        moved: list[dict[str, Any]] = []
        for review_id, result, rating, text in rows:
            data = json.loads(result) if isinstance(result, str) else dict(result or {})
            try:
                review = Review.from_stored(data, text)
            except (KeyError, TypeError, ValueError):  # an analysis too old to read: no consensus
                moved.append({"review_id": review_id, "result": data, "consensus": [], "predicted": rating})
                continue
            predicted = review.predicted_rating if review.predicted_rating is not None else rating
            moved.append(
                {
                    "review_id": review_id,
                    "result": data,
                    "consensus": consensus_column(review),
                    "predicted": predicted,
                }
            )
        bind.execute(
            analyses.update()
            .where(analyses.c.review_id == sa.bindparam("id"))
            .values(predicted_rating=sa.bindparam("predicted")),
            [{"id": m["review_id"], "predicted": m["predicted"]} for m in moved],
        )
        bind.execute(
            results.insert(), [{k: m[k] for k in ("review_id", "result", "consensus")} for m in moved]
        )
    with op.batch_alter_table("analyses") as batch:
        batch.drop_column("result")


def downgrade() -> None:
    with op.batch_alter_table("analyses") as batch:
        batch.add_column(sa.Column("result", sa.JSON))
    bind = op.get_bind()
    bind.exec_driver_sql(
        "UPDATE analyses SET result = "
        "(SELECT result FROM analysis_results r WHERE r.review_id = analyses.review_id)"
    )
    op.drop_table("analysis_results")
    with op.batch_alter_table("analyses") as batch:
        batch.drop_column("predicted_rating")
