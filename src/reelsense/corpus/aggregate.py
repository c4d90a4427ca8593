"""Per-film and per-critic summaries: pure functions over stored reviews, no model, no database.

A film's reviews become a `FilmReport`: the share of positive reviews with a Wilson 95% interval (so
3 reviews do not look as sure as 300), mean rating and a 0–100 score, the rating histogram, the
aspect profile, a consensus of 2–3 sentences from different reviews that agree with most critics,
the strongest pull quote each way, how polarised the reviews are, and each source's agreement.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from ..review import Review
from .records import FilmRow, StoredReview, film_of, names_a_file, title_key

__all__ = [
    "FilmSummary",
    "FilmReport",
    "AspectShare",
    "Quote",
    "PullQuote",
    "SourceAgreement",
    "StatedRatings",
    "TimePoint",
    "Labels",
    "DEFAULT_LABELS",
    "SCORE_BANDS",
    "film_report",
    "film_listing",
    "matching",
    "find_film",
    "FILM_ORDERS",
    "wilson_interval",
    "polarisation",
    "CONSENSUS_SENTENCES",
    "consensus_sentences",
    "consensus_column",
    "consensus_part",
    "choose_consensus",
    "pick_consensus",
    "polarisation_of",
    "aspect_share",
    "source_agreement",
    "stated_ratings",
    "time_points",
]

CONSENSUS_SENTENCES = 3
Z95 = 1.959964


def wilson_interval(positive: int, total: int) -> tuple[float, float]:
    """The Wilson score 95% interval for a share of `positive` out of `total`."""
    if total == 0:
        return 0.0, 1.0
    p = positive / total
    centre = (p + Z95 * Z95 / (2 * total)) / (1 + Z95 * Z95 / total)
    half = Z95 * math.sqrt(p * (1 - p) / total + Z95 * Z95 / (4 * total * total)) / (1 + Z95 * Z95 / total)
    return round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)


def polarisation(ratings: Sequence[float]) -> float:
    """0 when reviewers agree, towards 1 when they split into camps: twice the smaller of the shares
    of ratings at or above 7 and at or below 4, scaled by how far apart the camps sit."""
    high = [r for r in ratings if r >= 7]
    low = [r for r in ratings if r <= 4]
    return polarisation_of(len(ratings), len(high), sum(high), len(low), sum(low))


def polarisation_of(n: int, high: int, high_sum: float, low: int, low_sum: float) -> float:
    """`polarisation` from totals: of `n` ratings, `high` at or above 7 summing to `high_sum`, `low`
    at or below 4 summing to `low_sum` (what a database or Spark can total)."""
    if n < 2 or not high or not low:
        return 0.0
    balance = 2 * min(high, low) / n
    gap = (high_sum / high - low_sum / low) / 10
    return round(min(1.0, balance * gap * 1.5), 3)


# The words a 0–100 score is put in (its lowest score each), where enough reviews give one.
SCORE_BANDS = ((81, "acclaimed"), (61, "favourable"), (40, "mixed"), (20, "unfavourable"), (0, "panned"))


@dataclass(frozen=True, slots=True)
class Labels:
    """How a film's standing is put in words: our own names, on the thresholds people know from the
    aggregators (`../shared/data/grades.md`). A film is *liked* when at least `liked_share` of its
    reviews are positive, *not liked* below that, once it has `liked_reviews`; *widely liked* when at
    least `widely_share` are, of at least `widely_reviews`, and the low end of the share's 95% interval
    clears `liked_share` too. Its score has words (`SCORE_BANDS`) from `score_reviews` reviews on."""

    liked_share: float = 0.60
    liked_reviews: int = 5
    widely_share: float = 0.75
    widely_reviews: int = 20
    score_reviews: int = 4

    def standing(self, positive: int, reviews: int) -> str | None:
        """ "widely liked", "liked", "not liked", or None with too few reviews to say."""
        if reviews < self.liked_reviews or reviews <= 0:
            return None
        share = positive / reviews
        if (
            reviews >= self.widely_reviews
            and share >= self.widely_share
            and wilson_interval(positive, reviews)[0] >= self.liked_share
        ):
            return "widely liked"
        return "liked" if share >= self.liked_share else "not liked"

    def score_words(self, score: int, reviews: int) -> str | None:
        """The words for a 0–100 score ("favourable"), or None with too few reviews."""
        if reviews < self.score_reviews:
            return None
        return next(words for lowest, words in SCORE_BANDS if score >= lowest)


DEFAULT_LABELS = Labels()


@dataclass(frozen=True, slots=True)
class FilmSummary:
    """One film as lists show it: its totals with the share positive, its interval and a score."""

    key: str
    title: str | None
    year: int | None
    reviews: int
    share_positive: float
    share_positive_interval: tuple[float, float]
    mean_rating: float
    score: int  # 0–100
    title_share: float | None = None  # a title inferred from the reviews: the share that name it
    standing: str | None = None  # `Labels.standing`
    score_words: str | None = None  # `Labels.score_words`

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# Film lists leave out films with fewer reviews than this unless asked (`--min-reviews 1`): one or
# two reviews make a share of 0%, 50% or 100% that says little, as aggregators know (a Tomatometer
# waits for five). The lists say how many they leave out.
LISTED_REVIEWS = 3

# How film lists can be ordered: by score, by the lower end of the share-positive interval (so a
# film's few glowing reviews do not outrank many good ones), by review count, by title.
FILM_ORDERS: dict[str, Callable[[FilmSummary], tuple[Any, ...]]] = {
    "score": lambda f: (-f.score, -f.reviews),
    "share": lambda f: (-f.share_positive_interval[0], -f.reviews),
    "reviews": lambda f: (-f.reviews, -f.score),
    "title": lambda f: ((f.title or f.key).lower(),),
}


def film_listing(
    rows: Sequence[FilmRow], sort: str = "score", query: str | None = None, labels: Labels = DEFAULT_LABELS
) -> list[FilmSummary]:
    """Films (`Store.film_rows`) with share, interval, score and their words, filtered by the words
    of `query` (in title or key) and ordered by `sort` (a key of FILM_ORDERS)."""
    listed = [
        FilmSummary(
            key=r.key,
            title=r.title,
            year=r.year,
            reviews=r.reviews,
            share_positive=round(r.positive / r.reviews, 4),
            share_positive_interval=wilson_interval(r.positive, r.reviews),
            mean_rating=round(r.mean_rating, 2),
            score=round(r.mean_rating * 10),
            title_share=r.title_share,
            standing=labels.standing(r.positive, r.reviews),
            score_words=labels.score_words(round(r.mean_rating * 10), r.reviews),
        )
        for r in rows
    ]
    return sorted(matching(listed, query), key=FILM_ORDERS[sort])


def find_film(typed: str, listed: Iterable[FilmSummary | FilmRow]) -> str | None:
    """The key of the film `typed` names among `listed`: its key as typed; the key ingest makes of
    "Title (Year)" (`film_of`: "Past Lives (2023)" is "past lives (2023)"); else its title in any case,
    with or without a leading article (and its year, where typed), the most reviewed first."""
    films = {f.key: f for f in listed}
    if typed in films:
        return typed
    parsed = film_of(typed)
    if parsed is None:
        return None
    key, title, year = parsed
    if key in films:
        return key
    wanted = title_key(title or typed)
    named = [
        f for f in films.values()
        if f.title and title_key(f.title) == wanted and (year is None or f.year == year)
    ]  # fmt: skip
    return max(named, key=lambda f: (f.reviews, f.key)).key if named else None


def matching(listed: Sequence[FilmSummary], query: str | None) -> list[FilmSummary]:
    """The films (in their order) whose title or key holds every word of `query`."""
    words = query.lower().split() if query else []
    if not words:
        return list(listed)
    return [f for f in listed if all(w in f"{f.title or ''} {f.key}".lower() for w in words)]


@dataclass(frozen=True, slots=True)
class AspectShare:
    """How many of a film's reviews judge an aspect, the share of them that praise it, and how many
    praise, criticise, or both."""

    reviews: int
    share_positive: float  # mixed counts as half
    positive: int = 0
    negative: int = 0
    mixed: int = 0


@dataclass(frozen=True, slots=True)
class Quote:
    """A sentence of the consensus, and the review it comes from."""

    review_id: int
    text: str


@dataclass(frozen=True, slots=True)
class PullQuote:
    """A review's pull quote, with the review and its rating."""

    review_id: int
    text: str
    rating: float


