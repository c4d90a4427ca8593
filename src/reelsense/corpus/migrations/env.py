"""Alembic environment: runs migrations on the connection `store.migrate` hands over."""

from __future__ import annotations

from alembic import context

from reelsense.corpus.schema import in_metadata, metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection, target_metadata=metadata, render_as_batch=True, include_object=in_metadata
)
with context.begin_transaction():
    context.run_migrations()
