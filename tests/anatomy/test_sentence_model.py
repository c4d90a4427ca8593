import gzip
import json
import random
import zipfile
from pathlib import Path

import numpy as np
import pytest

from reelsense.anatomy.aspects import ASPECTS
from reelsense.anatomy.quotes import HAND_QUOTE, QUOTE_FEATURES
from reelsense.anatomy.sentence_model import DENSE, HEADS, Run, SentenceModel
from reelsense.anatomy.sentence_train import SentenceTrainingConfig, train_sentence_model
from reelsense.errors import ModelError, SourceError

# Our own sentences, each with the sentiment and aspects a labeller would give it.
SNIPPETS = {
    "the acting is superb and the cast shines .": ("positive", "acting:positive"),
    "a lovely score and gorgeous photography .": ("positive", "music:positive;visuals:positive"),
    "the script is a mess and the dialogue is dire .": ("negative", "story:negative"),
    "slow , listless and far too long .": ("negative", "pacing:negative"),
    "a warm and funny film , the jokes land .": ("positive", "humour:positive"),
    "predictable from start to finish .": ("negative", "originality:negative"),
    "the film opens in a small town in ohio .": ("neutral", "none"),
    "the director keeps a firm hand on the tone .": ("positive", "direction:positive"),
    "dull , dreary and boring .": ("negative", "impact:negative"),
    "the performances feel wooden and flat .": ("negative", "acting:negative"),
}
PRAISE = ["a fine film indeed", "wonderful work by everyone", "i loved it so much", "great fun for all",
          "a superb cast throughout"]  # fmt: skip
PANS = ["a dull film indeed", "awful work by everyone", "i hated it so much", "boring stuff for all",
        "a wooden cast throughout"]  # fmt: skip
SMALL = SentenceTrainingConfig(
    bits=12, dimensions=6, vector_min_count=2, min_count=1, folds=2, max_iter=300, max_transfer_tokens=40
)


def _write_data(root: Path, seed: int = 3) -> tuple[Path, Path]:
    """A tiny shared-data folder of our own text (rt/ and imdb/) and labels pointing into it."""
    rng = random.Random(seed)
    data, labels = root / "data", root / "labels"
    (data / "rt").mkdir(parents=True)
    (data / "imdb").mkdir()
    labels.mkdir()
    snippets, rt_labels = [], ["snippet_id\tsentiment\tkind\taspects\tpart"]
    for k in range(80):
        text = sorted(SNIPPETS)[k % len(SNIPPETS)]
        sentiment, aspects = SNIPPETS[text]
        fresh = sentiment == "positive" or (sentiment == "neutral" and k % 2 == 0)
        snippets.append({"id": f"rt-train/{k}", "label": "pos" if fresh else "neg", "text": text})
        part = "eval" if k % 10 == 0 else "dev"
        rt_labels.append(f"rt-train/{k}\t{sentiment}\topinion\t{aspects}\t{part}")
    reviews = []
    for k in range(60):
        good = k % 2 == 0
        words = PRAISE if good else PANS
        text = ". ".join(rng.sample(words, 3)).capitalize() + ". The film opens in a small town."
        reviews.append(
            {"id": f"train/{'pos' if good else 'neg'}/{k}", "label": "pos" if good else "neg", "text": text}
        )
    sentences = ["review_id\tstart\tend\tsentiment\tkind\tsplit_ok\tpart\tround"]
    aspects = ["review_id\tstart\tend\taspects\tpart"]
    for row in reviews[:40]:
        end = row["text"].index(".") + 1
        sentiment = "positive" if row["label"] == "pos" else "negative"
        sentences.append(f"{row['id']}\t0\t{end}\t{sentiment}\topinion\tyes\tdev\t1")
        cast = "acting:" + sentiment if "cast" in row["text"][:end] else "none"
        aspects.append(f"{row['id']}\t0\t{end}\t{cast}\tdev")
    for split in ("train", "unsup"):
        with gzip.open(data / "imdb" / f"{split}.jsonl.gz", "wt", encoding="utf-8") as f:
            f.writelines(json.dumps(r) + "\n" for r in reviews)
    with gzip.open(data / "rt" / "train.jsonl.gz", "wt", encoding="utf-8") as f:
        f.writelines(json.dumps(r) + "\n" for r in snippets)
    (labels / "rt-snippets.tsv").write_text("\n".join(rt_labels) + "\n", encoding="utf-8")
    (labels / "sentences.tsv").write_text("\n".join(sentences) + "\n", encoding="utf-8")
    (labels / "sentence-aspects.tsv").write_text("\n".join(aspects) + "\n", encoding="utf-8")
    quotes = ["review_id\tstart\tend\trank\tannotator\tpart"]
    for row in reviews[40:]:  # the first sentence would be quoted, never the plot
        end = row["text"].index(".") + 1
        quotes.append(f"{row['id']}\t0\t{end}\t1\ta\tdev")
    (labels / "pull-quotes.tsv").write_text("\n".join(quotes) + "\n", encoding="utf-8")
    return data, labels


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[SentenceModel, dict, Path, Path]:
    root = tmp_path_factory.mktemp("sentences")
    data, labels = _write_data(root)
    model, report = train_sentence_model(data, labels, SMALL)
    return model, report, data, labels


