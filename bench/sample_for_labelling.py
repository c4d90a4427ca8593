"""Draw the samples our hand-labelled anatomy sets were built from (reproducible, seeded).

    python bench/sample_for_labelling.py --data ../shared/data/imdb --out /tmp/labelling

Writes, outside the repository (they hold IMDB text, which we do not commit):
- `sentences.tsv`: 500 sentences, one from each of 500 IMDB *train* reviews (half pos, half neg),
  as review id, start, end (offsets into the review's original text) and the sentence text;
- `reviews.jsonl`: 80 IMDB *train* reviews (half pos, half neg, 60 to 400 words) for aspect labels;
- with `--mentions`, `mention_reviews.jsonl`: 45 further IMDB *train* reviews of 80 to 350 words that
  name people (three or more capitalised word pairs), for mention labels;
- with `--rt N`, `rt-snippets.tsv`: N critic snippets of `../shared/data/rt/train.jsonl.gz` in a
  seeded order (the first 400 the evaluation part), as snippet id and text, without their
  fresh/rotten label, for snippet labels (`--rt 5300` keeps the first 2,000 of `--rt 2000`);
- with `--sentence-aspects N`, `sentence-aspects.tsv`: the 400 evaluation sentences of
  `bench/data/sentences.tsv` and N of its development sentences (seeded), as id
  (`review_id:start:end`) and text, for aspect labels of single IMDB sentences;
- with `--quotes N`, `quote-reviews-K.txt`: N IMDB *train* reviews of 60 to 300 words that no
  earlier set used, in batches of 150, each sentence numbered with its offsets, for pull-quote picks
  (the reviews of the aspect set were given to the first two annotators the same way).
- with `--titles N`, `titles-SPLIT.jsonl` for SPLIT train (the development part) and test (the
  evaluation part): N films of that IMDB split each (seeded; films with one review and films with
  more, half each), every film as a number ("F001") and the texts of at most 6 of its reviews, for
  labels of the film's title; `titles-keys.tsv`, which film id each number is (kept from the
  annotators, who must not see IMDb ids).
The labelled files in bench/data/ keep only ids, offsets and labels (see bench/anatomy.py).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import re
from collections.abc import Callable
from pathlib import Path

from reelsense.text.normalise import clean
from reelsense.text.sentences import split_sentences

SEED = 20261124


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=Path("../shared/data/imdb"))
    parser.add_argument("--out", type=Path, default=Path("/tmp/labelling"))
    parser.add_argument("--sentences", type=int, default=500)
    parser.add_argument("--reviews", type=int, default=80)
    parser.add_argument("--mentions", action="store_true", help="draw the reviews for mention labels")
    parser.add_argument(
        "--keep", type=int, default=None, help="rounds 5 on: keep the first N sentences left (see main)"
    )
    parser.add_argument(
        "--round",
        type=int,
        default=1,
        help="2 or more: a further development sample of sentences, from reviews not sampled before",
    )
    parser.add_argument("--rt", type=int, default=0, help="draw N critic snippets for snippet labels")
    parser.add_argument(
        "--sentence-aspects", type=int, default=0, help="the evaluation sentences and N development ones"
    )
    parser.add_argument("--quotes", type=int, default=0, help="draw N reviews for pull-quote picks")
    parser.add_argument("--titles", type=int, default=0, help="draw N films per split for title labels")
    args = parser.parse_args()
    if args.titles:
        args.out.mkdir(parents=True, exist_ok=True)
        _write_title_films(args.data, args.titles, args.out)
        return
    if args.quotes:
        args.out.mkdir(parents=True, exist_ok=True)
        _write_quote_reviews(args.data, args.quotes, args.out)
        return
    if args.sentence_aspects:
        args.out.mkdir(parents=True, exist_ok=True)
        _write_sentence_aspects(args.data, args.sentence_aspects, args.out / "sentence-aspects.tsv")
        return
    if args.rt:
        args.out.mkdir(parents=True, exist_ok=True)
        _write_snippets(args.data.parent / "rt" / "train.jsonl.gz", args.rt, args.out / "rt-snippets.tsv")
        return
    with gzip.open(args.data / "train.jsonl.gz", "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    rng = random.Random(SEED)
    by_label = {label: [r for r in rows if r["label"] == label] for label in ("pos", "neg")}
    args.out.mkdir(parents=True, exist_ok=True)
    if args.mentions:
        _write_mention_reviews(rows, args.out / "mention_reviews.jsonl")
        return
    if args.round >= 3:
        # Rounds 3 on are drawn from reviews no earlier set used, as the sets stood before round 4;
        # from round 5 on, reviews of rounds 4 to N-1 are then dropped and the first --keep kept.
        labelled = _labelled_reviews(before_round=min(args.round, 4))
        rng = random.Random(SEED + args.round)
        by_label = {label: [r for r in by_label[label] if r["id"] not in labelled] for label in by_label}
        path = args.out / f"sentences_round{args.round}.tsv"
        _write_sentences(rng, by_label, args.sentences, path)
        later = _labelled_reviews(before_round=args.round) - labelled
        _keep_rows(path, lambda review_id: review_id not in later, args.keep)
        return
    if args.round == 2:
        earlier = _first_round_reviews(rng, by_label, args.sentences)
        rng = random.Random(SEED + 2)
        by_label = {label: [r for r in by_label[label] if r["id"] not in earlier] for label in by_label}
        _write_sentences(rng, by_label, args.sentences, args.out / "sentences_round2.tsv")
        return

    used = _write_sentences(rng, by_label, args.sentences, args.out / "sentences.tsv")
    fitting = {
        label: [r for r in by_label[label] if r["id"] not in used and 60 <= len(r["text"].split()) <= 400]
        for label in ("pos", "neg")
    }
    reviews = [r for label in ("pos", "neg") for r in rng.sample(fitting[label], args.reviews // 2)]
    rng.shuffle(reviews)
    with open(args.out / "reviews.jsonl", "w", encoding="utf-8") as out:
        for row in reviews:
            text = clean(row["text"]).text
            out.write(json.dumps({"id": row["id"], "text": text}, ensure_ascii=False) + "\n")
    print(f"wrote {args.out / 'sentences.tsv'} and {args.out / 'reviews.jsonl'}")


TITLE_REVIEWS = 6  # reviews an annotator reads per film, at most


def _write_title_films(data: Path, n: int, out: Path) -> None:
    """N films of IMDB train and of IMDB test, half with one review and half with more, for title
    labels: the annotators see a number and review texts, never the film's id."""
    keys = []
    for split in ("train", "test"):
        by_film: dict[str, list[str]] = {}
        with gzip.open(data / f"{split}.jsonl.gz", "rt", encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                by_film.setdefault(row["film"], []).append(row["text"])
        rng = random.Random(f"{SEED}-titles-{split}")
        ones = sorted(k for k, texts in by_film.items() if len(texts) == 1)
        more = sorted(k for k, texts in by_film.items() if len(texts) > 1)
        films = rng.sample(ones, n // 2) + rng.sample(more, n - n // 2)
        rng.shuffle(films)
        with open(out / f"titles-{split}.jsonl", "w", encoding="utf-8") as f:
            for number, key in enumerate(films, start=1):
                name = f"{'D' if split == 'train' else 'E'}{number:03d}"
                texts = [clean(t).text for t in by_film[key][:TITLE_REVIEWS]]
                f.write(json.dumps({"film": name, "reviews": texts}, ensure_ascii=False) + "\n")
                keys.append((name, key))
    with open(out / "titles-keys.tsv", "w", encoding="utf-8") as f:
        f.write("number\tfilm\n")
        f.writelines(f"{name}\t{key}\n" for name, key in keys)
    print(f"wrote {out}/titles-train.jsonl, titles-test.jsonl and titles-keys.tsv")


def _write_sentences(rng: random.Random, by_label: dict[str, list[dict]], n: int, path: Path) -> set[str]:
    """One random sentence of at least three words from each of n reviews; returns their ids."""
    picked = [r for label in ("pos", "neg") for r in rng.sample(by_label[label], n // 2)]
    rng.shuffle(picked)
    with open(path, "w", encoding="utf-8") as out:
        out.write("review_id\tstart\tend\ttext\n")
        for row in picked:
            cleaned = clean(row["text"])
            spans = [s for s in split_sentences(cleaned.text) if len(cleaned.text[s[0] : s[1]].split()) >= 3]
            if not spans:
                continue
            a, b = rng.choice(spans)
            start, end = cleaned.span(a, b)
            text = " ".join(cleaned.text[a:b].split())
            out.write(f"{row['id']}\t{start}\t{end}\t{text}\n")
    print(f"wrote {path}")
    return {r["id"] for r in picked}


def _labelled_reviews(before_round: int) -> set[str]:
    """Every review id our labelled sets use: the aspect and mention sets, and the sentences of
    sampling rounds before `before_round`."""
    used: set[str] = set()
    for name in ("sentences.tsv", "aspects.tsv", "mentions.tsv"):
        with open(Path(__file__).parent / "data" / name, encoding="utf-8") as f:
            rows = csv.DictReader(f, delimiter="\t")
            used |= {r["review_id"] for r in rows if int(r.get("round") or 0) < before_round}
    return used


def _keep_rows(path: Path, wanted: Callable[[str], bool], keep: int | None) -> None:
    """Rewrite a sample keeping the first `keep` rows whose review is `wanted`."""
    with open(path, encoding="utf-8") as f:
        header, *rows = f.readlines()
    rows = [r for r in rows if wanted(r.split("\t", 1)[0])][:keep]
    with open(path, "w", encoding="utf-8") as out:
        out.write(header)
        out.writelines(rows)


def _first_round_reviews(rng: random.Random, by_label: dict[str, list[dict]], n: int) -> set[str]:
    """The ids the first round drew its sentences from (the same draws, replayed)."""
    picked = [r for label in ("pos", "neg") for r in rng.sample(by_label[label], n // 2)]
    return {r["id"] for r in picked}


def _write_mention_reviews(rows: list[dict], path: Path) -> None:
    """45 reviews that name people, none of them in the sentence or aspect sets."""
    used: set[str] = set()
    for name in ("sentences.tsv", "aspects.tsv"):
        with open(Path(__file__).parent / "data" / name, encoding="utf-8") as f:
            used |= {r["review_id"] for r in csv.DictReader(f, delimiter="\t")}
    names = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b")
    fitting = [
        r
        for r in rows
        if r["id"] not in used and 80 <= len(r["text"].split()) <= 350 and len(names.findall(r["text"])) >= 3
    ]
    with open(path, "w", encoding="utf-8") as out:
        for row in random.Random(SEED + 4).sample(fitting, 45):
            out.write(json.dumps({"id": row["id"], "text": row["text"]}, ensure_ascii=False) + "\n")
    print(f"wrote {path}")


def _write_snippets(source: Path, n: int, path: Path) -> None:
    """N snippets in a seeded order, id and text only: the annotator never sees the dataset's label."""
    with gzip.open(source, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    random.Random(SEED + 100).shuffle(rows)
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(["snippet_id", "text"])
        for row in rows[:n]:
            writer.writerow([row["id"], " ".join(row["text"].split())])


def _write_quote_reviews(data: Path, n: int, out: Path) -> None:
    """n reviews no sentence, aspect or mention set used (as the sets stood before the pull-quote
    picks: `pull-quotes.tsv` itself is left out), numbered sentence by sentence, 150 a file."""
    used: set[str] = set()
    for name in ("sentences.tsv", "aspects.tsv", "mentions.tsv", "sentence-aspects.tsv"):
        with open(Path(__file__).parent / "data" / name, encoding="utf-8") as f:
            used |= {r["review_id"] for r in csv.DictReader(f, delimiter="\t")}
    with gzip.open(data / "train.jsonl.gz", "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    fitting = [r for r in rows if r["id"] not in used and 60 <= len(r["text"].split()) <= 300]
    picked = random.Random(20261203).sample(fitting, n)
    for k in range(0, n, 150):
        path = out / f"quote-reviews-{k // 150 + 1}.txt"
        with open(path, "w", encoding="utf-8") as f:
            for row in picked[k : k + 150]:
                cleaned = clean(row["text"])
                f.write(f"=== review {row['id']}\n")
                for j, (a, b) in enumerate(split_sentences(cleaned.text), 1):
                    start, end = cleaned.span(a, b)
                    f.write(f"[{j}] ({start}:{end}) {' '.join(cleaned.text[a:b].split())}\n")
                f.write("\n")
        print(f"wrote {path}")


def _write_sentence_aspects(data: Path, n: int, path: Path) -> None:
    """The evaluation sentences of `sentences.tsv`, then n of its development ones in a seeded order."""
    with open(Path(__file__).parent / "data" / "sentences.tsv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    dev = [r for r in rows if r["part"] == "dev"]
    random.Random(SEED + 200).shuffle(dev)
    picked = [r for r in rows if r["part"] == "eval"] + dev[:n]
    with gzip.open(data / "train.jsonl.gz", "rt", encoding="utf-8") as f:
        texts = {row["id"]: row["text"] for row in map(json.loads, f)}
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(["sentence_id", "text"])
        for r in picked:
            text = texts[r["review_id"]][int(r["start"]) : int(r["end"])]
            writer.writerow([f"{r['review_id']}:{r['start']}:{r['end']}", " ".join(clean(text).text.split())])
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
