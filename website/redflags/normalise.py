"""Undo the tricks pitches use to slip past keyword filters, keeping a way back to the original.

A pitch is matched in a normalised form: NFKC (full-width letters and digits become ASCII, ㈠
becomes (一)), traditional characters become simplified, and the spacing and punctuation that
scammers put inside words (保 本, 保.本, 保-本, 稳*赚) is dropped when it sits between two Chinese
characters. Every character of the normalised text remembers the index of the character of the
original text it came from, so a match can be highlighted in what the person pasted.
"""

import functools
import unicodedata
from dataclasses import dataclass

from opencc import OpenCC

# Dropped only between two Chinese characters: "1.5%" and "A-B" keep theirs. Sentence
# punctuation (，。！？) is kept: it separates clauses, and the negation check stops at it.
FILLERS = frozenset(
    " \t\r\n\u3000\u00a0.·•・-_~*^+=#|/\\'\"`'\u2018\u2019\u201c\u201d"
    "\u200b\u200c\u200d\u2060…" + chr(0xFEFF)
    # The zero-width no-break space too (named by number: only core.tabular writes it as a BOM).
)


@functools.cache
def _converter():
    return OpenCC("t2s")


def is_han(char):
    """Return whether ``char`` is a Chinese character (CJK unified ideographs, incl. ext. A)."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def _wordish(char):
    return is_han(char) or char.isdigit() or char == "%"


@dataclass(frozen=True)
class Normalised:
    """``text`` in matching form; ``origin[i]`` is the index in ``original`` of text[i]."""

    original: str
    text: str
    origin: tuple

    def span(self, start, end):
        """Return the (start, end) in the original text of the normalised slice [start, end)."""
        if start >= end:
            position = self.origin[start] if start < len(self.origin) else len(self.original)
            return position, position
        return self.origin[start], self.origin[end - 1] + 1


def to_simplified(text):
    """Return ``text`` in simplified characters, exactly as long as ``text``.

    OpenCC converts phrases, which can change the length; then each character is converted
    alone (a rare phrase then converts less well, but the offsets stay right).
    """
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    single = []
    for char in text:
        out = _converter().convert(char)
        single.append(out if len(out) == 1 else char)
    return "".join(single)


def normalise(text):
    """Return the Normalised form of ``text`` (see the module's docstring)."""
    chars, origin = [], []
    for index, char in enumerate(text):
        for out in unicodedata.normalize("NFKC", char):
            chars.append(out)
            origin.append(index)
    simplified = to_simplified("".join(chars))
    chars = list(simplified.lower())
    kept_chars, kept_origin = [], []
    count = len(chars)
    i = 0
    while i < count:
        char = chars[i]
        if char in FILLERS:
            # Find the end of this run of fillers: drop it when Chinese sits on both sides.
            j = i
            while j < count and chars[j] in FILLERS:
                j += 1
            before = kept_chars[-1] if kept_chars else ""
            after = chars[j] if j < count else ""
            if before and after and is_han(before) and is_han(after):
                i = j
                continue
            # Blanks inside a number or between a number and its unit (年化 1 5 %) go too.
            if (
                before
                and after
                and all(c.isspace() for c in chars[i:j])
                and _wordish(before)
                and _wordish(after)
            ):
                i = j
                continue
            # Elsewhere a run of blanks counts as one space.
            kept_chars.append(" " if char.isspace() else char)
            kept_origin.append(origin[i])
            i += 1
            if char.isspace():
                while i < count and chars[i].isspace():
                    i += 1
            continue
        kept_chars.append(char)
        kept_origin.append(origin[i])
        i += 1
    return Normalised(text, "".join(kept_chars), tuple(kept_origin))
