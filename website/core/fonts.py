"""The Chinese font of every image and PDF the site makes (demo posters, quiz result cards,
print materials): the site must never draw boxes where characters should be, and it must not
depend on what fonts a machine happens to have.

The font comes with the project's own install: the PyPI package ``manimgx-fonts-cjk`` carries
Noto Sans CJK (SIL Open Font License 1.1) unmodified, as one variable-weight collection of five
faces (JP, KR, SC, TC, HK). Chinese text must use the SC face: the faces share code points but
draw some characters differently (直, 骨, 递), so "any CJK font" is not good enough. Noto Sans
CJK is the font Debian, Android and most Linux desktops set Chinese in.

Pillow opens the SC face by index and sets its weight axis (a variable font opens at its
lightest weight otherwise). WeasyPrint finds fonts through fontconfig, so ``fontconfig_file``
writes a configuration that adds the package's folder to whatever the machine has; print
templates then ask for the family by name (``CJK_FAMILY``).

Without the package (an unusual install), the older search of system fonts still works.
"""

import functools
import os
import shutil
import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from PIL import ImageFont

CJK_FAMILY = "Noto Sans CJK SC"
# The print fonts: the same face cut to GB 2312 at two static weights (font_files/build.py),
# so WeasyPrint need not instantiate the variable font for every PDF.
PRINT_FAMILY = "Fangfei Sans SC"
PRINT_FONTS = Path(__file__).resolve().parent / "font_files"
REGULAR, BOLD = 400, 700

# Fonts with Chinese glyphs found on common Linux systems, best first (the fallback).
CJK_FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
]


def packaged_font():
    """Return the path of the Noto Sans CJK collection installed with the project, or None."""
    try:
        import manimgx_fonts_cjk
    except ImportError:
        return None
    path = Path(manimgx_fonts_cjk.__file__).with_name("NotoSansCJK-VF.otf.ttc")
    return str(path) if path.is_file() else None


def _fontconfig_cjk_fonts():
    """Return font files fontconfig says cover Chinese, or [] without fontconfig."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return []
    try:
        out = subprocess.run(
            [fc_list, ":lang=zh-cn", "file"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    files = sorted({line.split(":")[0].strip() for line in out.splitlines() if line.strip()})
    # Prefer sans-serif (黑体) faces: they read better at poster size.
    return sorted(files, key=lambda f: 0 if any(s in f.lower() for s in ("hei", "sans")) else 1)


@functools.cache
def find_cjk_font():
    """Return the path of a font file that can draw Chinese, or None when there is none.

    ``FANGFEI_CJK_FONT`` (or the older ``FANGFEI_DEMO_FONT``) overrides the choice; then the
    packaged Noto Sans CJK; then system fonts. Use ``cjk_font`` to open it: a collection
    holds several faces and only ``cjk_font`` picks the simplified-Chinese one.
    """
    candidates = [os.environ.get("FANGFEI_CJK_FONT", ""), os.environ.get("FANGFEI_DEMO_FONT", "")]
    candidates += [packaged_font() or ""]
    candidates += CJK_FONT_CANDIDATES
    candidates += _fontconfig_cjk_fonts()
    for path in candidates:
        if not path or not os.path.isfile(path):
            continue
        try:
            ImageFont.truetype(path, 20, index=_sc_index(path)).getbbox("防非")
        except OSError:
            continue
        return path
    return None


@functools.cache
def _sc_index(path):
    """Return the index of the simplified-Chinese face in a collection (0 for a single font)."""
    for index in range(8):
        try:
            family, _style = ImageFont.truetype(path, 10, index=index).getname()
        except OSError:
            break
        if family and ("SC" in family.split() or "GB" in family):
            return index
    return 0


@functools.cache
def cjk_font(size, weight=REGULAR):
    """Return a Pillow font of ``size`` pixels that draws simplified Chinese, or None.

    ``weight`` (``REGULAR`` or ``BOLD``, or any value on the 100–900 scale) sets a variable
    font's weight axis; a static font ignores it. Cached: callers ask for the same few sizes.
    """
    path = find_cjk_font()
    if path is None:
        return None
    font = ImageFont.truetype(path, size, index=_sc_index(path))
    try:
        font.set_variation_by_axes([weight])
    except OSError:
        pass  # not a variable font: it has one weight
    return font


def fontconfig_path():
    """Return where ``fontconfig_file`` writes its configuration."""
    return Path(settings.VAR_DIR) / "fontconfig" / "fonts.conf"


def fontconfig_file(system="/etc/fonts/fonts.conf"):
    """Write and return a fontconfig configuration that adds the packaged font's folder to the
    machine's own configuration ``system`` (a missing file counts as no fonts at all).

    WeasyPrint (through Pango) finds fonts only through fontconfig; this makes
    ``PRINT_FAMILY`` and ``CJK_FAMILY`` known by name on a machine with no fonts installed.
    """
    path = fontconfig_path()
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    font = packaged_font()
    folders = [PRINT_FONTS] + ([Path(font).parent] if font else [])
    dirs = "".join(f"<dir>{escape(str(folder))}</dir>" for folder in folders)
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f'  <include ignore_missing="yes">{escape(system)}</include>\n'
        f"  {dirs}\n"
        f"  <cachedir>{escape(str(folder / 'cache'))}</cachedir>\n"
        "</fontconfig>\n"
    )
    if not path.is_file() or path.read_text() != text:
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text)
        tmp.replace(path)
    return str(path)
