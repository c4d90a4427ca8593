"""The tables `corpus/schema.py` declares are exactly the ones the Alembic migrations build."""

import os
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from reelsense.corpus.schema import in_metadata, metadata
from reelsense.corpus.store import open_database

PG = os.environ.get("REELSENSE_TEST_POSTGRES")


def drift(url: str) -> list[object]:
    engine = open_database(url)  # migrates to head
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_object": in_metadata, "compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(context, metadata))


def test_schema_matches_the_migrations_on_sqlite(tmp_path: Path) -> None:
    assert drift(f"sqlite:///{tmp_path / 'fresh.db'}") == []


@pytest.mark.skipif(
    not PG, reason="set REELSENSE_TEST_POSTGRES=postgresql+psycopg://… to test PostgreSQL (CI does)"
)
def test_schema_matches_the_migrations_on_postgresql() -> None:
    assert PG is not None
    assert drift(PG) == []


def test_schema_search_objects_are_left_to_the_migrations() -> None:
    assert [in_metadata(None, name, "table", True, None) for name in ("reviews_fts_data", "reviews")] == [
        False,
        True,
    ]