@dataclass(frozen=True, slots=True)
class SourceAgreement:
    """One critic's reviews of a film: how many, their mean rating, how often they side with most,
    and their own mean rating where they gave one. Reviews read from a file that named no critic are
    no critic's, and are only counted (`FilmReport.uncredited_reviews`)."""

    source: str
    reviews: int
    mean_rating: float
    agreement: float
    mean_stated_rating: float | None = None  # the source's own ratings (`--rating-field`), where given


@dataclass(frozen=True, slots=True)
class StatedRatings:
    """The reviewers' own ratings of a film (`ingest --rating-field`) beside the model's, on the
    same reviews: how many state one, their mean, the model's mean, and the mean gap between them."""

    reviews: int
    mean: float
    predicted_mean: float
    mean_absolute_difference: float


@dataclass(frozen=True, slots=True)
class TimePoint:
    """A film's reviews of one month (or year): how many, their mean rating, the share positive."""

    period: str  # "2024-03", or "2024" when the reviews span more than three years
    reviews: int
    mean_rating: float
    share_positive: float


@dataclass(frozen=True, slots=True)
class FilmReport:
    """One film summed up from its reviews; `to_dict()` is the JSON the API and `reelsense film` give."""

    key: str
    title: str | None
    year: int | None
    reviews: int
    share_positive: float
    share_positive_interval: tuple[float, float]
    mean_rating: float
    score: int  # 0–100
    rating_histogram: list[int]  # reviews per rating band [0,1), [1,2) … [9,10]
    aspects: dict[str, AspectShare]  # most judged first
    consensus: list[Quote]
    top_positive: PullQuote | None
    top_negative: PullQuote | None
    polarisation: float
    sources: list[SourceAgreement]  # each critic named, the most prolific first
    uncredited_reviews: int = 0  # reviews that name no critic (their source is the file read)
    title_share: float | None = None  # a title inferred from the reviews: the share that name it
    stated: StatedRatings | None = None  # None when no review came with its own rating
    standing: str | None = None  # `Labels.standing`
    score_words: str | None = None  # `Labels.score_words`
    over_time: list[TimePoint] = field(default_factory=list)  # by the reviews' dates, where they have one

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _rating(r: StoredReview) -> float:
    return float(r.review.rating or 0.0)  # every stored analysis has one; 0 only to satisfy the type


