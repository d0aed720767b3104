"""The shareable result image: a 1200×630 card drawn with Pillow, with Chinese text when
a CJK font is installed (website.core.fonts)."""

from io import BytesIO

from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from website.core.fonts import BOLD, cjk_font

WIDTH, HEIGHT = 1200, 630
BRAND = (161, 18, 18)
CREAM = (255, 247, 230)


def _text(draw, xy, text, size, fill, anchor="la"):
    font = cjk_font(size, BOLD if size >= 44 else 500)
    if font is None:
        # Without a CJK font, Chinese would come out as boxes: draw only digits and signs.
        text = "".join(ch for ch in text if ord(ch) < 128)
        font = ImageFont.load_default(size=size)
    draw.text(xy, text, font=font, fill=fill, anchor=anchor)


def render_share_image(quiz, attempt):
    """Return PNG bytes announcing ``attempt``'s score in ``quiz``."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BRAND)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((40, 40, WIDTH - 40, HEIGHT - 40), radius=28, fill=CREAM)
    draw.ellipse((80, 80, 200, 200), outline=BRAND, width=8)
    _text(draw, (140, 140), _("防"), 64, BRAND, anchor="mm")
    _text(draw, (230, 110), quiz.title[:18], 44, (26, 26, 26))
    _text(draw, (230, 170), _("防范非法集资知识测试"), 30, (74, 74, 74))
    percent = round((attempt.score or 0) * 100)
    _text(draw, (WIDTH // 2, 330), f"{percent}", 170, BRAND, anchor="mm")
    _text(
        draw,
        (WIDTH // 2, 450),
        _("答对 %(right)d / %(total)d 题")
        % {"right": attempt.correct_count or 0, "total": attempt.question_count},
        44,
        (26, 26, 26),
        anchor="mm",
    )
    _text(
        draw,
        (WIDTH // 2, 530),
        _("高息诱惑要警惕，保本承诺不可信"),
        34,
        (74, 74, 74),
        anchor="mm",
    )
    out = BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
