"""The shipped model's size on disk and how long it takes to load (best of five).

    python bench/model_load.py
"""

from __future__ import annotations

import time

from reelsense import VerdictModel
from reelsense.verdict.model import default_model_path


def main() -> None:
    path = default_model_path()
    times = []
    for _ in range(5):
        start = time.perf_counter()
        model = VerdictModel.load(path)
        times.append(time.perf_counter() - start)
    size = path.stat().st_size / 1e6
    print(f"{model.name}: {size:.1f} MB on disk, loads in {min(times):.3f} s (best of 5)")


if __name__ == "__main__":
    main()
