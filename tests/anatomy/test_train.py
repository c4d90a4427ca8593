import gzip
import json
import random
from pathlib import Path

import pytest

from reelsense.anatomy.opinion import OpinionModel, SentenceSigns
from reelsense.anatomy.train import OpinionTrainingConfig, train_opinion, word_vectors
from reelsense.errors import SourceError

OPINIONS = {
    "I loved this film and the acting is great.": "positive",
    "This movie is boring and I hated every minute.": "negative",
    "You should see it, the score is wonderful.": "positive",
    "I think the script is weak and the ending is silly.": "negative",
    "What a fine film, I would watch it again.": "positive",
}
PLOTS = [
    "He finds the money and she leaves the town.",
    "Her father kills the king in the castle.",
    "The sailor meets a girl and they sail to the island.",
    "She steals the ring and he chases her through the city.",
    "Later the brothers fight over the farm and the land.",
]
SMALL = OpinionTrainingConfig(dimensions=8, min_count=2, folds=3, max_iter=500)


def _write_corpus(root: Path, reviews: int = 60, seed: int = 7) -> Path:
    """A tiny IMDB-shaped corpus of our own sentences, and labels pointing into it."""
    rng = random.Random(seed)
    rows, labels = [], ["review_id\tstart\tend\tsentiment\tkind\tsplit_ok\tpart\tround"]
    for k in range(reviews):
        picked = [(s, "opinion") for s in rng.sample(sorted(OPINIONS), 2)]
        picked += [(s, "plot") for s in rng.sample(PLOTS, 2)]
        rng.shuffle(picked)
        text = " ".join(s for s, _ in picked)
        review_id = f"train/pos/{k}"
        rows.append({"id": review_id, "text": text, "label": "pos"})
        sentence, kind = picked[k % 4]
        start = text.index(sentence)
        part = "eval" if k % 10 == 0 else "dev"
        sentiment = OPINIONS.get(sentence, "neutral")
        labels.append(f"{review_id}\t{start}\t{start + len(sentence)}\t{sentiment}\t{kind}\tyes\t{part}\t1")
    labels.append("train/pos/999\t0\t10\tneutral\tplot\tyes\teval\t1")  # eval rows are never read
    data = root / "imdb"
    data.mkdir()
    for split in ("train", "unsup"):
        with gzip.open(data / f"{split}.jsonl.gz", "wt", encoding="utf-8") as f:
            f.writelines(json.dumps(r) + "\n" for r in rows)
    (root / "labels.tsv").write_text("\n".join(labels) + "\n", encoding="utf-8")
    return data


def test_train_opinion_learns_narration_from_labels_reproducibly(tmp_path: Path) -> None:
    data = _write_corpus(tmp_path)
    report = train_opinion(data, tmp_path / "labels.tsv", tmp_path / "a.json", SMALL)
    train_opinion(data, tmp_path / "labels.tsv", tmp_path / "b.json", SMALL)
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert (report["sentences"], report["opinion_share"]) == (54, 0.5926)  # 32 of the 54 dev rows
    assert report["cv_accuracy"] >= 0.9
    model = OpinionModel.from_dict(json.loads((tmp_path / "a.json").read_text(encoding="utf-8")))
    story = SentenceSigns(["the", "king", "finds", "the", "ring"], "The king finds the ring.", 0.5, 0)
    judged = SentenceSigns(["i", "loved", "the", "acting"], "I loved the acting.", 0.8, 1)
    assert model.own(story) < 0 < model.own(judged)
    assert report["sentiment_cv_accuracy"] >= 0.9
    assert [model.sentiment(p, 2.0, False) for p in (0.95, 0.05)] == ["positive", "negative"]


def test_train_opinion_names_what_is_wrong_with_its_inputs(tmp_path: Path) -> None:
    data = _write_corpus(tmp_path)
    labels = tmp_path / "labels.tsv"
    with pytest.raises(SourceError, match="cannot read labels"):
        train_opinion(data, tmp_path / "missing.tsv", tmp_path / "m.json", SMALL)
    (tmp_path / "bad.tsv").write_text("id\tlabel\nx\ty\n", encoding="utf-8")
    with pytest.raises(SourceError, match="columns end, kind, part, review_id, sentiment, start"):
        train_opinion(data, tmp_path / "bad.tsv", tmp_path / "m.json", SMALL)
    labels.write_text(labels.read_text(encoding="utf-8") + "train/neg/5\t0\t4\tneutral\tplot\tyes\tdev\t1\n")
    with pytest.raises(SourceError, match="1 labelled reviews are not in .*train.jsonl.gz, e.g. train/neg/5"):
        train_opinion(data, labels, tmp_path / "m.json", SMALL)


def test_word_vectors_are_unit_length_for_words_seen_often_enough() -> None:
    sentences = [s.lower().rstrip(".").split() for s in [*OPINIONS, *PLOTS]] * 3
    vocabulary, vectors = word_vectors(iter(sentences), OpinionTrainingConfig(dimensions=4, min_count=3))
    assert vocabulary == sorted({w for s in sentences for w in s})
    assert vectors.shape == (len(vocabulary), 4)
    assert all(abs(float((v * v).sum()) - 1.0) < 1e-6 for v in vectors)
