"""Readable ASCII slugs for new pages: pinyin of the title's words.

A Chinese slug becomes a percent-encoded URL (``/campaigns/2026%E5%B9%B4…``) that costs SMS
parts and looks like phishing when shared. New pages therefore get the title's pinyin, one
hyphen between words (2026年岳麓区防范非法集资宣传月 → ``2026nian-yuelu-qu-fangfan-feifajizi-…``);
jieba with the site's search dictionary finds the words, so the domain's terms stay whole.
"""

from django.utils.text import slugify

from website.search.segment import query_words

#: Long enough for a title's main words, short enough for an SMS.
MAX_SLUG_LENGTH = 60


def pinyin_slug(text, max_length=MAX_SLUG_LENGTH):
    """Return a lower-case ASCII slug for ``text`` (pinyin for Chinese characters, other
    letters and digits kept), cut at a word boundary to ``max_length``; "" if nothing is left.
    """
    from pypinyin import lazy_pinyin

    words = []
    for word in query_words(text or ""):
        part = slugify("".join(lazy_pinyin(word)), allow_unicode=False)
        if part:
            words.append(part)
    if not words:
        # Only stopwords (a title like 的): spell every character rather than give nothing.
        words = [
            p
            for p in slugify("-".join(lazy_pinyin(text or "")), allow_unicode=False).split("-")
            if p
        ]
    slug = ""
    for part in words:
        candidate = f"{slug}-{part}" if slug else part
        if len(candidate) > max_length:
            break
        slug = candidate
    if not slug and words:
        slug = words[0][:max_length].strip("-")
    return slug


def unique_child_slug(base, parent, page=None):
    """Return ``base``, or ``base-2``, ``base-3`` … whichever no sibling of ``page`` under
    ``parent`` uses yet."""
    from wagtail.models import Page

    if parent is None:
        return base
    # child_of, not parent.get_children(): the latter trusts a possibly stale numchild.
    siblings = Page.objects.child_of(parent)
    if page is not None and page.pk:
        siblings = siblings.exclude(pk=page.pk)
    taken = set(siblings.filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, suffix = base, 1
    while candidate in taken:
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate
