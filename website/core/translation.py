"""Remembered translations: a page's ``{% translate %}`` tags looked up once per process.

The site's strings are written in Chinese, so for zh-hans nearly every lookup misses every
catalogue: Django's merged catalogue tries each group of app catalogues with its own plural
rule, then Python's gettext walks the fallback chain. On a notice page that was some 60
lookups costing about a fifth of the uncached render (cProfile). Catalogues never change
while a process runs (a change of LOCALE_PATHS or a reset in tests builds new translation
objects, and with them new, empty memos), so the answer for a message is remembered on the
translation object that gave it.
"""

from django.utils.translation import trans_real

# Messages are literals in code and templates; the bound only guards against code that
# translates data.
MAX_REMEMBERED = 10_000


def install():
    """Make ``DjangoTranslation.gettext`` remember its answers (idempotent)."""
    cls = trans_real.DjangoTranslation
    if getattr(cls.gettext, "_fangfei_memo", False):
        return
    original = cls.gettext

    def gettext(self, message):
        memo = self.__dict__.get("_fangfei_gettext")
        if memo is None:
            memo = self.__dict__["_fangfei_gettext"] = {}
        try:
            return memo[message]
        except (KeyError, TypeError):
            result = original(self, message)
            if len(memo) < MAX_REMEMBERED and isinstance(message, str):
                memo[message] = result
            return result

    gettext._fangfei_memo = True
    cls.gettext = gettext
