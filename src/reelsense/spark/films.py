"""Per-film reports from analysis rows, totalled in Spark SQL: `films(frame)`.

The same figures as the store's `film_report` for the same reviews, film for film: Spark totals
each film (count, positives, rating sum and histogram, the camps polarisation weighs, stated
ratings), each film's critics, aspects, dated months and named titles, and picks its top quotes
(`min_by` over (probability, input order)); the consensus is chosen per film in a grouped Arrow
task from the summary sentences alone (`corpus.aggregate.choose_consensus`). The driver only
receives those totals (a few rows per film) and puts them in words with the functions
`film_report` uses. Like the store, a review read twice (by identity) counts once, its first
reading kept; a film's title is the one its first review gives, else the one most of its reviews
name (no knowledge base here).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..corpus.aggregate import (
    DEFAULT_LABELS,
    FilmReport,
    Labels,
    PullQuote,
    Quote,
    aspect_share,
    choose_consensus,
    polarisation_of,
    source_agreement,
    stated_ratings,
    time_points,
    wilson_interval,
)
from ..corpus.records import inferred_title, names_a_file

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame

__all__ = ["films", "reviews_of_films"]

_DATE = r"^\s*(\d{4})(?:-(\d{2}))?"  # as `corpus.aggregate._DATE`
_CONSENSUS = "film string, consensus array<struct<id: string, text: string>>"


def reviews_of_films(frame: DataFrame) -> DataFrame:
    """The analysed reviews a store would keep of analysis rows and file under a film: rejects
    left out, each identity once (its first reading, in input order), only those with a film."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    columns = [
        "input", "position", "id", "identity", "film", "film_title", "film_year", "source", "date",
        "rating", "probability", "predicted_rating", "source_rating", "pull_quote", "reviewed_film",
        "reviewed_film_year", "reviewed_film_confidence", "aspects", "consensus_sentences",
    ]  # fmt: skip
    first = Window.partitionBy("identity").orderBy("input", "position")
    analysed = frame.where(F.col("rejected").isNull()).select(*columns)
    once = analysed.withColumn("_n", F.row_number().over(first)).where("_n = 1").drop("_n")
    return once.where(F.col("film").isNotNull()).withColumn(
        "positive", (F.coalesce(F.col("probability"), F.lit(0.0)) >= 0.5).cast("int")
    )


def films(frame: DataFrame, labels: Labels = DEFAULT_LABELS) -> list[FilmReport]:
    """A `FilmReport` for every film of the analysis rows (`columnar.ANALYSIS_COLUMNS`), by key.
    Quotes name reviews by their record id. Reports are totalled by Spark; the driver holds a
    few rows per film, never a film's reviews."""
    from pyspark.sql import functions as F

    rows = reviews_of_films(frame).cache()
    try:
        rating = F.coalesce(F.col("rating"), F.lit(0.0))
        band = F.least(F.lit(9), F.floor(rating))
        predicted = F.coalesce(F.col("predicted_rating"), rating)
        stated = F.col("source_rating")
        order = F.struct("input", "position")
        quote = F.struct("id", "pull_quote", rating.alias("rating"))
        quoted = F.col("pull_quote").isNotNull()
        up, down = F.col("positive") == 1, F.col("positive") == 0
        totals = rows.groupBy("film").agg(
            F.count(F.lit(1)).alias("n"),
            F.sum("positive").alias("positive"),
            F.avg(rating).alias("mean"),
            F.array(*[F.sum((band == b).cast("int")) for b in range(10)]).alias("histogram"),
            F.sum((rating >= 7).cast("int")).alias("high"),
            F.sum(F.when(rating >= 7, rating).otherwise(0.0)).alias("high_sum"),
            F.sum((rating <= 4).cast("int")).alias("low"),
            F.sum(F.when(rating <= 4, rating).otherwise(0.0)).alias("low_sum"),
            F.count(stated).alias("stated"),
            F.sum(stated).alias("stated_sum"),
            F.sum(F.when(stated.isNotNull(), predicted)).alias("predicted_sum"),
            F.sum(F.abs(stated - predicted)).alias("gap_sum"),
            F.min_by(F.struct("film_title", "film_year"), order).alias("given"),
            F.min_by(quote, F.when(up & quoted, F.struct(-F.col("probability"), order))).alias("top_up"),
            F.min_by(quote, F.when(down & quoted, F.struct(F.col("probability"), order))).alias("top_down"),
        )
        sources = rows.groupBy("film", "source").agg(
            F.count(F.lit(1)).alias("n"),
            F.sum(rating).alias("rating_sum"),
            F.sum("positive").alias("positive"),
            F.count(stated).alias("stated"),
            F.sum(stated).alias("stated_sum"),
            F.min(order).alias("first"),
        )
        judged = rows.select("film", "input", "position", F.posexplode("aspects").alias("at", "aspect"))
        aspects = judged.groupBy("film", F.col("aspect.name").alias("name")).agg(
            F.count(F.lit(1)).alias("n"),
            *[
                F.sum((F.col("aspect.polarity") == p).cast("int")).alias(p)
                for p in ("positive", "negative", "mixed")
            ],
            F.min(F.struct("input", "position", "at")).alias("first"),
        )
        dated = rows.select(
            "film", "positive", rating.alias("rating"),
            F.regexp_extract(F.coalesce(F.col("date"), F.lit("")), _DATE, 1).alias("year"),
            F.regexp_extract(F.coalesce(F.col("date"), F.lit("")), _DATE, 2).alias("month"),
        ).where(F.col("year") != "")  # fmt: skip
        months = dated.groupBy("film", "year", "month").agg(
            F.count(F.lit(1)).alias("n"),
            F.sum("rating").alias("rating_sum"),
            F.sum("positive").alias("positive"),
        )
        named = (
            rows.where(F.col("reviewed_film").isNotNull())
            .groupBy("film", "reviewed_film", "reviewed_film_year")
            .agg(F.count(F.lit(1)).alias("n"), F.max("reviewed_film_confidence").alias("sure"))
        )
        offered = rows.select(
            "film", "input", "position", "id", "positive",
            F.col("aspects.name").alias("names"), F.col("aspects.polarity").alias("polarities"),
            "consensus_sentences",
        )  # fmt: skip
        consensus = offered.groupBy("film").applyInArrow(_consensus, _CONSENSUS)
        gathered = {
            name: _by_film(table.collect())
            for name, table in (
                ("sources", sources), ("aspects", aspects), ("months", months), ("named", named),
                ("consensus", consensus),
            )
        }  # fmt: skip
        return [
            _report(total, gathered, labels) for total in sorted(totals.collect(), key=lambda t: t["film"])
        ]
    finally:
        rows.unpersist()


