"""Print materials (宣传品) for a risk notice, a case study, a campaign or a 七进 event: posters
(A4, A3), a 风险提示牌 board, a two-sided A5 leaflet, each with a QR code that leads through a
counted short link to the page it is about.

Why WeasyPrint (HTML + CSS) and not ReportLab: the materials are the same kind of template
as the rest of the site, so anyone who reads the site's templates can read and change a
poster; CSS paged media (``@page`` sizes and margins, page breaks) describes A4, A3 and A5
pages directly; the text is laid out by Pango, which breaks Chinese lines by the Unicode
line-breaking rules (UAX #14): closing punctuation (，。、；：！？）」) never starts a line and
opening brackets never end one, without the hand-written kinsoku rules ReportLab needs. The
templates also say ``line-break: strict`` for renderers that read it; WeasyPrint leaves
``line-break`` and ``hanging-punctuation`` to Pango, so text is set ragged-right rather
than justified with hanging commas.

Every material is cached by content version (see ``pdf_for``): the page's live revision or
the event's ``updated_at``, the reporting settings, the short link and TEMPLATE_VERSION. The
files go to the private ``print`` storage (settings.STORAGES), not to the public media and
not to the cache: a campaign's batch runs to megabytes, more than a Redis cache should hold
or may evict mid-download, while a storage is shared by every machine (S3 in production, a
git-ignored folder under var/ by default) and is never served to the public.

To add a material (the paper quiz, for one), ``register()`` a Material whose ``render`` makes
the PDF; set ``batch=True`` to have it in every campaign batch.
"""

import dataclasses
import datetime
import hashlib
import re
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import CampaignPage, OutreachChannel, OutreachEvent
from campaigns.outreach.paper import PaperError, make_paper, paper_quiz_pdf
from website.core.models import ReportingSettings
from website.core.pdf import render_pdf
from website.core.qr import qr_svg
from website.pages.models import CaseStudyPage, RiskNoticePage
from website.shortlinks import service as shortlinks

# Bump when a print template or this module's layout changes: every cached PDF is rebuilt.
TEMPLATE_VERSION = "2"
STORAGE = "print"
# Body type per sheet, in points: ≥ 12 pt on a hand-held leaflet, ≥ 16 pt on a wall.
BASE_PT = {"A5": 12.5, "A4": 16, "A3": 22.5, "A3 landscape": 22.5}

# The notice levels' colours (board band, poster heading): yellow, orange, red as warning
# signs are read in China; the campaign's own blue when there is no level.
LEVEL_COLOURS = {
    RiskNoticePage.Level.NOTICE: "#b8860b",
    RiskNoticePage.Level.WARNING: "#d35400",
    RiskNoticePage.Level.SEVERE: "#b00020",
}
DEFAULT_COLOUR = "#b00020"

# The four features of illegal fundraising, for pieces whose page names no red flags.
DEFAULT_RED_FLAGS = [
    gettext_lazy("没有金融许可，却向公众吸收资金"),
    gettext_lazy("通过推介会、传单、微信群、熟人介绍公开宣传"),
    gettext_lazy("承诺保本保息、高额回报、拉人头返利"),
    gettext_lazy("面向不特定人群，尤其是老年人"),
]
WHAT_TO_DO = [
    gettext_lazy("不轻信高息承诺，先问一问家人"),
    gettext_lazy("到官方渠道查一查对方是否持牌"),
    gettext_lazy("已经交钱的，保存好合同、收据和聊天记录，尽快报案"),
]


# -- what a piece is about ------------------------------------------------------------------
@dataclasses.dataclass
class Subject:
    """What a material is about: a notice, a case, a campaign (optionally for one channel),
    or an event. ``link`` is the short link its QR code carries."""

    kind: str  # "notice" | "case" | "campaign" | "event"
    obj: object
    title: str
    heading: str
    date: datetime.date | None
    summary: str
    red_flags: list
    colour: str
    level_label: str = ""
    date_label: str = ""
    facts: list = dataclasses.field(default_factory=list)  # (label, value)
    story: str = ""  # the leaflet's case: what happened
    story_title: str = ""  # the case's title, on a campaign's or event's leaflet
    pitch: str = ""
    outcome: str = ""
    channel: OutreachChannel | None = None
    version: str = ""
    link: object = None

    @property
    def key(self):
        suffix = f"-{self.channel.slug}" if self.channel else ""
        return f"{self.kind}-{self.obj.pk}{suffix}"


