"""STAND-IN until the lead's website/core/qr.py lands on main (same API); take main's copy
at merge."""

import io

import segno


def qr_svg(url):
    """Return an inline SVG (no XML declaration) of a QR code for ``url``."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        out, kind="svg", xmldecl=False, svgns=True, nl=False, scale=10, border=4
    )
    return out.getvalue().decode()


def qr_png(url, scale=10):
    """Return PNG bytes of a QR code for ``url``."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
