"""How a firm's name is compared: the same text whatever way it was typed or printed.

A name in a leaflet, a chat message or a search box differs from the one on the list in ways
that say nothing about which firm it is: full-width letters and digits (ＡＢＣ１２３), traditional
characters (滙金投資), brackets (（北京） or 【北京】), spaces and dots, and the legal form at the
end (有限公司, 股份有限公司, 有限责任公司 …). ``fold`` removes the first four, ``normalise_name``
also the legal form. Both sides of every comparison (the stored names and what a visitor
types) go through the same function, so they agree by construction.

Traditional characters are converted with OpenCC's traditional-to-simplified character
dictionary (opencc-python-reimplemented, pure Python, no system library): a hand-made table
would miss most of the 2,700-odd pairs.
"""

import functools
import unicodedata
from importlib import resources

from opencc import OpenCC

# Legal forms at the end of a name, longest first so 股份有限公司 is not cut to 股份.
LEGAL_FORMS = (
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "普通合伙企业",
    "有限合伙企业",
    "有限公司",
    "股份公司",
    "合伙企业",
    "有限合伙",
    "普通合伙",
    "公司",
)
# Removing a legal form must leave a name, not one character.
MIN_NAME = 2


@functools.cache
def _character_table():
    """Return a str.translate table from OpenCC's traditional-to-simplified character
    dictionary (the first simplified form of each), or None if the package has none."""
    try:
        source = resources.files("opencc") / "dictionary" / "TSCharacters.txt"
        lines = source.read_text(encoding="utf-8").splitlines()
    except (FileNotFoundError, ModuleNotFoundError, OSError):
        return None
    table = {}
    for line in lines:
        traditional, _, simplified = line.partition("\t")
        simplified = simplified.split(" ")[0]
        if len(traditional) == 1 and len(simplified) == 1:
            table[ord(traditional)] = simplified
    return table


@functools.cache
def _converter():
    return OpenCC("t2s")


def to_simplified(text):
    """Return ``text`` with traditional characters in simplified form, character by
    character with OpenCC's dictionary: every name and every text goes through here, and a
    table lookup is a hundred times faster than OpenCC's phrase segmentation in pure Python;
    it also keeps the text's length, so offsets into it stay right. OpenCC's converter is
    the fallback where its dictionary file cannot be read."""
    if not text:
        return ""
    table = _character_table()
    if table is None:
        return _converter().convert(text)
    return text.translate(table)


def _keep(ch):
    # Letters and digits only: brackets, spaces, dots and dashes never tell two firms apart.
    return unicodedata.category(ch)[0] in "LN"


def fold_with_offsets(text):
    """Return (folded text, offsets): ``text`` in simplified characters, NFKC (full-width
    forms as half-width), lower case, with everything but letters and digits removed;
    ``offsets[i]`` is the index in ``text`` of the character that became folded[i]."""
    text = text or ""
    simplified = to_simplified(text)
    if len(simplified) != len(text):
        # OpenCC converts phrase by phrase; a phrase of another length would shift every
        # offset after it, so convert character by character instead.
        simplified = "".join(to_simplified(ch) or ch for ch in text)
        if len(simplified) != len(text):
            simplified = text
    out, offsets = [], []
    for index, ch in enumerate(simplified):
        folded = _fold_char(ch)
        if folded:
            out.append(folded)
            offsets.extend([index] * len(folded))
    return "".join(out), offsets


@functools.lru_cache(maxsize=8192)
def _fold_char(ch):
    # Texts repeat their characters, so each is normalised once.
    return "".join(p for p in unicodedata.normalize("NFKC", ch).casefold() if _keep(p))


def fold(text):
    """Return ``text`` folded for comparison (see fold_with_offsets)."""
    return fold_with_offsets(text)[0]


def strip_legal_form(folded):
    """Return the folded name ``folded`` without its legal form at the end (有限公司 …),
    unless that would leave fewer than two characters."""
    for form in LEGAL_FORMS:
        if folded.endswith(form):
            # Only the longest form at the end is the legal form ("有限公司" is not 有限 + 公司).
            return folded[: -len(form)] if len(folded) - len(form) >= MIN_NAME else folded
    return folded


def normalise_name(text):
    """Return the form in which names are stored and compared: ``fold`` then
    ``strip_legal_form``. "示范滙金（北京）投資有限公司" and "示范汇金北京投资" give the same."""
    return strip_legal_form(fold(text))
