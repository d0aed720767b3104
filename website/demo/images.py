"""Poster-like demo illustrations drawn with Pillow: no downloads, no bundled files.

Each poster has a coloured background, a simple motif (coins, a house, a tree …) and, when
a CJK font is installed, a Chinese headline. Without such a font the poster is drawn
without text rather than with boxes where the characters should be.
"""

import hashlib
import random
from dataclasses import dataclass
from io import BytesIO

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model

from website.core.fonts import BOLD, cjk_font, find_cjk_font

WIDTH, HEIGHT = 1200, 675


@dataclass(frozen=True)
class PosterSpec:
    """One demo image: what it is called, what it shows and how it is drawn."""

    key: str
    title: str  # the Wagtail image title (Chinese)
    headline: str  # big text on the poster
    tagline: str  # smaller text under the headline
    motif: str  # one of MOTIFS
    background: tuple  # RGB
    accent: tuple  # RGB


def _font(size):
    return cjk_font(size, BOLD)


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _background(draw, spec):
    darker = _mix(spec.background, (0, 0, 0), 0.35)
    for y in range(HEIGHT):
        draw.line([(0, y), (WIDTH, y)], fill=_mix(spec.background, darker, y / HEIGHT))


def _decor(draw, spec, rng):
    light = _mix(spec.background, (255, 255, 255), 0.18)
    for _ in range(9):
        r = rng.randint(30, 140)
        x, y = rng.randint(-50, WIDTH), rng.randint(-50, HEIGHT)
        draw.ellipse([x - r, y - r, x + r, y + r], outline=light, width=6)


# Motifs are drawn in the right-hand third, centred on (cx, cy).
def _coins(draw, cx, cy, accent, rng):
    for col, height in enumerate((3, 5, 8)):
        x = cx - 120 + col * 110
        for i in range(height):
            y = cy + 150 - i * 34
            draw.ellipse(
                [x - 48, y - 18, x + 48, y + 18], fill=accent, outline=(90, 60, 0), width=3
            )
    draw.line([(cx - 170, cy - 150), (cx + 190, cy - 210)], fill=(255, 255, 255), width=10)
    draw.polygon([(cx + 190, cy - 210), (cx + 150, cy - 230), (cx + 160, cy - 185)], fill="white")


def _house(draw, cx, cy, accent, rng):
    draw.polygon([(cx - 170, cy - 20), (cx, cy - 170), (cx + 170, cy - 20)], fill=accent)
    draw.rectangle([cx - 130, cy - 20, cx + 130, cy + 170], fill=(250, 246, 238))
    draw.rectangle([cx - 30, cy + 60, cx + 30, cy + 170], fill=accent)
    for dx in (-95, 55):
        draw.rectangle([cx + dx, cy + 10, cx + dx + 45, cy + 55], fill=(120, 170, 210))


def _tree(draw, cx, cy, accent, rng):
    draw.rectangle([cx - 22, cy + 40, cx + 22, cy + 180], fill=(110, 70, 40))
    for i, r in enumerate((150, 120, 90)):
        y = cy - 20 - i * 70
        draw.ellipse(
            [cx - r, y - r * 0.7, cx + r, y + r * 0.7], fill=_mix(accent, (0, 0, 0), i * 0.1)
        )
    draw.line([(cx - 200, cy + 180), (cx + 200, cy + 180)], fill=(80, 60, 30), width=8)


def _phone(draw, cx, cy, accent, rng):
    draw.rounded_rectangle([cx - 110, cy - 200, cx + 110, cy + 200], radius=30, fill=(35, 35, 45))
    draw.rectangle([cx - 92, cy - 165, cx + 92, cy + 160], fill=(245, 245, 250))
    for i in range(5):
        w = rng.randint(70, 160)
        draw.rounded_rectangle(
            [cx - 80, cy - 150 + i * 60, cx - 80 + w, cy - 110 + i * 60], radius=10, fill=accent
        )


def _chart(draw, cx, cy, accent, rng):
    heights = [60, 95, 140, 190, 250, 40]
    for i, h in enumerate(heights):
        x = cx - 180 + i * 62
        colour = (230, 60, 50) if i == len(heights) - 1 else accent
        draw.rectangle([x, cy + 170 - h, x + 44, cy + 170], fill=colour)
    draw.line([(cx - 200, cy + 172), (cx + 200, cy + 172)], fill="white", width=6)


def _shield(draw, cx, cy, accent, rng):
    draw.polygon(
        [
            (cx, cy - 190),
            (cx + 160, cy - 130),
            (cx + 140, cy + 60),
            (cx, cy + 190),
            (cx - 140, cy + 60),
            (cx - 160, cy - 130),
        ],
        fill=accent,
    )
    draw.line([(cx - 70, cy), (cx - 15, cy + 60), (cx + 80, cy - 70)], fill="white", width=26)


def _warning(draw, cx, cy, accent, rng):
    draw.polygon([(cx, cy - 190), (cx + 200, cy + 160), (cx - 200, cy + 160)], fill=accent)
    draw.rectangle([cx - 18, cy - 80, cx + 18, cy + 60], fill=(40, 30, 20))
    draw.ellipse([cx - 20, cy + 85, cx + 20, cy + 125], fill=(40, 30, 20))


