"""reelsense: read film reviews and turn them into structured, explainable knowledge, offline.

import reelsense
r = reelsense.analyze(text)
r.verdict, r.probability, r.rating
r.aspects, r.pull_quote, r.summary, r.sentences[0].sentiment
for r in reelsense.analyze_many(texts, batch_size=256, jobs=2): ...
reelsense.to_frame(results)   # a pandas DataFrame (reelsense[frames]); a Review renders in notebooks

Importing reelsense loads the text, models and stages only: the database (`reelsense.corpus`,
`reelsense.kb`), the web service (`reelsense.web`) and the terminal (`reelsense.cli`) load when used.
"""

from .anatomy.aspects import ASPECTS
from .anatomy.opinion import OpinionModel
from .batching import DEFAULT_BATCH_SIZE
from .errors import InputError, ModelError, ReelsenseError, SourceError, StageError, StoreError
from .frames import aspects_frame, mentions_frame, to_frame
from .pipeline import Pipeline, analyze, analyze_many
from .review import (
    FLAGS,
    SCHEMA_VERSION,
    Aspect,
    Check,
    Evidence,
    Excerpt,
    Grade,
    Item,
    Mention,
    Phrase,
    Rejected,
    Review,
    ReviewedFilm,
    Sentence,
    schema_path,
)
from .stage import Stage
from .verdict.model import VerdictModel

__version__ = "0.1.0"

__all__ = [
    "ASPECTS",
    "DEFAULT_BATCH_SIZE",
    "FLAGS",
    "SCHEMA_VERSION",
    "Aspect",
    "Check",
    "Evidence",
    "Excerpt",
    "Grade",
    "InputError",
    "Item",
    "Mention",
    "ModelError",
    "OpinionModel",
    "Phrase",
    "Pipeline",
    "ReelsenseError",
    "Rejected",
    "Review",
    "ReviewedFilm",
    "Sentence",
    "SourceError",
    "Stage",
    "StageError",
    "StoreError",
    "VerdictModel",
    "__version__",
    "analyze",
    "analyze_many",
    "aspects_frame",
    "mentions_frame",
    "schema_path",
    "to_frame",
]
