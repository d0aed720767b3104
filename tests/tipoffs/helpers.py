"""Shared builders for the tip-off tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from website.tipoffs import services

NEW = "/report/"
DONE = "/report/done/"
PHONE_URL = "/report/phone/"
STATUS = "/report/status/"


def form_data(**extra):
    data = {
        "what_happened": "有人在小区门口发传单，说投资养老公寓每月返息2%，保本保息。",
        "firm_name": "某某养老服务有限公司",
        "channel": "offline",
        "anonymous": "1",
    }
    data.update(extra)
    return data


def jpeg_with_gps(name="photo.jpg"):
    """Return an uploaded JPEG whose EXIF carries a camera make and GPS coordinates."""
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 0.0), 3: "E", 4: (121.0, 28.0, 0.0)}  # GPS IFD
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def pdf(name="contract.pdf"):
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def make_report(**extra):
    """Return ``(report, secret)`` made through the same path as the public form."""
    data = {
        "what_happened": "经过",
        "firm_name": extra.pop("firm_name", "某某理财工作室"),
        "channel": "wechat",
        "anonymous": extra.pop("anonymous", True),
        "name": extra.pop("name", ""),
        "phone": extra.pop("phone", ""),
        "contact": extra.pop("contact", ""),
        "credit_code": extra.pop("credit_code", ""),
    }
    data.update(extra)
    return services.submit(data)
