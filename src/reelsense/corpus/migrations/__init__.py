"""Alembic migrations of the project's database: `store.migrate(url)` applies them, recording the
version in the database's `alembic_version` table."""
