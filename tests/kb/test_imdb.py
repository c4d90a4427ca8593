from pathlib import Path

import pytest
import sqlalchemy as sa

from reelsense.corpus.schema import kb_names, kb_titles
from reelsense.errors import SourceError
from reelsense.kb.base import KnowledgeBase
from reelsense.kb.imdb import IMDB_FILES, import_imdb

from .conftest import FILES


def test_imdb_import_counts_rows_and_skips_episodes(tmp_path: Path) -> None:
    seen: list[str] = []
    report = import_imdb(
        FILES, f"sqlite:///{tmp_path / 'kb.sqlite'}", lambda name, done, total: seen.append(name)
    )
    assert report.rows == {
        "title.basics": 6,  # the tvEpisode is left out
        "name.basics": 12,
        "title.principals": 13,  # and its credit
        "title.crew": 4,  # credit rows: one director each for four titles
        "title.ratings": 5,
    }
    assert KnowledgeBase(f"sqlite:///{tmp_path / 'kb.sqlite'}").counts() == {
        "kb_titles": 6, "kb_names": 12, "kb_credits": 17, "kb_ratings": 5,
    }  # fmt: skip
    assert set(seen) == set(report.rows)


def test_imdb_import_reports_each_file_done_in_the_published_order(tmp_path: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    import_imdb(FILES, f"sqlite:///{tmp_path / 'kb.sqlite'}", lambda *call: calls.append(call))
    sizes = {
        name: next(p for p in FILES.iterdir() if p.name.startswith(f"{name}.tsv")).stat().st_size
        for name in IMDB_FILES
    }
    # files this small end before the first batch: one call each, at their full size
    assert calls == [(name, sizes[name], sizes[name]) for name in IMDB_FILES]


def test_imdb_import_stores_keys_for_lookups(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kb.sqlite'}"
    import_imdb(FILES, url)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        title = conn.execute(sa.select(kb_titles).where(kb_titles.c.tconst == 9999902)).one()._asdict()
        name = conn.execute(sa.select(kb_names).where(kb_names.c.nconst == 2136)).one()._asdict()
    engine.dispose()
    assert title == {
        "tconst": 9999902,
        "title_type": "movie",
        "primary_title": "Le Samouraï",
        "original_title": None,  # the same as the primary title
        "start_year": 1967,
        "key": "le samourai",
        "original_key": None,
    }
    assert name == {
        "nconst": 2136,
        "primary_name": "Bernard Herrmann",
        "birth_year": 1911,
        "professions": "composer,music_department",
        "key": "bernard herrmann",
        "sound": "b:h655",
    }


def test_imdb_import_refuses_other_columns(tmp_path: Path) -> None:
    (tmp_path / "title.basics.tsv").write_text("tconst\ttitle\ntt1\tX\n")
    (tmp_path / "name.basics.tsv").write_text((FILES / "name.basics.tsv").read_text())
    with pytest.raises(SourceError, match="title.basics.tsv: expected the columns tconst, titleType"):
        import_imdb(tmp_path, f"sqlite:///{tmp_path / 'kb.sqlite'}")


def test_imdb_import_refuses_a_row_with_missing_fields(tmp_path: Path) -> None:
    (tmp_path / "title.basics.tsv").write_text((FILES / "title.basics.tsv").read_text())
    header = "\t".join(IMDB_FILES["name.basics"])
    (tmp_path / "name.basics.tsv").write_text(f"{header}\nnm0000001\tFred Astaire\n")
    with pytest.raises(SourceError) as caught:
        import_imdb(tmp_path, f"sqlite:///{tmp_path / 'kb.sqlite'}")
    assert str(caught.value) == f"{tmp_path / 'name.basics.tsv'}, line 2: 2 fields, expected 6"


def test_imdb_import_needs_titles_and_names(tmp_path: Path) -> None:
    (tmp_path / "title.basics.tsv").write_text((FILES / "title.basics.tsv").read_text())
    with pytest.raises(SourceError) as caught:
        import_imdb(tmp_path, f"sqlite:///{tmp_path / 'kb.sqlite'}")
    assert str(caught.value) == f"{tmp_path}: needs at least title.basics and name.basics (.tsv or .tsv.gz)"
