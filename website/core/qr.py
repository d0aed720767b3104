"""QR codes for everything the office prints or shares (posters, leaflets, answer sheets, the
quiz result card), drawn by segno: maintained, pure Python, no image library needed for SVG.

Error correction is "M" (15 %) unless the caller asks otherwise: posters on village walls get
creased and rained on, and the short links they carry are short enough that the extra
redundancy costs no readability.
"""

import io

import segno


def _code(url, error):
    return segno.make_qr(url, error=error, boost_error=True)


def qr_svg(url, *, scale=4, border=4, error="m", dark="#000"):
    """Return an inline ``<svg>`` element (no XML declaration) that encodes ``url``.

    ``scale`` is the size of one module in user units; ``border`` the quiet zone in modules
    (4 is what the standard asks for and what cheap phone cameras need).
    """
    out = io.BytesIO()
    _code(url, error).save(
        out,
        kind="svg",
        scale=scale,
        border=border,
        dark=dark,
        xmldecl=False,
        svgns=True,
        nl=False,
    )
    return out.getvalue().decode()


def qr_png(url, *, scale=8, border=4, error="m"):
    """Return PNG bytes of a QR code for ``url``, ``scale`` pixels per module."""
    out = io.BytesIO()
    _code(url, error).save(out, kind="png", scale=scale, border=border)
    return out.getvalue()


def qr_image(url, *, size, border=4, error="m"):
    """Return a Pillow image of the QR code for ``url``, about ``size`` pixels square, to paste
    into a picture the site draws (the quiz's share card)."""
    from PIL import Image

    code = _code(url, error)
    modules = code.symbol_size(scale=1, border=border)[0]
    scale = max(1, size // modules)
    return Image.open(io.BytesIO(qr_png(url, scale=scale, border=border, error=error)))


def qr_data_uri(url, *, scale=4, border=4, error="m"):
    """Return ``url``'s QR code as an SVG ``data:`` URI for an ``<img src>`` in a PDF template."""
    return _code(url, error).svg_data_uri(scale=scale, border=border)
