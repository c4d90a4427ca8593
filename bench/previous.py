"""Analyse texts with reelsense as it was at an earlier commit, in the same run as the current one.

    from previous import PREVIOUS, analyse_with
    old = analyse_with(PREVIOUS, texts)   # one object per text: .verdict, .sentences[0].sentiment, ...

The commit's `src/` (code and shipped models) is taken out of git into a temporary folder and run
in a child process, so the benches can set the previous release beside the current one on the
same texts without installing it. Results come back as the reviews' JSON, read into plain objects
with the same attribute names as `reelsense.Review` (`probability`, `verdict`, `sentences`,
`aspects`, `pull_quote`, ...).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# The release before the learnt sentence models (the last commit of session 4).
PREVIOUS = "6692060"

_CHILD = """
import json, sys
from reelsense import Pipeline, Review
texts = json.load(sys.stdin)
out = [r.to_dict() if isinstance(r, Review) else None for r in Pipeline().analyze_many(texts)]
json.dump(out, sys.stdout)
"""


def _objects(value: Any) -> Any:
    if isinstance(value, dict):
        return SimpleNamespace(**{k: _objects(v) for k, v in value.items()})
    if isinstance(value, list):
        return [_objects(v) for v in value]
    return value


def analyse_with(ref: str, texts: list[str]) -> list[Any]:
    """Each text analysed by reelsense at git `ref` (None where it rejected the text)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "src"], capture_output=True, check=True
    ).stdout
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        env = {**os.environ, "PYTHONPATH": str(Path(tmp) / "src")}
        child = subprocess.run(
            [sys.executable, "-c", _CHILD], input=json.dumps(texts), env=env,
            capture_output=True, text=True, check=False,
        )  # fmt: skip
    if child.returncode:
        raise RuntimeError(f"reelsense at {ref} failed:\n{child.stderr[-2000:]}")
    return [_objects(r) if r is not None else None for r in json.loads(child.stdout)]


def model_name(ref: str) -> str:
    """How the benches name the previous release in their tables."""
    return f"reelsense at {ref} (previous release)"