def _page_path(page):
    parts = page.get_url_parts()
    return parts[2] if parts else "/"


def _blocks(body, block_type):
    return [block.value for block in body if block.block_type == block_type]


def _red_flags(*bodies, at_least=4, at_most=6):
    """Return the red flags the pages name (first page first), topped up with the four
    features of illegal fundraising so a piece never shows just one or two."""
    flags = []
    for body in bodies:
        for value in _blocks(body, "warning_signs"):
            flags += [str(s).strip() for s in value["signs"] if str(s).strip()]
    for default in DEFAULT_RED_FLAGS:
        if len(flags) >= at_least:
            break
        flags.append(str(default))
    return list(dict.fromkeys(flags))[:at_most]


def _plain(body, limit=360):
    text = " ".join(
        strip_tags(str(block.value.source if hasattr(block.value, "source") else block.value))
        for block in body
        if block.block_type == "paragraph"
    )
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _first_case(campaign):
    if campaign is None:
        return None
    ids = campaign.related_pages.values_list("page_id", flat=True)
    return CaseStudyPage.objects.live().filter(pk__in=ids).first()


def _case_story(subject, case):
    if case is None:
        return
    subject.story = _plain(case.body) or case.summary
    if subject.obj is not case:
        subject.story_title = case.title
    pitches = _blocks(case.body, "pitch")
    subject.pitch = pitches[0]["text"] if pitches else ""
    subject.outcome = case.outcome


def for_notice(page):
    page = page.specific
    subject = Subject(
        kind="notice",
        obj=page,
        title=page.title,
        heading=_("风险提示"),
        date=page.issued_on,
        summary=page.summary,
        red_flags=_red_flags(page.body),
        colour=LEVEL_COLOURS.get(page.level, DEFAULT_COLOUR),
        level_label=page.get_level_display(),
        date_label=_("发布日期"),
        story=_plain(page.body),
        version=f"r{page.live_revision_id}",
    )
    if page.valid_until:
        subject.facts.append((_("有效期至"), f"{page.valid_until:%Y年%-m月%-d日}"))
    subject.link = shortlinks.link_for(_page_path(page), kind="page", ref=page.pk)
    return subject


def for_case(page):
    page = page.specific
    subject = Subject(
        kind="case",
        obj=page,
        title=page.title,
        heading=_("典型案例"),
        date=page.case_date,
        date_label=_("案发时间"),
        summary=page.summary,
        red_flags=_red_flags(page.body),
        colour=DEFAULT_COLOUR,
        version=f"r{page.live_revision_id}",
    )
    _case_story(subject, page)
    if page.amount_involved is not None:
        subject.facts.append((_("涉案金额"), _("%(n)s 万元") % {"n": page.amount_involved}))
    if page.victims:
        subject.facts.append((_("受害人数"), _("%(n)s 人") % {"n": page.victims}))
    subject.link = shortlinks.link_for(_page_path(page), kind="page", ref=page.pk)
    return subject


def for_campaign(page, channel=None):
    """The campaign's materials; with ``channel`` their QR codes count for that channel."""
    page = page.specific
    case = _first_case(page)
    subject = Subject(
        kind="campaign",
        obj=page,
        title=page.title,
        heading=page.get_kind_display(),
        date=page.start_date,
        date_label=_("开始日期"),
        summary=page.theme,
        red_flags=_red_flags(page.body, *([case.body] if case else [])),
        colour=DEFAULT_COLOUR,
        channel=channel,
        version=f"r{page.live_revision_id}-c{case.live_revision_id if case else 0}",
    )
    subject.facts.append((_("活动时间"), page.period))
    _case_story(subject, case)
    subject.link = shortlinks.link_for(
        _page_path(page), kind="campaign", ref=page.pk, channel=channel.slug if channel else ""
    )
    return subject


