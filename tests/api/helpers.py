"""Helpers for the API tests."""

import io

from django.test import Client


def image(title="海报", colour="#a11212"):
    """A small PNG in the image library."""
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 360), colour).save(buffer, "PNG")
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name="p.png"))


def get_json(path, params=None, client=None, **headers):
    """GET ``path`` from the API; return (response, parsed JSON body)."""
    response = (client or Client()).get(path, params or {}, headers=headers)
    return response, response.json()


def titles(body):
    return {item["title"] for item in body["items"]}
