"""How the knowledge base compares names and titles: pure text, no database."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["name_key", "sound_key"]


def name_key(name: str) -> str:
    """A name or title as compared: accents and punctuation dropped, lowercased, spaces single."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower().replace("&", " and ")
    return " ".join(re.sub(r"[^\w\s]", " ", plain).split())


_SOUNDEX = str.maketrans("bfpvcgjkqsxzdtlmnr", "111122222222334556")


def sound_key(name: str) -> str:
    """First initial plus the Soundex of the surname: "Martin Scorcese" and "Martin Scorsese" share it."""
    parts = name_key(name).split()
    if not parts:
        return ""
    surname = parts[-1]
    coded = surname.translate(_SOUNDEX)
    digits = [c for i, c in enumerate(coded) if c.isdigit() and (i == 0 or c != coded[i - 1])]
    code = surname[0] + "".join(digits[1:] if coded[0].isdigit() else digits)
    return f"{parts[0][0]}:{code[:4]}"
