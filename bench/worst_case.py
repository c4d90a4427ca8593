"""The longest inputs the defaults accept, shaped the worst ways we know: does the time grow with
the length, or faster?

    python bench/worst_case.py
    python bench/worst_case.py --src /path/to/old/src --longest 250000   # another checkout, shorter

Times the full default pipeline, one process, on reviews we generate (seeded, written here, no
dataset text) of growing length, up to the default `--max-chars` (1,000,000):
- lowercase words with no punctuation at all (one run-on "sentence" to cut into clauses);
- one named person after another ("Anna Kbcdefgh is great."), every name different (back-references
  and the spelling check over thousands of names).
Prints seconds per input and seconds per 100,000 characters (flat when the cost is linear), and
writes bench/results/worst-case.md (with `--src`, worst-case-SRC.md for that checkout's package).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import string
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
MAX_CHARS = 1_000_000  # the default --max-chars (text.reading.DEFAULT_MAX_CHARS)
WORDS = "the film is good and the acting was bad but then again it is fine i think so yes".split()


def run_on(n: int, rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n // 3))[:n].strip()


def names(n: int, rng: random.Random) -> str:
    parts: list[str] = []
    size = 0
    while size < n - 40:
        first = rng.choice(["Anna", "Boris", "Carla", "Dmitri"])
        surname = rng.choice(string.ascii_uppercase) + "".join(
            rng.choice(string.ascii_lowercase) for _ in range(7)
        )
        part = f"{first} {surname} is great. "
        parts.append(part)
        size += len(part)
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--src", type=Path, default=HERE.parent / "src", help="the src folder to time")
    parser.add_argument("--longest", type=int, default=MAX_CHARS, help="the longest input, characters")
    args = parser.parse_args()
    sys.path.insert(0, str(args.src.resolve()))
    from reelsense import Item, Pipeline  # from --src

    pipeline = Pipeline()
    pipeline.pipe([Item("A warm-up review. It is fine.")])
    rows = []
    for shape, make in (("lowercase, no punctuation", run_on), ("a different name in every sentence", names)):
        for n in [n for n in (100_000, 250_000, 500_000, MAX_CHARS) if n <= args.longest]:
            text = make(n, random.Random(n))
            began = time.perf_counter()
            (result,) = pipeline.pipe([Item(text)])
            seconds = time.perf_counter() - began
            found = len(getattr(result, "mentions", ()))
            rows.append((shape, len(text), seconds, found, getattr(result, "reason", None)))
            print(f"{shape}: {len(text):,} characters in {seconds:.2f} s", flush=True)
    lines = [
        f"# Worst-case inputs, one process, {date.today()}, {platform.machine()} with {os.cpu_count()} cores",
        "",
        f"`python bench/worst_case.py{' --src ' + str(args.src) if args.src != HERE.parent / 'src' else ''}"
        f"{f' --longest {args.longest}' if args.longest != MAX_CHARS else ''}`: the full default pipeline "
        f"on generated reviews up to {args.longest:,} characters (the default --max-chars is {MAX_CHARS:,}).",
        "",
        "| input | characters | seconds | seconds per 100,000 characters | mentions found |",
        "|---|---|---|---|---|",
    ]
    for shape, n, seconds, found, rejected in rows:
        note = f" (rejected: {rejected})" if rejected else ""
        lines.append(f"| {shape}{note} | {n:,} | {seconds:.2f} | {seconds / n * 100_000:.2f} | {found:,} |")
    out = "\n".join(lines)
    print(out)
    (HERE / "results").mkdir(exist_ok=True)
    name = "worst-case.md" if args.src == HERE.parent / "src" else f"worst-case-{args.src.parent.name}.md"
    (HERE / "results" / name).write_text(out + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