def _probability(r: StoredReview) -> float:
    return float(r.review.probability or 0.0)


def film_report(
    key: str,
    title: str | None,
    year: int | None,
    rows: Sequence[StoredReview],
    title_share: float | None = None,
    labels: Labels = DEFAULT_LABELS,
) -> FilmReport:
    """Sum up one film's stored reviews (as `Store.film_reviews` gives them); `title_share` where the
    title was inferred from them (`Store.film_rows`)."""
    n = len(rows)
    positive = sum(r.positive for r in rows)
    ratings = [_rating(r) for r in rows]
    mean = sum(ratings) / n if n else 0.0
    histogram = [0] * 10
    for rating in ratings:
        histogram[min(9, int(rating))] += 1
    majority_positive = positive * 2 >= n
    return FilmReport(
        key=key,
        title=title,
        year=year,
        reviews=n,
        share_positive=round(positive / n, 4) if n else 0.0,
        share_positive_interval=wilson_interval(positive, n),
        mean_rating=round(mean, 2),
        score=round(mean * 10),
        rating_histogram=histogram,
        aspects=_aspect_profile(rows),
        consensus=_consensus(rows, majority_positive),
        top_positive=_top_quote(rows, 1),
        top_negative=_top_quote(rows, -1),
        polarisation=polarisation(ratings),
        sources=_sources([r for r in rows if not names_a_file(r.source)], majority_positive),
        uncredited_reviews=sum(names_a_file(r.source) for r in rows),
        title_share=title_share,
        stated=_stated(rows),
        standing=labels.standing(positive, n),
        score_words=labels.score_words(round(mean * 10), n),
        over_time=_over_time(rows),
    )


