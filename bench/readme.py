"""Copy the latest bench results (bench/results/*.md) into the README between its bench markers.

`make bench` runs this last, so the README's performance tables are always the output of one run.
A result file's own title line is dropped (the README section names it) and its `##` headings
become `####`, to sit under the README's headings.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# README marker -> the results file whose text goes between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`
BLOCKS = {
    "verdict": "verdict.md",
    "anatomy": "anatomy-eval.md",
    "critics": "critics-eval.md",
    "critic-reviews": "critic-reviews.md",
    "quotes": "quotes-eval.md",
    "speed": "speed.md",
    "people": "people.md",
    "corpus": "corpus.md",
    "corpus-scale": "corpus-scale.md",
    "spark": "spark.md",
    "web": "web.md",
    "titles": "titles-eval.md",
    "worst-case": "worst-case.md",
}


def block_text(results: str) -> str:
    """A results file as the README shows it."""
    lines = results.strip().splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[2:] if len(lines) > 1 and not lines[1].strip() else lines[1:]
    return "\n".join(re.sub(r"^## ", "#### ", line) for line in lines) + "\n"


def update(readme: str, results: dict[str, str]) -> str:
    """The README with each marked block replaced by its results."""
    for name, text in results.items():
        pattern = re.compile(rf"(<!-- bench:{name} -->\n).*?(<!-- /bench:{name} -->)", re.S)
        if not pattern.search(readme):
            raise SystemExit(f"README.md has no <!-- bench:{name} --> … <!-- /bench:{name} --> block")
        table = block_text(text)
        readme = pattern.sub(lambda m, table=table: m.group(1) + table + m.group(2), readme)
    return readme


def main() -> int:
    readme_path = ROOT / "README.md"
    results = {
        name: (ROOT / "bench" / "results" / file).read_text(encoding="utf-8") for name, file in BLOCKS.items()
    }
    readme = readme_path.read_text(encoding="utf-8")
    updated = update(readme, results)
    readme_path.write_text(updated, encoding="utf-8")
    print("README.md: bench tables " + ("updated" if updated != readme else "already current"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
