"""The shareable result image: a 1200×630 card drawn with Pillow, with Chinese text when
a CJK font is installed (website.core.fonts), a QR code of the quiz's address
(website.core.qr) and the address written out, so whoever receives the picture in WeChat can
scan or type their way to the same quiz."""

from io import BytesIO

from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from website.core.fonts import BOLD, cjk_font
from website.core.qr import qr_image

WIDTH, HEIGHT = 1200, 630
BRAND = (161, 18, 18)
CREAM = (255, 247, 230)
QR_BOX = 250  # the QR code's largest side on the card, quiet zone included
LEFT_CENTRE = 450  # centre of the text column left of the code


def _text(draw, xy, text, size, fill, anchor="la"):
    font = cjk_font(size, BOLD if size >= 44 else 500)
    if font is None:
        # Without a CJK font, Chinese would come out as boxes: draw only digits and signs.
        text = "".join(ch for ch in text if ord(ch) < 128)
        font = ImageFont.load_default(size=size)
    draw.text(xy, text, font=font, fill=fill, anchor=anchor)


def _qr_image(address):
    """Return the QR code of ``address`` as an RGB image at most QR_BOX wide, in whole pixels
    per module (a scaled-down code with uneven modules scans badly from a photo)."""
    return qr_image(address, size=QR_BOX).convert("RGB")


def render_share_image(quiz, attempt, address=""):
    """Return PNG bytes announcing ``attempt``'s score in ``quiz``, with a QR code of and the
    text of ``address`` (the quiz's full URL) when given."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BRAND)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((40, 40, WIDTH - 40, HEIGHT - 40), radius=28, fill=CREAM)
    draw.ellipse((80, 80, 200, 200), outline=BRAND, width=8)
    _text(draw, (140, 140), _("防"), 64, BRAND, anchor="mm")
    _text(draw, (230, 110), quiz.title[:18], 44, (26, 26, 26))
    _text(draw, (230, 170), _("防范非法集资知识测试"), 30, (74, 74, 74))
    centre = LEFT_CENTRE if address else WIDTH // 2
    percent = round((attempt.score or 0) * 100)
    _text(draw, (centre, 320), f"{percent}", 170, BRAND, anchor="mm")
    _text(
        draw,
        (centre, 440),
        _("答对 %(right)d / %(total)d 题")
        % {"right": attempt.correct_count or 0, "total": attempt.question_count},
        44,
        (26, 26, 26),
        anchor="mm",
    )
    _text(
        draw,
        (centre, 505),
        _("高息诱惑要警惕，保本承诺不可信"),
        32,
        (74, 74, 74),
        anchor="mm",
    )
    if address:
        code = _qr_image(address)
        left = 990 - code.width // 2
        top = 300 - code.height // 2
        image.paste(code, (left, top))
        _text(draw, (990, top + code.height + 30), _("扫码测一测"), 32, BRAND, anchor="mm")
        _text(draw, (80, 560), address[:70], 24, (26, 26, 26), anchor="lm")
    out = BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
