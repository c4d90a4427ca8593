"""Clean a review's text for analysis, remembering where every cleaned character came from.

Reviews arrive with HTML line breaks (`<br />`), inline tags and entities. Analysis runs on the
cleaned text, but every span reelsense reports points into the user's original text, so the
cleaning keeps a map from cleaned offsets back to original ones.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

__all__ = ["Cleaned", "clean"]

# Tags that end a line of text when removed; any other tag just disappears.
_BLOCK_TAGS = re.compile(r"</?\s*(br|p|div|li|ul|ol|h[1-6]|tr|blockquote)\b", re.IGNORECASE)
_MARKUP = re.compile(
    r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]{0,300})?/?\s*>"  # a tag, with attributes
    r"|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});"  # an entity
)
# Control characters other than tab, newline and carriage return never belong in a review.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_CLEANUP = re.compile(f"{_MARKUP.pattern}|{_CONTROL.pattern}")


@dataclass(frozen=True, slots=True)
class Cleaned:
    """Cleaned text plus the edits that produced it (cleaned start, cleaned end, original end)."""

    text: str
    html: bool
    _edits: tuple[tuple[int, int, int, int], ...] = ()
    _starts: tuple[int, ...] = ()

    def start(self, offset: int) -> int:
        """Map a cleaned offset where a span starts to the original text (after removed markup)."""
        if not self._edits:
            return offset
        k = bisect_right(self._starts, offset) - 1
        if k < 0:
            return offset
        clean_start, clean_end, orig_start, orig_end = self._edits[k]
        return orig_start if offset < clean_end else orig_end + (offset - clean_end)

    def end(self, offset: int) -> int:
        """Map a cleaned offset where a span ends to the original text (before removed markup)."""
        if not self._edits:
            return offset
        k = bisect_left(self._starts, offset) - 1
        if k < 0:
            return offset
        clean_start, clean_end, orig_start, orig_end = self._edits[k]
        return orig_end if offset <= clean_end else orig_end + (offset - clean_end)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a cleaned span [start, end) to the original text."""
        if not self._edits:
            return start, end
        return self.start(start), self.end(end)


def _replacement(markup: str) -> str:
    if markup.startswith("&"):
        return html.unescape(markup)
    return "\n" if _BLOCK_TAGS.match(markup) else ""


def clean(text: str) -> Cleaned:
    """Remove markup and control characters; keep a map back to the original offsets."""
    if "<" not in text and "&" not in text and not _CONTROL.search(text):
        return Cleaned(text, html=False)
    pieces: list[str] = []
    edits: list[tuple[int, int, int, int]] = []
    found_html = False
    last = 0
    clean_len = 0
    for m in _CLEANUP.finditer(text):
        s, e = m.span()
        found = m.group()
        if found.startswith(("<", "&")):
            found_html = True
            new = _replacement(found)
        else:
            new = " "
        pieces.append(text[last:s])
        clean_len += s - last
        pieces.append(new)
        edits.append((clean_len, clean_len + len(new), s, e))
        clean_len += len(new)
        last = e
    pieces.append(text[last:])
    return Cleaned("".join(pieces), found_html, tuple(edits), tuple(edit[0] for edit in edits))
