from pathlib import Path

from reelsense import Pipeline, VerdictModel
from reelsense.anatomy.opinion import OpinionModel
from reelsense.verdict.train import TrainingConfig, train

from ..conftest import IMDB, imdb_slice


def test_train_is_reproducible_bit_for_bit(tmp_path: Path) -> None:
    imdb_slice("train", 10_000)  # skips without the shared data
    config = TrainingConfig(limit=300, folds=3, max_iter=50)
    report = train(IMDB, tmp_path / "a.zip", config)
    train(IMDB, tmp_path / "b.zip", config)
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    assert report["trained_on"]["reviews"] == 300
    model = VerdictModel.load(tmp_path / "a.zip")
    review = Pipeline(model).analyze("A wonderful, moving film.")
    assert review.model == f"reelsense-nblr@1.0.0+{OpinionModel.load().name}"


def test_train_shipped_model_holds_its_accuracy_on_an_imdb_test_slice(pipeline: Pipeline) -> None:
    rows = imdb_slice("test", 25)
    results = list(pipeline.analyze_many([r["text"] for r in rows], batch_size=256))
    correct = sum(
        (r.probability >= 0.5) == (row["label"] == "pos") for r, row in zip(results, rows, strict=True)
    )
    assert len(rows) == 1000
    assert correct / len(rows) >= 0.90