def _runs(texts: list[str]) -> tuple[list[Run], list[int]]:
    """The texts' runs as the stage scores them (each text's run, then its pieces) and where each
    text's own run is."""
    from reelsense.anatomy.sentence_train import run_of
    from reelsense.verdict.model import VerdictModel

    flat: list[Run] = []
    at: list[int] = []
    for runs in run_of(VerdictModel.load(), texts):
        at.append(len(flat))
        flat.extend(runs)
    return flat, at


def test_sentence_model_learns_polarity_neutrality_and_aspects(trained) -> None:
    model, report, _, _ = trained
    assert (report["critic_snippets"], report["imdb_sentences"]) == (72, 40)  # eval rows never read
    assert report["cv_fresh_rotten"] >= 0.8
    texts = ["the acting is superb and the cast shines .", "dull , dreary and boring .",
             "the film opens in a small town in ohio ."]  # fmt: skip
    runs, at = _runs(texts)
    scores = model.score(runs)
    polarity = scores.probability("polarity")[at]
    assert polarity[0] > 0.5 > polarity[1]
    neutral = scores.probability("neutral")[at]
    assert neutral[2] > max(neutral[:2])
    acting = scores.probability("aspect:acting")[at]
    assert acting[0] > model.thresholds()["aspect:acting"] > acting[2]
    assert scores.probability("tone:acting")[at][0] > 0.5
    assert set(model.thresholds()) == {"neutral", *(f"aspect:{a}" for a in ASPECTS)}
    assert report["quotes"]["reviews"] == 20 and report["quotes"]["candidates"] > 20
    assert set(model.quote_scorer()["weights"]) == set(QUOTE_FEATURES)


def test_sentence_model_without_quote_picks_keeps_the_hand_scorer(tmp_path: Path) -> None:
    data, labels = _write_data(tmp_path)
    (labels / "pull-quotes.tsv").unlink()
    model, report = train_sentence_model(data, labels, SMALL)
    assert model.quote_scorer() == HAND_QUOTE and report["quotes"] == {"reviews": 0}


def test_sentence_model_trains_to_the_same_bytes_and_loads_them_back(trained, tmp_path: Path) -> None:
    model, _, data, labels = trained
    again, _ = train_sentence_model(data, labels, SMALL)
    assert model.to_bytes() == again.to_bytes()
    model.save(tmp_path / "m.zip")
    loaded = SentenceModel.load(tmp_path / "m.zip")
    assert loaded.name.startswith("sentences@") and len(loaded.name) == len("sentences@") + 12
    runs, _ = _runs(["a lovely score and gorgeous photography ."])
    np.testing.assert_allclose(loaded.score(runs).logits, model.score(runs).logits, atol=0.05)  # float16


def test_sentence_model_scores_nothing_and_reads_every_dense_input(trained) -> None:
    model, _, _, _ = trained
    assert model.score([]).logits.shape == (len(HEADS), 0)
    plain = Run(["the", "cast"], rules=0.0)
    named = Run(["the", "cast"], rules=0.0, terms=frozenset({"acting"}), cues={"acting": 1})
    logits = model.score([plain, named]).head("aspect:acting")
    dense = model.params["dense"]["aspect:acting"]
    assert logits[1] - logits[0] == pytest.approx(dense["term"] + dense["cue"], abs=1e-9)
    assert set(dense) == set(DENSE["aspect"])


def test_sentence_model_load_names_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="cannot read sentence model"):
        SentenceModel.load(tmp_path / "missing.zip")
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    with pytest.raises(ModelError, match="is not a sentence model"):
        SentenceModel.load(tmp_path / "junk.zip")
    with zipfile.ZipFile(tmp_path / "old.zip", "w") as z:
        z.writestr("model.json", json.dumps({"format": 0, "heads": []}))
        z.writestr("vocabulary.txt", "a")
        z.writestr("weights.f16", b"")
        z.writestr("leans.f16", b"")
    with pytest.raises(ModelError, match="retrain it with `reelsense train-sentences`"):
        SentenceModel.load(tmp_path / "old.zip")


def test_train_sentence_model_names_missing_inputs(tmp_path: Path) -> None:
    data, labels = _write_data(tmp_path)
    with pytest.raises(SourceError, match="cannot read labels"):
        train_sentence_model(data, tmp_path / "nowhere", SMALL)
    rows = (labels / "rt-snippets.tsv").read_text(encoding="utf-8")
    (labels / "rt-snippets.tsv").write_text(
        rows + "rt-train/999\tpositive\topinion\tnone\tdev\n", encoding="utf-8"
    )
    with pytest.raises(SourceError, match="snippet rt-train/999 is not in"):
        train_sentence_model(data, labels, SMALL)
