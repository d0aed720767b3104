"""长辈模式 (elder mode): large type and high contrast, kept in a cookie.

The switch is a plain link, so it works without JavaScript, and the page cache keys on the
same cookie, so nobody is ever served a page in the other mode.
"""

ELDER_COOKIE = "elder"
ELDER_COOKIE_MAX_AGE = 365 * 24 * 3600


def is_elder_mode(request):
    """Return True when the request carries the elder-mode cookie."""
    return request.COOKIES.get(ELDER_COOKIE) == "1"
