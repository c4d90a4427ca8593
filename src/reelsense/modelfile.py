"""Model files as zips whose bytes depend only on their contents (fixed timestamps and modes), so
training twice on the same data gives the same file."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

__all__ = ["zip_bytes"]

_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def zip_bytes(parts: Mapping[str, bytes]) -> bytes:
    """A deflated zip of `parts` (name → bytes), in the order given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data, compresslevel=9)
    return buffer.getvalue()