_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{2}))?")
MONTHS_SHOWN = 36  # reviews spanning more months than this are grouped by year


def _over_time(rows: Sequence[StoredReview]) -> list[TimePoint]:
    totals: dict[tuple[str, str | None], list[float]] = {}
    for r in rows:
        m = _DATE.match(r.date or "")
        if m:
            total = totals.setdefault((m.group(1), m.group(2)), [0, 0.0, 0])
            total[0] += 1
            total[1] += _rating(r)
            total[2] += r.positive
    return time_points({period: (int(n), rating, int(p)) for period, (n, rating, p) in totals.items()})


def time_points(totals: dict[tuple[str, str | None], tuple[int, float, int]]) -> list[TimePoint]:
    """A film's reviews over time from their totals by the (year, month or None) their dates
    start with (ISO: 2024-03-18, 2024-03 or 2024): (how many, the sum of their ratings, how many
    positive). By month, or by year when they span more than `MONTHS_SHOWN` months or some give
    only a year; dates that are no dates are left out."""
    dated = {(y, mo): t for (y, mo), t in totals.items() if 1 <= int(mo or 1) <= 12}
    if not dated:
        return []
    by_month = len(dated) <= MONTHS_SHOWN and all(mo for _, mo in dated)
    groups: dict[str, list[float]] = {}
    for (year, month), (n, rating_sum, positive) in dated.items():
        group = groups.setdefault(f"{year}-{month}" if by_month else year, [0, 0.0, 0])
        group[0] += n
        group[1] += rating_sum
        group[2] += positive
    return [
        TimePoint(period, int(n), round(rating_sum / n, 2), round(positive / n, 4))
        for period, (n, rating_sum, positive) in sorted(groups.items())
    ]


def _predicted(r: StoredReview) -> float:
    """The model's rating (not a grade the text states): what a stated rating is compared with."""
    value = r.review.predicted_rating if r.review.predicted_rating is not None else r.review.rating
    return float(value or 0.0)


def _stated(rows: Sequence[StoredReview]) -> StatedRatings | None:
    rated = [r for r in rows if r.source_rating is not None]
    stated = [float(r.source_rating or 0.0) for r in rated]
    predicted = [_predicted(r) for r in rated]
    gap = sum(abs(a - b) for a, b in zip(stated, predicted, strict=True))
    return stated_ratings(len(rated), sum(stated), sum(predicted), gap)


def stated_ratings(n: int, stated_sum: float, predicted_sum: float, gap_sum: float) -> StatedRatings | None:
    """`StatedRatings` from the totals of the `n` reviews that state a rating: their sum, the sum of
    the model's ratings of them and of the gaps between the two; None when none states one."""
    if not n:
        return None
    return StatedRatings(n, round(stated_sum / n, 2), round(predicted_sum / n, 2), round(gap_sum / n, 2))


