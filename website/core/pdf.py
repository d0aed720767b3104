"""STAND-IN until the lead's website/core/pdf.py lands on main (same API); take main's copy
at merge."""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from website.core.fonts import find_cjk_font


def render_pdf(template_name, context, *, request=None):
    """Return the PDF bytes of ``template_name`` rendered with ``context``."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_to_string(template_name, context, request=request)
    fonts = FontConfiguration()
    font = find_cjk_font()
    sheets = []
    if font:
        sheets.append(
            CSS(
                string=f'@font-face {{ font-family: "Fangfei CJK"; src: url("{Path(font).as_uri()}"); }}',
                font_config=fonts,
            )
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=sheets, font_config=fonts
    )