def _by_film(rows: list[Any]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for row in rows:
        found.setdefault(row["film"], []).append(row)
    return found


def _consensus(table: pa.Table) -> pa.Table:
    """One film's consensus, from its reviews' summary sentences in input order."""
    import pyarrow as pa

    reviews = sorted(table.to_pylist(), key=lambda r: (r["input"], r["position"]))
    majority_positive = sum(r["positive"] for r in reviews) * 2 >= len(reviews)
    parts = [
        (
            (r["input"], r["position"]),
            bool(r["positive"]),
            list(zip(r["names"] or [], r["polarities"] or [], strict=True)),
            [(s["text"], s["score"], s["aspects"] or []) for s in r["consensus_sentences"] or []],
        )
        for r in reviews
    ]
    ids = {(r["input"], r["position"]): r["id"] for r in reviews}
    chosen = [{"id": ids[key], "text": text} for key, text in choose_consensus(parts, majority_positive)]
    film = reviews[0]["film"] if reviews else None
    return pa.Table.from_pylist(
        [{"film": film, "consensus": chosen}],
        schema=pa.schema(
            [
                ("film", pa.string()),
                ("consensus", pa.list_(pa.struct([("id", pa.string()), ("text", pa.string())]))),
            ]
        ),
    )


def _report(t: Any, gathered: dict[str, dict[str, list[Any]]], labels: Labels) -> FilmReport:
    """One film's report from its totals, as `corpus.aggregate.film_report` puts them."""
    key, n, positive, mean = t["film"], int(t["n"]), int(t["positive"]), float(t["mean"])
    majority_positive = positive * 2 >= n
    title, year = t["given"]["film_title"], t["given"]["film_year"]
    title_share = None
    if not title:
        named = [(r["reviewed_film"], r["reviewed_film_year"], int(r["n"]), float(r["sure"] or 0.0))
                 for r in gathered["named"].get(key, [])]  # fmt: skip
        found = inferred_title(named, n)
        if found is not None:
            title, year, title_share = found.title, year or found.year, found.share
    critics = sorted(gathered["sources"].get(key, []), key=lambda r: (-r["n"], tuple(r["first"])))
    aspects = sorted(gathered["aspects"].get(key, []), key=lambda r: (-r["n"], tuple(r["first"])))
    months = {
        (r["year"], r["month"] or None): (int(r["n"]), float(r["rating_sum"]), int(r["positive"]))
        for r in gathered["months"].get(key, [])
    }
    chosen = gathered["consensus"].get(key, [])
    return FilmReport(
        key=key,
        title=title,
        year=year,
        reviews=n,
        share_positive=round(positive / n, 4),
        share_positive_interval=wilson_interval(positive, n),
        mean_rating=round(mean, 2),
        score=round(mean * 10),
        rating_histogram=[int(b) for b in t["histogram"]],
        aspects={
            r["name"]: aspect_share(int(r["n"]), int(r["positive"]), int(r["negative"]), int(r["mixed"]))
            for r in aspects
        },
        consensus=[Quote(q["id"], q["text"]) for q in (chosen[0]["consensus"] if chosen else [])],
        top_positive=_pull_quote(t["top_up"]),
        top_negative=_pull_quote(t["top_down"]),
        polarisation=polarisation_of(
            n, int(t["high"]), float(t["high_sum"]), int(t["low"]), float(t["low_sum"])
        ),
        sources=[
            source_agreement(
                r["source"],
                int(r["n"]),
                float(r["rating_sum"]),
                int(r["positive"]) if majority_positive else int(r["n"]) - int(r["positive"]),
                int(r["stated"]),
                float(r["stated_sum"] or 0.0),
            )
            for r in critics
            if not names_a_file(r["source"])
        ],  # fmt: skip
        uncredited_reviews=sum(int(r["n"]) for r in critics if names_a_file(r["source"])),
        title_share=title_share,
        stated=stated_ratings(
            int(t["stated"]),
            float(t["stated_sum"] or 0.0),
            float(t["predicted_sum"] or 0.0),
            float(t["gap_sum"] or 0.0),
        ),
        standing=labels.standing(positive, n),
        score_words=labels.score_words(round(mean * 10), n),
        over_time=time_points(months),
    )


def _pull_quote(row: Any) -> PullQuote | None:
    return None if row is None else PullQuote(row["id"], row["pull_quote"], float(row["rating"]))
