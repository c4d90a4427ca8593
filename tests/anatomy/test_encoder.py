"""The optional encoder, with a tiny sentence-transformers model made here (random weights): its
loading, head, digest check, the coherence it brings, and its two commands."""

from __future__ import annotations

import gzip
import json
import pickle
import sys
from pathlib import Path

import numpy as np
import pytest

from reelsense import ModelError, Pipeline
from reelsense.anatomy.encoder import (
    HEAD_FILE,
    Encoder,
    EncoderHead,
    fit_encoder_head,
    folder_digest,
    load_sentence_transformer,
)
from reelsense.cli.main import main

# Snippets we wrote, for the tiny encoder's training set: fresh first, then rotten.
FRESH = ["a superb and moving film", "great fun , superb cast", "a fine , great film", "moving and superb",
         "the cast is great", "superb from start to end", "great film , fine score", "a moving , fine drama",
         "fine and moving", "the film is superb"]  # fmt: skip
ROTTEN = ["an awful and dull film", "dull , boring and long", "the cast is awful", "boring from start to end",
          "awful film , dull score", "a dull , boring drama", "awful and boring", "the film is dull",
          "boring , awful cast", "dull and awful"]  # fmt: skip


def _words() -> list[str]:
    words = {w for text in FRESH + ROTTEN for w in text.split()}
    return ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *sorted(words), ".", "it", "was", "but"]


