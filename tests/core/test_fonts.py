"""Chinese in every image and PDF comes from the project's own install (issue 16 §5)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from website.core import fonts

ROOT = Path(__file__).resolve().parents[2]


def test_the_packaged_font_is_found_first():
    assert fonts.packaged_font() is not None
    assert fonts.find_cjk_font() == fonts.packaged_font()


def test_pillow_draws_chinese_with_the_simplified_chinese_face_at_the_asked_weight():
    regular = fonts.cjk_font(60)
    bold = fonts.cjk_font(60, fonts.BOLD)
    assert regular.getname()[0] == "Noto Sans CJK SC"

    def ink(font):
        image = Image.new("L", (200, 100), 0)
        ImageDraw.Draw(image).text((10, 10), "防非", font=font, fill=255)
        return sum(image.histogram()[129:])

    # A bold stroke covers more pixels; a variable font left at its default would be hairline.
    assert ink(bold) > ink(regular) > 300


def test_the_fontconfig_file_adds_the_package_folder_to_the_machines_configuration(tmp_path):
    path = Path(fonts.fontconfig_file(system=str(tmp_path / "none.conf")))
    text = path.read_text()
    assert str(Path(fonts.packaged_font()).parent) in text
    assert str(tmp_path / "none.conf") in text


BARE_MACHINE = """
import json, os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings.test")
django.setup()
from io import BytesIO
from pypdf import PdfReader
from website.core.pdf import render_pdf
from website.core.qr import qr_data_uri
from quiz.share import render_share_image
pdf = render_pdf("core/print/sample.html", {"title": "防范非法集资宣传海报", "qr": qr_data_uri("https://example.org/s/Ab3")})
reader = PdfReader(BytesIO(pdf))
page = reader.pages[0]
names = sorted({str(f.get("/BaseFont")) for f in page["/Resources"]["/Font"].values()})
print(json.dumps({"text": page.extract_text(), "fonts": names}))
"""


# One run proves it: a subprocess that loads the 33 MB font collection, so services tier only.
@pytest.mark.services
def test_pdfs_show_chinese_on_a_machine_with_no_fonts_at_all(tmp_path):
    """fontconfig is told of no system font at all; the packaged one must still be used."""
    bare = tmp_path / "bare.conf"
    bare.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    env = {
        **os.environ,
        "FONTCONFIG_FILE": str(bare),
        "FANGFEI_VAR_DIR": str(tmp_path / "var"),
        "PATH": "/usr/bin:/bin",  # fc-list may exist; the bare config gives it nothing to list
    }
    env.pop("FANGFEI_CJK_FONT", None)
    out = subprocess.run(
        [sys.executable, "-c", BARE_MACHINE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    assert "防范非法集资宣传海报" in result["text"]
    assert "保本保息" in result["text"]
    # Only the project's own fonts: the print cut, or the packaged face for what it lacks.
    assert result["fonts"] and all(
        "Fangfei-Sans-SC" in name or "Noto-Sans-CJK-SC" in name for name in result["fonts"]
    )
    assert any("Fangfei-Sans-SC-Bold" in name for name in result["fonts"])  # the h1