def _aspect_profile(rows: Sequence[StoredReview]) -> dict[str, AspectShare]:
    counts: Counter[str] = Counter()
    by_polarity: Counter[tuple[str, str]] = Counter()
    for r in rows:
        for aspect in r.review.aspects:
            counts[aspect.name] += 1
            by_polarity[aspect.name, aspect.polarity] += 1
    return {
        name: aspect_share(count, *(by_polarity[name, p] for p in ("positive", "negative", "mixed")))
        for name, count in counts.most_common()
    }


def aspect_share(reviews: int, positive: int, negative: int, mixed: int) -> AspectShare:
    """How a film's reviews judge one aspect, from how many praise, criticise, or do both."""
    return AspectShare(reviews, round((positive + 0.5 * mixed) / reviews, 3), positive, negative, mixed)


def consensus_sentences(review: Review) -> list[tuple[str, float, list[str]]]:
    """The review's summary sentences that judge (narration left out), each with its reading
    (P(positive)) and the aspects it is evidence for: what a film's consensus is chosen from."""
    chosen = []
    for excerpt in review.summary:
        sentence = next((s for s in review.sentences if s.start == excerpt.start), None)
        if sentence is None or sentence.kind == "narration":
            continue
        judged = [a.name for a in review.aspects if any(e.start == excerpt.start for e in a.evidence)]
        chosen.append((excerpt.text, sentence.score, judged))
    return chosen


def consensus_column(review: Review) -> list[list[Any]]:
    """What the store keeps of a review for its film's consensus (`analyses.consensus`): each of
    its `consensus_sentences` as [text, reading, [[aspect, polarity], …]]."""
    polarity = {a.name: a.polarity for a in review.aspects}
    return [
        [text, score, [[name, polarity[name]] for name in judged]]
        for text, score, judged in consensus_sentences(review)
    ]


def consensus_part(review_id: Any, positive: bool, column: Sequence[Sequence[Any]]) -> ConsensusPart:
    """A review's part in its film's consensus from its `consensus_column`: its aspects there are
    the ones its sentences judge, the only ones a sentence's weight counts."""
    aspects = dict.fromkeys((name, polarity) for _, _, judged in column for name, polarity in judged)
    sentences = [(text, score, [name for name, _ in judged]) for text, score, judged in column]
    return review_id, positive, list(aspects), sentences


# What one review offers a film's consensus: its id, whether it is positive, its aspects as
# (name, polarity), and its `consensus_sentences`.
ConsensusPart = tuple[Any, bool, Sequence[tuple[str, str]], Sequence[tuple[str, float, Sequence[str]]]]


def _consensus(rows: Sequence[StoredReview], majority_positive: bool) -> list[Quote]:
    parts = [
        (r.id, r.positive, [(a.name, a.polarity) for a in r.review.aspects], consensus_sentences(r.review))
        for r in rows
    ]
    return [Quote(review_id, text) for review_id, text in choose_consensus(parts, majority_positive)]


def choose_consensus(parts: Sequence[ConsensusPart], majority_positive: bool) -> list[tuple[Any, str]]:
    """2–3 sentences from different reviews that say what most critics said, as (review id, text),
    from each review's part in the order the reviews were stored (`pick_consensus`)."""
    agreeing = [p for p in parts if p[1] == majority_positive]
    votes = Counter(aspect for _, _, aspects, _ in agreeing for aspect in aspects)
    return pick_consensus(agreeing, votes, len(agreeing), majority_positive)


# A consensus candidate: its rank (minus its worth, then its place), review id, text and aspects.
_Candidate = tuple[tuple[float, int], Any, str, frozenset[str]]