def for_event(event):
    campaign = event.campaign.specific if event.campaign_id else None
    case = _first_case(campaign)
    start, end = event.local_start, event.local_end
    subject = Subject(
        kind="event",
        obj=event,
        title=event.title,
        heading=_("防范非法集资 · 进%(channel)s") % {"channel": event.channel.name},
        date=start.date(),
        date_label=_("活动日期"),
        summary=campaign.theme if campaign else "",
        red_flags=_red_flags(
            *([campaign.body] if campaign else []), *([case.body] if case else [])
        ),
        colour=DEFAULT_COLOUR,
        channel=event.channel,
        version="-".join(
            [
                event.updated_at.isoformat(),
                f"r{campaign.live_revision_id}" if campaign else "r0",
                f"c{case.live_revision_id}" if case else "c0",
            ]
        ),
    )
    subject.facts += [
        (_("时间"), f"{start:%Y年%-m月%-d日 %H:%M}–{end:%H:%M}"),
        (_("地点"), event.venue + (f"（{event.address}）" if event.address else "")),
        (_("主办"), event.organiser),
    ]
    _case_story(subject, case)
    target = _page_path(campaign) if campaign and campaign.live else "/"
    subject.link = shortlinks.link_for(
        target, kind="event", ref=event.pk, channel=event.channel.slug
    )
    return subject


def subject_for(kind, pk, channel_slug=""):
    """Return the Subject of ``kind`` ("notice", "case", "campaign", "event") with id ``pk``,
    or None when there is no such live page or event (or no such channel)."""
    channel = None
    if channel_slug:
        channel = OutreachChannel.objects.filter(slug=channel_slug).first()
        if channel is None:
            return None
    if kind == "event":
        event = OutreachEvent.objects.select_related("channel", "campaign").filter(pk=pk).first()
        return for_event(event) if event else None
    model, build = {
        "notice": (RiskNoticePage, for_notice),
        "case": (CaseStudyPage, for_case),
        "campaign": (CampaignPage, for_campaign),
    }.get(kind, (None, None))
    if model is None:
        return None
    page = model.objects.live().filter(pk=pk).first()
    if page is None:
        return None
    return build(page, channel) if kind == "campaign" else build(page)


def subject_kind_of(page):
    """Return the subject kind of a Wagtail page ("notice", "case", "campaign"), or None."""
    specific_class = page.specific_class
    for kind, model in (
        ("notice", RiskNoticePage),
        ("case", CaseStudyPage),
        ("campaign", CampaignPage),
    ):
        if specific_class is not None and issubclass(specific_class, model):
            return kind
    return None


# -- the materials ----------------------------------------------------------------------------
def _reporting():
    """Return the default site's reporting settings (office name, hotline, channels)."""
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    return ReportingSettings.for_site(site)


def context_for(subject, material):
    """Return the template context of ``material`` for ``subject``."""
    url = shortlinks.short_url(subject.link)
    return {
        "subject": subject,
        "material": material,
        "reporting": _reporting(),
        "qr_svg": qr_svg(url),
        "short_url": url,
        "what_to_do": [str(s) for s in WHAT_TO_DO],
        "printed_on": timezone.localdate(),
        # Elder-friendly type: the base size grows with the sheet (A3 is √2 × A4).
        "base_pt": BASE_PT.get(material.size, 16),
    }


def _render_template(subject, material):
    return render_pdf(material.template, context_for(subject, material))


class Unavailable(Exception):
    """This piece cannot be made for this subject (say, no live quiz to draw a paper from);
    the message says why, in words staff can act on."""


@dataclasses.dataclass(frozen=True)
class Material:
    """One kind of printed piece. ``render(subject, material) -> bytes`` makes its PDF
    (by default the template with ``context_for``); ``kinds`` are the subjects it is for;
    ``batch`` puts it in every campaign batch (one per event)."""

    key: str
    label: str
    kinds: tuple
    template: str = ""
    size: str = "A4"
    batch: bool = False
    render: Callable = _render_template
    version: str = TEMPLATE_VERSION
    # What else the piece depends on, as text for its content version (e.g. the drawn paper).
    depends_on: Callable | None = None
    # Work a batch (which staff start on purpose, by POST) does before rendering, such as
    # drawing a paper quiz; a download (GET) never runs it, so a look changes nothing.
    prepare: Callable | None = None

    def filename(self, subject):
        return f"{subject.key}-{self.key}.pdf"

    @property
    def size_label(self):
        """The sheet as staff say it (A3 横版), not as CSS says it (A3 landscape)."""
        return self.size.replace(" landscape", _(" 横版")).replace(" portrait", _(" 竖版"))


