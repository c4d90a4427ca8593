"""reelsense: read film reviews and turn them into structured, explainable knowledge, offline.

import reelsense
r = reelsense.analyze(text)
r.verdict, r.probability, r.rating
for r in reelsense.analyze_many(texts, batch_size=256, jobs=2): ...
"""

from .errors import InputError, ModelError, ReelsenseError, SourceError
from .model import VerdictModel
from .pipeline import Item, Pipeline, Rejected, analyze, analyze_many
from .review import FLAGS, SCHEMA_VERSION, Grade, Phrase, Review, Sentence, schema_path

__version__ = "0.1.0"

__all__ = [
    "FLAGS",
    "SCHEMA_VERSION",
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
