"""How long reelsense takes to start: `import reelsense`, `reelsense --help`, and `reelsense analyze`
on one short review, each in a fresh interpreter, best of N.

    python bench/startup.py                          # this checkout
    python bench/startup.py --src /path/to/old/src   # another checkout's package, same interpreter

The short review is ours. `--src` puts another checkout's `src` first on the path, so two versions
can be compared on the same machine in one sitting; the CLI is run as `python -m reelsense`, or as
`python -m reelsense.cli` where that checkout has no `reelsense/__main__.py` (before 2026-12).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REVIEW = "A warm, funny film with a superb cast, though the ending drags.\n"
HEAVY = ("sqlalchemy", "alembic", "fastapi", "uvicorn", "jinja2", "rich")


def best_of(command: list[str], env: dict[str, str], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--src", type=Path, default=ROOT / "src", help="the src folder of the checkout to time"
    )
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(args.src.resolve())}
    env.pop("REELSENSE_DB", None)
    cli = "reelsense" if (args.src / "reelsense" / "__main__.py").exists() else "reelsense.cli"
    with tempfile.TemporaryDirectory() as tmp:
        review = Path(tmp) / "short.txt"
        review.write_text(REVIEW, encoding="utf-8")
        python = sys.executable
        rows = [
            ("import reelsense", [python, "-c", "import reelsense"]),
            ("reelsense --help", [python, "-m", cli, "--help"]),
            ("reelsense analyze (one short review)", [python, "-m", cli, "analyze", str(review)]),
        ]
        timed = [(name, best_of(command, env | {"PWD": tmp}, args.runs)) for name, command in rows]
    probe = f"import sys, reelsense; print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r}))"
    loaded = subprocess.run(
        [python, "-c", probe], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    print(f"Start-up of {args.src}, best of {args.runs}, {os.cpu_count()} cores:\n")
    print("| what | seconds |\n|---|---|")
    for name, seconds in timed:
        print(f"| {name} | {seconds:.2f} |")
    print(f"\n`import reelsense` loads of {', '.join(HEAVY)}: {loaded}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