def _people(draw, cx, cy, accent, rng):
    for i, dx in enumerate((-130, 0, 130)):
        top = cy - 60 - (25 if i == 1 else 0)
        colour = _mix(accent, (255, 255, 255), i * 0.15)
        draw.ellipse([cx + dx - 42, top - 84, cx + dx + 42, top], fill=colour)
        draw.pieslice([cx + dx - 75, top + 10, cx + dx + 75, top + 200], 180, 360, fill=colour)


def _heart(draw, cx, cy, accent, rng):
    draw.ellipse([cx - 160, cy - 150, cx + 10, cy + 20], fill=accent)
    draw.ellipse([cx - 10, cy - 150, cx + 160, cy + 20], fill=accent)
    draw.polygon([(cx - 152, cy - 25), (cx + 152, cy - 25), (cx, cy + 170)], fill=accent)


def _book(draw, cx, cy, accent, rng):
    draw.polygon(
        [(cx - 190, cy - 120), (cx, cy - 90), (cx, cy + 150), (cx - 190, cy + 120)], fill=accent
    )
    draw.polygon(
        [(cx + 190, cy - 120), (cx, cy - 90), (cx, cy + 150), (cx + 190, cy + 120)],
        fill=_mix(accent, (255, 255, 255), 0.25),
    )
    for i in range(4):
        y = cy - 60 + i * 40
        draw.line([(cx + 30, y), (cx + 160, y - 12)], fill="white", width=5)


MOTIFS = {
    "coins": _coins,
    "house": _house,
    "tree": _tree,
    "phone": _phone,
    "chart": _chart,
    "shield": _shield,
    "warning": _warning,
    "people": _people,
    "heart": _heart,
    "book": _book,
}


def _fitted_font(draw, text, size, max_width):
    """Return the largest font up to ``size`` px that draws ``text`` within ``max_width``."""
    font = _font(size)
    while size > 24 and draw.textlength(text, font=font) > max_width:
        size -= 4
        font = _font(size)
    return font


def _text(draw, spec):
    if find_cjk_font() is None:
        # No CJK font: plain bars where the text would be keep the poster layout.
        draw.rounded_rectangle([70, 200, 620, 300], radius=18, fill=(255, 255, 255))
        draw.rounded_rectangle([70, 340, 520, 380], radius=12, fill=spec.accent)
        return
    # Text stays left of the motif disc, which starts at x=670.
    big = _fitted_font(draw, spec.headline, 92, 580)
    small = _fitted_font(draw, spec.tagline, 44, 560)
    draw.text((71, 185), spec.headline, font=big, fill=_mix(spec.background, (0, 0, 0), 0.6))
    draw.text((66, 180), spec.headline, font=big, fill=(255, 255, 255))
    width = draw.textlength(spec.tagline, font=small)
    draw.rounded_rectangle([62, 318, 90 + width, 388], radius=14, fill=spec.accent)
    draw.text((76, 326), spec.tagline, font=small, fill=(30, 25, 20))
    footer = "防范非法集资 · 示范市处非办（演示图片）"
    draw.text((66, HEIGHT - 70), footer, font=_font(28), fill=(255, 255, 255))


def render_poster(spec):
    """Return the poster for ``spec`` as JPEG bytes (the same bytes every time)."""
    rng = random.Random(spec.key)
    im = PILImage.new("RGB", (WIDTH, HEIGHT), spec.background)
    draw = ImageDraw.Draw(im)
    _background(draw, spec)
    _decor(draw, spec, rng)
    # A pale disc behind the motif keeps it readable on every background.
    cx, cy = 920, HEIGHT // 2
    draw.ellipse(
        [cx - 250, cy - 250, cx + 250, cy + 250], fill=_mix(spec.background, (255, 255, 255), 0.3)
    )
    MOTIFS[spec.motif](draw, cx, cy, spec.accent, rng)
    _text(draw, spec)
    # A thin band at the top, as on printed campaign posters.
    draw.rectangle([0, 0, WIDTH, 18], fill=spec.accent)
    for i in range(0, WIDTH, 60):
        draw.line([(i, 0), (i + 30, 18)], fill=_mix(spec.accent, (0, 0, 0), 0.3), width=6)
    buffer = BytesIO()
    im.save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def create_images(specs, collection=None, written=None):
    """Create a Wagtail image for each spec; return them as a dict keyed by spec key.

    The storage name of every file written is appended to ``written`` (when given), so a
    caller whose transaction rolls back can delete the files the database no longer knows.
    """
    Image = get_image_model()
    images = {}
    for spec in specs:
        data = render_poster(spec)
        image = Image(
            title=spec.title,
            file=ImageFile(BytesIO(data), name=f"demo-{spec.key}.jpg"),
            file_size=len(data),
            file_hash=hashlib.sha1(data).hexdigest(),
        )
        if collection is not None:
            image.collection = collection
        image.save()
        if written is not None:
            written.append(image.file.name)
        images[spec.key] = image
    return images
