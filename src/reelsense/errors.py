"""The exceptions reelsense raises, all rooted in one class.

ReelsenseError          anything reelsense raises on purpose
├── InputError          one input record cannot be analysed (empty, binary, too long, …);
│                       carries the record's id and the reason, so a batch can report and go on
├── SourceError         an input source as a whole cannot be read (missing file, unknown format)
├── ModelError          a model file is missing, corrupt or of an incompatible version
├── StoreError          the database cannot be opened, migrated or written (a bad or unreachable
│                       URL, an unsupported kind of database, a file that cannot be written)
└── StageError          a pipeline stage broke its contract (needs what no earlier stage fills,
                        or returned the wrong number or type of results); names the stage
"""

from __future__ import annotations

__all__ = ["ReelsenseError", "InputError", "SourceError", "ModelError", "StoreError", "StageError"]


class ReelsenseError(Exception):
    """Root of every exception reelsense raises on purpose."""


class InputError(ReelsenseError):
    """One record cannot be analysed; `record` names it and `reason` says why."""

    def __init__(self, record: str | None, reason: str) -> None:
        self.record = record
        self.reason = reason
        where = f"record {record}: " if record is not None else ""
        super().__init__(f"{where}{reason}")

    def __reduce__(self) -> tuple[type, tuple[str | None, str]]:
        return (type(self), (self.record, self.reason))


class SourceError(ReelsenseError):
    """An input source cannot be read at all."""


class ModelError(ReelsenseError):
    """A model file is missing, corrupt or incompatible."""


class StoreError(ReelsenseError):
    """The database cannot be opened, migrated or written."""


class StageError(ReelsenseError):
    """A pipeline stage broke its contract; `stage` names it."""

    def __init__(self, stage: str, problem: str) -> None:
        self.stage = stage
        self.problem = problem
        super().__init__(f"stage {stage!r} {problem}")

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        return (type(self), (self.stage, self.problem))
