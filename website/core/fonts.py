"""Finding a font that can draw Chinese, for every image the site makes (demo posters, quiz
result cards): the site must never draw boxes where characters should be."""

import functools
import os
import shutil
import subprocess

from PIL import ImageFont

# Fonts with Chinese glyphs found on common Linux systems, best first.
CJK_FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
]


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
    """Return the path of a font that can draw Chinese, or None when there is none.

    ``FANGFEI_CJK_FONT`` (or the older ``FANGFEI_DEMO_FONT``) overrides the search.
    """
    candidates = [os.environ.get("FANGFEI_CJK_FONT", ""), os.environ.get("FANGFEI_DEMO_FONT", "")]
    candidates += CJK_FONT_CANDIDATES
    candidates += _fontconfig_cjk_fonts()
    for path in candidates:
        if not path or not os.path.isfile(path):
            continue
        try:
            ImageFont.truetype(path, 20).getbbox("防非")
        except OSError:
            continue
        return path
    return None
