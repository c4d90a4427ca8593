"""The corpus: one migrated database (schema, Alembic migrations), the store of reviews and their
analyses, ingest of record streams into it, and per-film aggregation.

May import: the library (`reelsense.pipeline` and below). Never the CLI or web layers.
"""
