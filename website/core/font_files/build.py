"""Rebuild the print fonts in this folder from the packaged Noto Sans CJK (a few minutes):

    python -m website.core.font_files.build

Why they exist: WeasyPrint turns a variable font into a static one for every document it
writes, and for Noto Sans CJK's 65,000 glyphs that costs seconds per PDF (a campaign's batch of
posters would take minutes). These are the simplified-Chinese face of the same font, cut to the
characters of GB 2312 plus Latin, punctuation and symbols (8,600 glyphs), at the two weights the
materials use, as static fonts. Renamed "Fangfei Sans SC" as the SIL Open Font License asks of a
modified version; characters outside the cut fall back to the full packaged font
(``website.core.fonts``). Licence: OFL.txt beside this file.
"""

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection
from fontTools.varLib import instancer

from website.core import fonts

HERE = Path(__file__).resolve().parent
FAMILY = "Fangfei Sans SC"
WEIGHTS = {"Regular": fonts.REGULAR, "Bold": fonts.BOLD}
# Latin, general punctuation, letterlike symbols, arrows, enclosed numbers, box drawing,
# shapes, miscellaneous symbols, CJK punctuation, full-width forms.
RANGES = [
    (0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2100, 0x214F), (0x2190, 0x21FF),
    (0x2460, 0x24FF), (0x2500, 0x257F), (0x25A0, 0x25FF), (0x2600, 0x26FF),
    (0x3000, 0x303F), (0xFF00, 0xFFEF),
]  # fmt: skip


def characters():
    """Return the code points kept: every character of GB 2312 and the ranges above."""
    kept = {c for a, b in RANGES for c in range(a, b + 1)}
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                kept.add(ord(bytes([high, low]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return sorted(kept)


def build():
    source = fonts.packaged_font()
    index = fonts._sc_index(source)
    for style, weight in WEIGHTS.items():
        font = TTCollection(source).fonts[index]
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=characters())
        subsetter.subset(font)
        font = instancer.instantiateVariableFont(font, {"wght": weight}, static=True)
        names = {
            1: FAMILY,
            2: style,
            4: f"{FAMILY} {style}",
            6: f"{FAMILY.replace(' ', '')}-{style}",
            16: FAMILY,
            17: style,
        }
        font["name"].names = [r for r in font["name"].names if r.nameID not in names]
        for name_id, text in names.items():
            font["name"].setName(text, name_id, 3, 1, 0x409)
        font["OS/2"].usWeightClass = weight
        if style == "Bold":
            font["OS/2"].fsSelection = (font["OS/2"].fsSelection | 0x20) & ~0x40
            font["head"].macStyle |= 1
        path = HERE / f"FangfeiSansSC-{style}.otf"
        font.save(path)
        print(path, path.stat().st_size)


if __name__ == "__main__":
    import django

    django.setup()
    build()
