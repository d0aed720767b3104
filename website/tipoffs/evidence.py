"""Evidence uploads: what a file really is, and what of it is kept.

The type comes from the file's first bytes (``filetype``, a maintained magic-number library),
so a program renamed ``photo.jpg`` is refused. Images are then decoded by Pillow and saved
again from their pixels: that drops EXIF (with GPS), XMP and anything appended to the file,
after turning the picture upright by its EXIF orientation so nothing looks sideways.
"""

import hashlib
import io
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/gif": "png"}
PDF_TYPES = {"application/pdf": "pdf"}
AUDIO_TYPES = {
    "audio/mpeg": "mp3",
    "audio/mp4": "m4a",
    "video/mp4": "m4a",  # many phones save voice memos in an MP4 container
    "audio/x-wav": "wav",
    "audio/amr": "amr",
    "audio/ogg": "ogg",
    "audio/aac": "aac",
    "audio/x-flac": "flac",
}
#: Pictures bigger than this many pixels are refused before they are decoded (decompression
#: bombs); a 50-megapixel phone photo still fits.
MAX_PIXELS = 60_000_000


class EvidenceRefused(Exception):
    """A file that is not kept; ``message`` says why, for the person who chose it."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class CheckedFile:
    """An upload that passed: ``kind`` (Evidence.Kind value), ``mime``, the bytes to store and
    their extension."""

    kind: str
    mime: str
    content: bytes
    ext: str

    @property
    def size(self):
        return len(self.content)

    @property
    def sha256(self):
        return hashlib.sha256(self.content).hexdigest()


def _read(upload, cap):
    chunks, total = [], 0
    for chunk in upload.chunks():
        total += len(chunk)
        if total > cap:
            raise EvidenceRefused(
                _("文件“%(name)s”太大了，每个文件不能超过 %(mb)s MB。")
                % {"name": _short(upload.name), "mb": cap // (1024 * 1024)}
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _short(name):
    name = str(name or "")
    return name if len(name) <= 30 else name[:27] + "…"


def inspect_upload(upload):
    """Return a CheckedFile for ``upload`` (an UploadedFile), ready to store.

    Raises EvidenceRefused when the file is empty, too big, of a type not taken, or an image
    that does not decode.
    """
    cap = settings.TIPOFF_MAX_FILE_BYTES
    if upload.size is not None and upload.size > cap:
        raise EvidenceRefused(
            _("文件“%(name)s”太大了，每个文件不能超过 %(mb)s MB。")
            % {"name": _short(upload.name), "mb": cap // (1024 * 1024)}
        )
    content = _read(upload, cap)
    if not content:
        raise EvidenceRefused(_("文件“%(name)s”是空的。") % {"name": _short(upload.name)})
    guess = filetype.guess(content[:8192])
    mime = guess.mime if guess else ""
    if mime in IMAGE_TYPES:
        return _clean_image(content, mime, upload.name)
    if mime in PDF_TYPES:
        return CheckedFile("pdf", mime, content, "pdf")
    if mime in AUDIO_TYPES:
        return CheckedFile("audio", mime, content, AUDIO_TYPES[mime])
    raise EvidenceRefused(
        _("文件“%(name)s”不是能接收的图片、PDF 或录音（我们看的是文件内容，不是文件名）。")
        % {"name": _short(upload.name)}
    )


def _clean_image(content, mime, name):
    broken = EvidenceRefused(_("图片“%(name)s”打不开，可能已损坏。") % {"name": _short(name)})
    try:
        with Image.open(io.BytesIO(content)) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise EvidenceRefused(
                    _("图片“%(name)s”尺寸太大，请截图或缩小后再上传。") % {"name": _short(name)}
                )
            probe.verify()
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            fmt = {"image/jpeg": "JPEG", "image/webp": "WEBP"}.get(mime, "PNG")
            if fmt == "JPEG" and upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            if fmt == "PNG" and upright.mode == "P":
                upright = upright.convert("RGBA")
            out = io.BytesIO()
            # Saved from pixels with no exif/xmp/icc arguments: no metadata travels along.
            upright.save(out, fmt, **({"quality": 90} if fmt != "PNG" else {}))
    except EvidenceRefused:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise broken from None
    return CheckedFile(
        "image",
        {"JPEG": "image/jpeg", "WEBP": "image/webp"}.get(fmt, "image/png"),
        out.getvalue(),
        IMAGE_TYPES.get(mime, "png") if fmt != "PNG" else "png",
    )
