import gzip
import json
from itertools import islice
from pathlib import Path

from reelsense import Pipeline, VerdictModel
from reelsense.anatomy.opinion import OpinionModel
from reelsense.anatomy.sentence_model import SentenceModel
from reelsense.verdict.train import TrainingConfig, train

from ..conftest import IMDB, imdb_slice


def _small_imdb(folder: Path, reviews: int) -> Path:
    """An IMDB folder of `reviews` train reviews spread over train (both labels) and as many unsup."""
    folder.mkdir()
    rows = imdb_slice("train", 25_000 // reviews)  # skips without the shared data
    with gzip.open(folder / "train.jsonl.gz", "wb") as f:
        f.writelines(_line(row) for row in rows[:reviews])
    with gzip.open(IMDB / "unsup.jsonl.gz", "rb") as source, gzip.open(folder / "unsup.jsonl.gz", "wb") as f:
        f.writelines(islice(source, reviews))
    return folder


def _line(row: dict) -> bytes:
    return (json.dumps(row) + "\n").encode("utf-8")


def test_train_is_reproducible_bit_for_bit(tmp_path: Path) -> None:
    # The shipped model's code path on 200 reviews and 2**12 weights, in seconds: vectors that small
    # stay under the size where OpenBLAS splits L-BFGS's vector operations over threads, which on a
    # busy two-core machine made each training take ten times longer.
    data = _small_imdb(tmp_path / "imdb", 200)
    config = TrainingConfig(bits=12, folds=3, max_iter=50)
    report = train(data, tmp_path / "a.zip", config)
    train(data, tmp_path / "b.zip", config)
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    assert report["trained_on"]["reviews"] == 200
    model = VerdictModel.load(tmp_path / "a.zip")
    assert model.hasher.size == 1 << 12
    review = Pipeline(model).analyze("A wonderful, moving film.")
    assert review.model == f"reelsense-nblr@1.0.0+{OpinionModel.load().name}+{SentenceModel.load().name}"
    assert model.params["negators"] == list(TrainingConfig().negators)  # saved with the feature settings