MATERIALS = {}
ALL_KINDS = ("notice", "case", "campaign", "event")


def register(material):
    """Add ``material`` to the list staff download from (and batches hold, if ``batch``)."""
    MATERIALS[material.key] = material
    return material


register(
    Material(
        "poster-a4",
        gettext_lazy("海报（A4）"),
        ALL_KINDS,
        "campaigns/outreach/print/poster.html",
        "A4",
        batch=True,
    )
)
register(
    Material(
        "poster-a3",
        gettext_lazy("海报（A3）"),
        ALL_KINDS,
        "campaigns/outreach/print/poster.html",
        "A3",
    )
)
register(
    Material(
        "board",
        gettext_lazy("风险提示牌（A3 横版）"),
        ALL_KINDS,
        "campaigns/outreach/print/board.html",
        "A3 landscape",
        batch=True,
    )
)
register(
    Material(
        "leaflet",
        gettext_lazy("折页（A5 双面）"),
        ALL_KINDS,
        "campaigns/outreach/print/leaflet.html",
        "A5",
        batch=True,
    )
)


def _render_paper_quiz(subject, material):
    try:
        return paper_quiz_pdf(subject.obj)
    except PaperError as exc:
        raise Unavailable(str(exc)) from exc


def _draw_missing_paper(subject):
    if subject.obj.paper_quiz_id is None:
        try:
            make_paper(subject.obj)
        except PaperError:
            pass  # rendering then says why the piece is missing


register(
    Material(
        "paper-quiz",
        gettext_lazy("纸质测试卷（试题、答题卡、答案）"),
        ("event",),
        batch=True,
        render=_render_paper_quiz,
        prepare=_draw_missing_paper,
        # A redrawn paper is a new version; the event's own changes are in its version already.
        depends_on=lambda subject: f"paper-{subject.obj.paper_quiz_id}",
    )
)


def materials_for(kind):
    """Return the materials available for subjects of ``kind``, in registration order."""
    return [m for m in MATERIALS.values() if kind in m.kinds]


def batch_materials():
    """Return the materials every event of a campaign batch gets."""
    return [m for m in MATERIALS.values() if m.batch and "event" in m.kinds]


# -- cached by content version -----------------------------------------------------------------
def _settings_digest():
    s = _reporting()
    text = "|".join([s.office_name, s.hotline, s.email, s.address, s.reporting_note])
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def version_of(subject, material):
    """Return the content version of ``material`` for ``subject``: it changes when the page
    or event, the reporting settings, the short link or the template changes."""
    parts = [
        material.key,
        material.version,
        subject.key,
        subject.version,
        subject.link.code,
        material.depends_on(subject) if material.depends_on else "",
        _settings_digest(),
        shortlinks.short_url(subject.link),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _stored_name(subject, material, version):
    return f"{subject.key}/{material.key}-{version}.pdf"


def pdf_for(subject, material):
    """Return the PDF bytes of ``material`` for ``subject``, from the print storage when this
    content version was made before, else rendered and stored (older versions of the same
    piece are deleted)."""
    storage = storages[STORAGE]
    name = _stored_name(subject, material, version_of(subject, material))
    if storage.exists(name):
        with storage.open(name, "rb") as stored:
            return stored.read()
    data = material.render(subject, material)
    try:
        _dirs, files = storage.listdir(subject.key)
    except FileNotFoundError:
        files = []
    for old in files:
        if old.startswith(f"{material.key}-") and f"{subject.key}/{old}" != name:
            storage.delete(f"{subject.key}/{old}")
    storage.save(name, ContentFile(data))
    return data


def is_cached(subject, material):
    """Return True when this content version of the piece is in the print storage."""
    return storages[STORAGE].exists(_stored_name(subject, material, version_of(subject, material)))
