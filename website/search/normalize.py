"""What every query goes through before it is segmented: one spelling for one word.

Full-width letters and digits become half-width (NFKC: ＰＯＳ → POS, ２０２６ → 2026), Latin
letters lower-case, and traditional characters simplified with OpenCC's ``t2s`` table
(養老 → 养老, 詐騙 → 诈骗), because the site's pages are written in simplified Chinese.
OpenCC here is ``opencc-python-reimplemented``: pure Python, so nothing to compile on a
bare machine; its tables load once per process (a few milliseconds).
"""

import functools
import unicodedata


@functools.cache
def _converter():
    from opencc import OpenCC

    return OpenCC("t2s")


def to_simplified(text):
    """Return ``text`` with traditional characters replaced by simplified ones."""
    return _converter().convert(text) if text else ""


def normalize(text):
    """Return ``text`` in the one form queries are matched in ("" for None or non-text)."""
    if not isinstance(text, str) or not text:
        return ""
    text = unicodedata.normalize("NFKC", text).lower()
    # ü is typed as v in pinyin input methods (lv, nv); keep one spelling.
    return to_simplified(text).replace("ü", "v")