@pytest.fixture(scope="module")
def encoder_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sentence-transformers folder: a one-layer BERT with 8 numbers a token, mean pooling."""
    pytest.importorskip(
        "sentence_transformers",
        reason="the encoder extra is not installed: pip install -e '.[encoder]' (.ci/run does)",
    )
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    from transformers import BertConfig, BertModel, BertTokenizerFast

    root = tmp_path_factory.mktemp("encoder")
    words = _words()
    (root / "vocab.txt").write_text("\n".join(words), encoding="utf-8")
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(words), hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=16, max_position_embeddings=64,
    )  # fmt: skip
    BertModel(config).save_pretrained(root / "bert")
    BertTokenizerFast(vocab_file=str(root / "vocab.txt"), do_lower_case=True).save_pretrained(root / "bert")
    model = SentenceTransformer(modules=[Transformer(str(root / "bert")), Pooling(8, "mean")])
    model.save(str(root / "model"))
    folder = root / "model"
    embeddings = load_sentence_transformer(folder).encode(FRESH + ROTTEN, normalize_embeddings=True)
    head = fit_encoder_head(np.asarray(embeddings, dtype=np.float64), np.array([True] * 10 + [False] * 10),
                            folder_digest(folder))  # fmt: skip
    (folder / HEAD_FILE).write_text(head.to_json(), encoding="utf-8")
    return folder


def test_encoder_head_reads_its_embeddings(encoder_folder: Path) -> None:
    encoder = Encoder(encoder_folder)
    texts = ["a superb film", "dull and awful"]
    embeddings = encoder.embed(texts)
    assert embeddings.shape == (2, 8)
    assert np.allclose(np.linalg.norm(embeddings, axis=1), 1.0)
    expected = 1 / (1 + np.exp(-(embeddings @ encoder.head.coef + encoder.head.intercept)))
    assert np.allclose(encoder.probability(texts), expected)
    assert encoder.name == f"encoder@{folder_digest(encoder_folder)[:12]}"
    assert set(encoder.head.report["cv_accuracy_by_C"]) == {"0.1", "0.3", "1", "3"}


def test_encoder_head_round_trips_through_its_file(encoder_folder: Path, tmp_path: Path) -> None:
    head = EncoderHead.load(encoder_folder / HEAD_FILE)
    copy = tmp_path / "head.json"
    copy.write_text(head.to_json(), encoding="utf-8")
    assert copy.read_bytes() == (encoder_folder / HEAD_FILE).read_bytes()


def test_encoder_pickles_without_its_model(encoder_folder: Path) -> None:
    encoder = Encoder(encoder_folder)
    encoder.embed(["a fine film"])
    assert encoder._model is not None
    again = pickle.loads(pickle.dumps(encoder))
    assert again._model is None and np.allclose(
        again.probability(["a fine film"]), encoder.probability(["a fine film"])
    )


def test_encoder_reads_short_reviews_and_its_sentence_agrees(encoder_folder: Path) -> None:
    encoder = Encoder(encoder_folder)
    plain, encoded = Pipeline(people=False), Pipeline(people=False, encoder=encoder)
    assert encoded.name == f"{plain.name}+{encoder.name}"
    for text in [
        "A superb and moving film.",
        "Dull, boring and long.",
        "The cast is great but the film is dull.",
    ]:
        review = encoded.analyze(text)
        p = float(encoder.probability([text])[0])
        assert review.probability == round(p, 4)
        (sentence,) = review.sentences
        if sentence.sentiment != "neutral":
            assert review.verdict == sentence.sentiment == ("positive" if p >= 0.5 else "negative")
    # a review of several sentences, read whole, takes the encoder's P too
    short = "Great fun. The cast is superb."
    assert encoded.analyze(short).probability == round(float(encoder.probability([short])[0]), 4)
    # a stated grade or a long review is not the encoder's to read: the same as without it
    for text in ["A superb and moving film. 3/10", " ".join(["The film is long and the cast is busy."] * 12)]:
        with_encoder, without = encoded.analyze(text).to_dict(), plain.analyze(text).to_dict()
        with_encoder.pop("model"), without.pop("model")
        assert with_encoder == without


def test_encoder_refuses_a_head_learnt_for_another_encoder(encoder_folder: Path, tmp_path: Path) -> None:
    import shutil

    other = tmp_path / "other"
    shutil.copytree(encoder_folder, other)
    (other / "README.md").write_text("changed", encoding="utf-8")
    with pytest.raises(ModelError, match="learnt for another encoder"):
        Encoder(other)
    (other / HEAD_FILE).unlink()
    with pytest.raises(ModelError, match="reelsense train-encoder"):
        Encoder(other)
    with pytest.raises(ModelError, match="no such folder"):
        Encoder(tmp_path / "absent")


def test_encoder_without_the_extra_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # import fails
    with pytest.raises(ModelError, match=r"pip install 'reelsense\[encoder\]'"):
        load_sentence_transformer(tmp_path)


def test_encoder_commands_learn_a_head_and_read_with_it(
    encoder_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, labels = tmp_path / "data", tmp_path / "labels"
    (data / "rt").mkdir(parents=True)
    labels.mkdir()
    rows = [(f"s{i}", text, "pos" if i < 10 else "neg") for i, text in enumerate(FRESH + ROTTEN)]
    with gzip.open(data / "rt" / "train.jsonl.gz", "wt", encoding="utf-8") as f:
        for id_, text, label in [*rows, ("held", "an evaluation snippet", "pos")]:
            f.write(json.dumps({"id": id_, "text": text, "label": label}) + "\n")
    (labels / "rt-snippets.tsv").write_text(
        "snippet_id\tpart\n" + "".join(f"{id_}\tdev\n" for id_, _, _ in rows) + "held\teval\n",
        encoding="utf-8",
    )
    head = tmp_path / "head.json"
    argv = ["train-encoder", "--encoder", str(encoder_folder), "--data", str(data), "--labels", str(labels)]
    assert main([*argv, "--out", str(head)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["texts"] == 20  # the evaluation row is never read
    assert head.read_bytes() == (encoder_folder / HEAD_FILE).read_bytes()  # the same head, byte for byte
    review = tmp_path / "review.txt"
    review.write_text("A superb and moving film.", encoding="utf-8")
    assert (
        main(
            ["analyze", str(review), "--json", "--encoder", str(encoder_folder), "--encoder-head", str(head)]
        )
        == 0
    )
    result = json.loads(capsys.readouterr().out)
    assert "+encoder@" in result["model"]
    assert main(["analyze", str(review), "--encoder", str(encoder_folder), "--no-anatomy"]) == 2
    assert "drop --no-anatomy" in capsys.readouterr().err
    assert main(["train-encoder", "--data", str(data)]) == 2
    # serve says a missing encoder before it listens
    assert (
        main(["serve", "--encoder", str(tmp_path / "absent"), "--db", f"sqlite:///{tmp_path / 's.db'}"]) == 3
    )


def test_encoder_reads_in_worker_processes_as_in_one(encoder_folder: Path) -> None:
    encoder = Encoder(encoder_folder)
    pipeline = Pipeline(people=False, encoder=encoder)
    texts = ["A superb and moving film.", "Dull, boring and long.", "Great fun. The cast is superb."] * 3
    one = [r.to_dict() for r in pipeline.analyze_many(texts, batch_size=2)]
    encoder.embed(["loaded here first"])  # torch has run here: workers must not be forked from it
    two = [r.to_dict() for r in pipeline.analyze_many(texts, batch_size=2, jobs=2)]
    assert one == two


def test_encoder_serves_the_pages_and_api(encoder_folder: Path, tmp_path: Path) -> None:
    pytest.importorskip("fastapi", reason="the server extra is not installed")
    from fastapi.testclient import TestClient

    from reelsense.web import WebSettings, create_app

    settings = WebSettings(f"sqlite:///{tmp_path / 'site.db'}", encoder=str(encoder_folder))
    assert WebSettings.from_json(settings.to_json()) == settings  # what serve hands its workers
    with TestClient(create_app(settings)) as client:
        result = client.post("/v1/analyze", json={"text": "A superb and moving film."}).json()
    assert "+encoder@" in result["model"]
    expected = float(Encoder(encoder_folder).probability(["A superb and moving film."])[0])
    assert result["probability"] == round(expected, 4)