def pick_consensus(
    agreeing: Iterable[ConsensusPart],
    votes: Mapping[tuple[str, str], int],
    count: int,
    majority_positive: bool,
) -> list[tuple[Any, str]]:
    """The consensus from the parts of the `count` reviews on the majority's side, in the order
    they were stored, and `votes`: how many of them judge each (aspect, polarity).

    Candidates are those reviews' summary sentences. Each is worth how many reviews on that side
    judge the same aspects the same way, plus how strongly it reads, so the sentences chosen speak
    for many reviews, not one; a further pick should add an aspect, though at least two sentences
    are given where two reviews offer one. The parts are read once and only the candidates a pick
    can reach are kept (for each set of aspects, and overall, the best sentence of each of the
    three best reviews: a pick passes over at most two chosen reviews), so memory does not grow
    with the number of reviews.
    """
    side = 1 if majority_positive else -1
    by_aspects: dict[frozenset[str], dict[Any, _Candidate]] = {}
    overall: dict[Any, _Candidate] = {}
    place = 0
    for review_id, _, aspects, sentences in agreeing:
        for text, score, judged_names in sentences:
            lean = (2 * score - 1) * side
            if lean <= 0.2:
                continue
            judged = frozenset(judged_names)
            weight = sum(votes.get((name, polarity), 0) for name, polarity in aspects if name in judged)
            candidate = ((-(lean + weight / max(1, count)), place), review_id, text, judged)
            place += 1
            _keep_best(by_aspects.setdefault(judged, {}), candidate)
            _keep_best(overall, candidate)
    kept = {c[0]: c for best in (*by_aspects.values(), overall) for c in best.values()}
    ranked = [kept[rank] for rank in sorted(kept)]
    chosen: list[tuple[Any, str]] = []
    covered: set[str] = set()
    used: set[Any] = set()
    for _, review_id, text, judged in ranked:  # first, sentences that each add an aspect
        if review_id in used or (chosen and judged <= covered) or len(chosen) == CONSENSUS_SENTENCES:
            continue
        chosen.append((review_id, text))
        used.add(review_id)
        covered |= judged
    for _, review_id, text, _ in ranked:  # then at least two, from different reviews
        if len(chosen) >= 2:
            break
        if review_id not in used:
            chosen.append((review_id, text))
            used.add(review_id)
    return chosen


def _keep_best(
    best: dict[Any, _Candidate], candidate: _Candidate, reviews: int = CONSENSUS_SENTENCES
) -> None:
    """Keep in `best` (by review id) each review's best candidate, of the `reviews` best reviews."""
    review_id = candidate[1]
    held = best.get(review_id)
    if held is None or candidate[0] < held[0]:
        best[review_id] = candidate
    if len(best) > reviews:
        del best[max(best, key=lambda r: best[r][0])]


def _top_quote(rows: Sequence[StoredReview], side: int) -> PullQuote | None:
    quoted = [r for r in rows if r.review.pull_quote and r.positive == (side > 0)]
    if not quoted:
        return None
    best = max(quoted, key=lambda r: side * (_probability(r) - 0.5))
    assert best.review.pull_quote is not None
    return PullQuote(best.id, best.review.pull_quote.text, _rating(best))


def _sources(rows: Sequence[StoredReview], majority_positive: bool) -> list[SourceAgreement]:
    by_source: dict[str, list[StoredReview]] = {}
    for r in rows:
        by_source.setdefault(r.source, []).append(r)
    agreements = []
    for name, mine in by_source.items():
        stated = [float(r.source_rating) for r in mine if r.source_rating is not None]
        agreeing = sum(r.positive == majority_positive for r in mine)
        rating_sum = sum(_rating(r) for r in mine)
        agreements.append(source_agreement(name, len(mine), rating_sum, agreeing, len(stated), sum(stated)))
    return sorted(agreements, key=lambda a: -a.reviews)


def source_agreement(
    name: str, reviews: int, rating_sum: float, agreeing: int, stated: int, stated_sum: float
) -> SourceAgreement:
    """One critic's `SourceAgreement` from the totals of their reviews of a film: how many, the sum
    of their ratings, how many side with most, how many state a rating and the sum of those."""
    return SourceAgreement(
        source=name,
        reviews=reviews,
        mean_rating=round(rating_sum / reviews, 2),
        agreement=round(agreeing / reviews, 3),
        mean_stated_rating=round(stated_sum / stated, 2) if stated else None,
    )
