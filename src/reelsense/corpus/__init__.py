"""The corpus: one migrated database (schema, Alembic migrations), the store of reviews and their
analyses with the typed records it takes and gives back, ingest of record streams into it, and
per-film aggregation over those records.

May import: the library (`reelsense.pipeline` and below). Never the CLI or web layers.
"""
