"""QR codes decode back to the address they were made for, with a real decoder (zxing-cpp)."""

import io

import zxingcpp
from PIL import Image

from website.core import qr

URL = "https://fangfei.example.org/s/Ab3x"


def decode(image):
    return [r.text for r in zxingcpp.read_barcodes(image)]


def test_png_decodes_to_the_url():
    assert decode(Image.open(io.BytesIO(qr.qr_png(URL)))) == [URL]


def test_image_for_a_picture_is_about_the_asked_size_and_decodes():
    image = qr.qr_image(URL, size=240)
    assert 180 <= image.size[0] <= 240
    assert decode(image.convert("RGB")) == [URL]


def test_svg_is_an_inline_element_without_declaration():
    svg = qr.qr_svg(URL)
    assert svg.startswith("<svg") and "<?xml" not in svg


def test_data_uri_is_an_svg_image():
    assert qr.qr_data_uri(URL).startswith("data:image/svg+xml")
