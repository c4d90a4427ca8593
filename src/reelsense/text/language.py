"""Tell whether a text looks like English: its script, and English versus foreign function words."""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["looks_english"]

# Frequent English function words and film words; our own list.
_ENGLISH = frozenset(
    """the a an and or but if of to in on at by for with from as into about than then so not no
    n't is are was were be been being am do does did have has had will would can could should may
    might must i me my you your he him his she her it its we us our they them their this that these
    those there here what which who whom whose when where why how all any some more most very just
    only also even too really much many one out up down over again well still never ever movie film
    films movies story good bad great like see seen watch time 's""".split()
)
# Frequent function words of other languages written in Latin script that are not English words.
_FOREIGN = frozenset(
    """le les des est une et du pas que qui dans pour sur avec mais très cette sont été
    el los las es y una muy pero por con para del lo su más esta está fue como
    der das und ist nicht ein eine ich mit sie auch auf für dem von sehr wird sind war
    il di che è per sono molto questo della gli anche non
    os uma não em com muito ele ela foi mas
    het een niet zijn ook maar van dat voor wel""".split()
)
_NON_LATIN = re.compile(r"[^\W\d_a-zA-Z\u00c0-\u024f]")
_LETTER = re.compile(r"[^\W\d_]")
_MIN_TOKENS = 6


def looks_english(text: str, tokens: Sequence[str]) -> bool:
    """False for text mostly in a non-Latin script, or whose function words are mostly foreign."""
    if not text.isascii():
        letters = len(_LETTER.findall(text))
        if letters >= 3 and len(_NON_LATIN.findall(text)) > letters / 2:
            return False
    if len(tokens) < _MIN_TOKENS:
        return True
    english = sum(map(_ENGLISH.__contains__, tokens))
    foreign = sum(map(_FOREIGN.__contains__, tokens))
    return not (foreign >= 2 and foreign > english)
