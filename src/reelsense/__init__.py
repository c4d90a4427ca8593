"""reelsense: read film reviews and turn them into structured, explainable knowledge, offline.

import reelsense
r = reelsense.analyze(text)
r.verdict, r.probability, r.rating
r.aspects, r.pull_quote, r.summary, r.sentences[0].sentiment
for r in reelsense.analyze_many(texts, batch_size=256, jobs=2): ...
"""

from .anatomy.aspects import ASPECTS
from .errors import InputError, ModelError, ReelsenseError, SourceError
from .pipeline import Pipeline, analyze, analyze_many
from .review import (
    FLAGS,
    SCHEMA_VERSION,
    Aspect,
    Evidence,
    Excerpt,
    Grade,
    Item,
    Phrase,
    Rejected,
    Review,
    Sentence,
    schema_path,
)
from .verdict.model import VerdictModel

__version__ = "0.1.0"

__all__ = [
    "ASPECTS",
    "FLAGS",
    "SCHEMA_VERSION",
    "Aspect",
    "Evidence",
    "Excerpt",
    "Grade",
    "InputError",
    "Item",
    "ModelError",
    "Phrase",
    "Pipeline",
    "ReelsenseError",
    "Rejected",
    "Review",
    "Sentence",
    "SourceError",
    "VerdictModel",
    "__version__",
    "analyze",
    "analyze_many",
    "schema_path",
]
