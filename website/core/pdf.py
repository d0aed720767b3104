"""Print-ready PDFs from Django templates: posters, leaflets, warning boards, paper quizzes.

Why WeasyPrint: the materials are HTML and CSS templates that staff and developers can read and
change like any page, with CSS paged media (@page sizes A3/A4/A5, margins, page breaks) doing
the layout; Pango lays out the text, which applies the Unicode line-breaking rules for Chinese
(no line starts with 。，、」 or ends with 「（) and ``line-break: strict`` for the stricter
禁则. ReportLab would need every layout drawn in Python.

Fonts come from the project's install, never from the machine (``website.core.fonts``): before
WeasyPrint starts, ``FONTCONFIG_FILE`` points at a configuration that adds the project's print
cut (Fangfei Sans SC) and the packaged Noto Sans CJK to whatever the machine has, and
``templates/core/print/base.html`` asks for them by name.

Resources are fetched by ``_Fetcher`` only: ``data:`` URIs (QR codes), our static files and
our media files. Anything else (http, other files) is refused, so a link or image in page
content can never make the server fetch a URL (no SSRF) or read a file it should not.
"""

import os
import threading
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.template.loader import render_to_string

from website.core import fonts

# Relative URLs in templates ("/static/…", "/media/…") resolve against this made-up root.
BASE_URL = "file:///fangfei/"
_ready = threading.Lock()
_weasyprint = None


def _load():
    """Import WeasyPrint once, after pointing fontconfig at the packaged font."""
    global _weasyprint
    with _ready:
        if _weasyprint is None:
            system = os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"
            if Path(system) == fonts.fontconfig_path():
                system = "/etc/fonts/fonts.conf"  # inherited from a parent that ran this
            # Our file includes the machine's own configuration, so nothing is lost.
            os.environ["FONTCONFIG_FILE"] = fonts.fontconfig_file(system=system)
            import weasyprint

            _weasyprint = weasyprint
    return _weasyprint


def _local_file(url):
    """Return the local path a ``file:`` URL under ``BASE_URL`` names, or None."""
    path = unquote(urlsplit(url).path)
    if path.startswith("/fangfei/"):
        path = path[len("/fangfei") :]
    static = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/"
    media = settings.MEDIA_URL if settings.MEDIA_URL.startswith("/") else "/media/"
    if path.startswith(static):
        found = finders.find(path[len(static) :])
        if not found and settings.STATIC_ROOT:
            candidate = Path(settings.STATIC_ROOT) / path[len(static) :]
            found = str(candidate) if candidate.is_file() else None
        return found
    if path.startswith(media):
        name = path[len(media) :]
        if ".." in Path(name).parts:
            return None
        try:
            return default_storage.path(name)
        except NotImplementedError:
            return None
    return None


def _fetcher_class(weasyprint):
    class _Fetcher(weasyprint.URLFetcher):
        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                local = _local_file(url)
                if local and os.path.isfile(local):
                    with open(local, "rb") as handle:
                        data = handle.read()
                    return weasyprint.urls.URLFetcherResponse(url, body=BytesIO(data))
            raise ValueError(f"PDF 不取用外部资源：{url[:80]}")

    return _Fetcher


def render_pdf(template_name, context, *, request=None):
    """Return the PDF bytes of ``template_name`` rendered with ``context``.

    Templates extend ``core/print/base.html`` (page size, margins, the Chinese font). Raises
    whatever the template raises; missing images and refused URLs are left out, not fatal.
    """
    weasyprint = _load()
    html = render_to_string(template_name, context, request=request)
    document = weasyprint.HTML(
        string=html, base_url=BASE_URL, url_fetcher=_fetcher_class(weasyprint)()
    )
    return document.write_pdf()
