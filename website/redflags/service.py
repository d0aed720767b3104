"""What the page, the JSON endpoint and the admin try-out share: the rules to run, the
threshold, and what a report links to. Nothing here keeps or logs the text."""

import logging
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from website.redflags.checker import FEATURES, check, compiled, firms_in
from website.redflags.models import CheckerSettings, Method, draft_specs, published_specs

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = Decimal("6.00")

FEATURE_PLAIN = {
    "illegal": _(
        "没有经过金融监管部门批准，却向公众收钱。正规机构的牌照可以查到，查不到的就是非法。"
    ),
    "public": _("通过讲座、传单、微信群、朋友圈、送礼品等方式到处宣传，想让尽量多的人知道。"),
    "lure": _("许诺保本、付息、分红或高额回报，用看得见的好处引你把钱交出去。"),
    "social": _("不挑对象，谁都可以投，还鼓励你拉亲戚朋友一起投。"),
}
SAFETY_NOTE = _(
    "没发现风险信号不等于安全。骗子的话术一直在变，本工具只能发现常见的说法。"
    "投钱之前，请先查对方有没有金融牌照，和家人商量，拿不准就打举报电话问一问。"
)


def threshold():
    """Return the annual-rate threshold (percent) staff set, or the default without a row."""
    try:
        return CheckerSettings.load().annual_rate_threshold
    except Exception:  # no settings row can be made (read-only database): the default
        return DEFAULT_THRESHOLD


def threshold_note():
    try:
        return CheckerSettings.load().threshold_note
    except Exception:
        return ""


def run(text, drafts=False):
    """Return the Report of ``text`` under the published rules (``drafts``: every rule's
    latest revision, for staff trying a change before it is published)."""
    specs = draft_specs() if drafts else published_specs()
    return check(text, compiled(specs), float(threshold()))


def method_descriptions():
    return dict(Method.objects.values_list("name", "description"))


def related_pages(report, indexes=None, per_tag=3):
    """Return {tag slug: (tag name, [live public cases and notices with that tag])} for the
    tags the report's flags name, leaving out tags with nothing to link to (no pages, and no
    listing in ``indexes`` to filter by the tag)."""
    from website.pages.models import CaseStudyPage, RiskNoticePage

    tags = {f.tag_slug: f.tag_name for f in report.flags if f.tag_slug}
    related = {}
    for slug, name in tags.items():
        pages = []
        for model in (RiskNoticePage, CaseStudyPage):
            pages += list(
                model.objects.live()
                .public()
                .filter(tags__slug=slug)
                .order_by("-first_published_at")[:per_tag]
            )
        if pages or any((indexes or {}).values()):
            related[slug] = (name, pages[: per_tag * 2])
    return related


def index_urls():
    """Return the URLs of the notices and cases listings ({"notices": url, "cases": url})."""
    from website.pages.models import CaseStudyIndexPage, RiskNoticeIndexPage

    urls = {}
    for key, model in (("notices", RiskNoticeIndexPage), ("cases", CaseStudyIndexPage)):
        page = model.objects.live().public().first()
        urls[key] = page.url if page else ""
    return urls


def firm_entry(match):
    """Return what the result says of one ``website.firms.lookup`` Match, as a plain dict
    (read by attribute with defaults, so an older or newer Match shape cannot break a check):
    name, matched, list (the kind's name), warning, licensed, lifted, reason, source,
    source_date, start, end."""
    entity = getattr(match, "entity", None)
    kind = getattr(entity, "kind", None)
    warning = bool(getattr(entity, "is_warning", False))
    return {
        "name": str(getattr(entity, "name", "") or match),
        "matched": str(getattr(match, "matched", "") or ""),
        "list": str(getattr(kind, "name", "") or ""),
        "warning": warning,
        "licensed": bool(kind is not None and not warning),
        "lifted": bool(getattr(entity, "is_lifted", False)),
        "reason": str(getattr(entity, "reason", "") or ""),
        "source": str(getattr(entity, "source", "") or ""),
        "source_date": getattr(entity, "source_date", None),
        "start": getattr(match, "start", None),
        "end": getattr(match, "end", None),
    }


def firms_found(text):
    """Return firm_entry dicts for the listed firms named in ``text`` ([] until
    website.firms exists; a failing lookup never breaks a check)."""
    try:
        return [firm_entry(m) for m in firms_in(text)]
    except Exception as error:  # another app's lookup: the red flags still stand without it
        # Only the error's type: its message could quote the text (a database error does).
        logger.warning("firm lookup failed in the red-flag checker: %s", type(error).__name__)
        return []


def as_json(report, firms=None):
    """Return the report as the JSON endpoint answers it."""
    return {
        "flagged": report.flagged,
        "flags": [
            {
                "start": f.start,
                "end": f.end,
                "phrase": f.phrase,
                "feature": f.feature,
                "feature_label": FEATURES.get(f.feature, f.feature),
                "method": f.method,
                "explanation": f.explanation,
                "tag": f.tag_name,
            }
            for f in report.flags
        ],
        "features": {key: len(flags) for key, _label, flags in report.by_feature()},
        "methods": [name for name, _flags in report.by_method()],
        "rates": [
            {"phrase": phrase, "annual_percent": round(rate.annual, 2), "per": rate.per}
            for rate, phrase in report.rates
        ],
        "threshold_percent": report.threshold,
        "firms": [
            {**f, "source_date": f["source_date"].isoformat() if f["source_date"] else None}
            for f in (firms or [])
        ],
        "note": str(SAFETY_NOTE),
    }
