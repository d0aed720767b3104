"""Build the demo site from ``content``: section pages, cases, notices, settings, accounts.

Call ``build_demo(home, site)`` inside a transaction; it returns counts for the report.
Accounts are separate (``create_staff_accounts``) so the caller can print passwords only
after the transaction has committed.
"""

import datetime
import secrets
import uuid
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.models import Collection

from website.core.models import ReportingSettings
from website.demo import content
from website.demo.campaigns import build_demo_campaigns
from website.demo.images import create_images
from website.demo.quiz import build_demo_quizzes
from website.pages.models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    RiskNoticeIndexPage,
    RiskNoticePage,
    StandardPage,
)
from website.taxonomy.models import Audience, Region

IMAGE_COLLECTION = "演示图片"

# (username, role label, group name or None for a superuser)
STAFF_ACCOUNTS = [
    ("admin", "超级管理员", None),
    ("bianji", "编辑", "编辑"),
    ("shenhe", "审核员", "审核员"),
]


# ---------------------------------------------------------------------------------------
# StreamField data
# ---------------------------------------------------------------------------------------


def stream_data(blocks, images):
    """Return ``blocks`` ((type, value) pairs from ``content``) as raw StreamField JSON data."""
    data = []
    for block_type, value in blocks:
        if block_type == "image":
            value = {
                "image": images[value["image"]].pk,
                "caption": value.get("caption", ""),
                "alt": value.get("alt", ""),
            }
        elif block_type == "warning_signs":
            value = {
                "heading": value["heading"],
                "signs": [
                    {"type": "item", "value": sign, "id": str(uuid.uuid4())}
                    for sign in value["signs"]
                ],
            }
        data.append({"type": block_type, "value": value, "id": str(uuid.uuid4())})
    return data


# ---------------------------------------------------------------------------------------
# Reference data lookups (editable, so tolerate missing rows)
# ---------------------------------------------------------------------------------------


class Taxonomy:
    """Audiences, regions and tags looked up once and reused for every page."""

    def __init__(self):
        self.audiences = {a.slug: a for a in Audience.objects.all()}
        self.regions = {r.code: r for r in Region.objects.all()}
        self.tags = {}

    def audience_list(self, slugs):
        return [self.audiences[s] for s in slugs if s in self.audiences]

    def region(self, code):
        return self.regions.get(code) if code else None

    def tag_list(self, names):
        found = []
        for name in names:
            if name not in self.tags:
                tag = Tag.objects.filter(name__iexact=name).first()
                if tag is None:
                    tag = Tag.objects.create(name=name, slug=slugify(name, allow_unicode=True))
                self.tags[name] = tag
            found.append(self.tags[name])
        return found


# ---------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------


def _at(day, hour):
    """Return an aware datetime on ``day`` at ``hour`` o'clock, local time, not in the future."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return min(moment, timezone.now())


def publish_child(parent, page, first_published_at=None):
    """Add ``page`` under ``parent``, then publish it through a revision; return it."""
    page.live = False
    page.has_unpublished_changes = True
    if first_published_at is not None:
        page.first_published_at = first_published_at
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _classify(page, item, taxonomy):
    page.audiences.set(taxonomy.audience_list(item["audiences"]))
    page.tags.set(taxonomy.tag_list(item["tags"]))


def build_cases(index, images, taxonomy, today):
    pages = []
    for item in content.CASES:
        case_date = today - datetime.timedelta(days=item["days_ago"])
        page = CaseStudyPage(
            title=item["title"],
            slug=item["slug"],
            summary=item["summary"],
            listing_image=images[item["image"]],
            region=taxonomy.region(item["region"]),
            case_date=case_date,
            body=stream_data(item["body"], images),
            outcome=item["outcome"],
            amount_involved=Decimal(item["amount"]),
            victims=item["victims"],
        )
        _classify(page, item, taxonomy)
        # Write-ups appear some weeks after the case is closed or made public.
        published = _at(case_date + datetime.timedelta(days=30), 10)
        pages.append(publish_child(index, page, published))
    return pages


def build_notices(index, images, taxonomy, today):
    pages = []
    for item in content.NOTICES:
        issued_on = today - datetime.timedelta(days=item["days_ago"])
        valid_days = item["valid_days"]
        page = RiskNoticePage(
            title=item["title"],
            slug=item["slug"],
            level=item["level"],
            issued_on=issued_on,
            valid_until=None if valid_days is None else today + datetime.timedelta(valid_days),
            summary=item["summary"],
            listing_image=images[item["image"]],
            region=taxonomy.region(item["region"]),
            body=stream_data(item["body"], images),
        )
        _classify(page, item, taxonomy)
        pages.append(publish_child(index, page, _at(issued_on, 9)))
    return pages


def demo_collection():
    """Return the image collection for demo posters, creating it under the root."""
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=IMAGE_COLLECTION).first()
    return existing or root.add_child(name=IMAGE_COLLECTION)


def build_demo(home, site, written_files=None):
    """Create the demo content under ``home``; return a dict of what was made.

    Image files written to storage are listed in ``written_files`` (see ``create_images``).
    """
    today = timezone.localdate()
    images = create_images(content.POSTERS, collection=demo_collection(), written=written_files)
    taxonomy = Taxonomy()

    notice_index = publish_child(
        home,
        RiskNoticeIndexPage(
            title=content.NOTICE_INDEX["title"],
            slug=content.NOTICE_INDEX["slug"],
            intro=content.NOTICE_INDEX["intro"],
        ),
    )
    case_index = publish_child(
        home,
        CaseStudyIndexPage(
            title=content.CASE_INDEX["title"],
            slug=content.CASE_INDEX["slug"],
            intro=content.CASE_INDEX["intro"],
        ),
    )
    standard = {}
    for spec in (content.REPORT_PAGE, content.ABOUT_PAGE, *content.GUIDES):
        standard[spec["slug"]] = publish_child(
            home,
            StandardPage(
                title=spec["title"],
                slug=spec["slug"],
                intro=spec["intro"],
                body=stream_data(spec["body"], images),
            ),
        )

    cases = build_cases(case_index, images, taxonomy, today)
    notices = build_notices(notice_index, images, taxonomy, today)
    quizzes = build_demo_quizzes(home, publish_child)
    build_demo_campaigns(home, publish_child)

    reporting = ReportingSettings.for_site(site)
    for field, value in content.REPORTING.items():
        setattr(reporting, field, value)
    reporting.report_page = standard["report"]
    reporting.full_clean()
    reporting.save()

    return {
        "images": len(images),
        "cases": len(cases),
        "notices": len(notices),
        "expired": sum(1 for n in notices if n.is_expired),
        "quizzes": len(quizzes),
        "pages": 4 + len(content.GUIDES) + len(cases) + len(notices) + len(quizzes),
    }


# ---------------------------------------------------------------------------------------
# Staff accounts
# ---------------------------------------------------------------------------------------


def create_staff_accounts():
    """Create the demo staff accounts that do not exist yet.

    Returns ``(created, existing)``: ``created`` is a list of (username, role, password)
    for new accounts, ``existing`` the usernames left untouched.
    """
    User = get_user_model()
    created, existing = [], []
    for username, role, group_name in STAFF_ACCOUNTS:
        if User.objects.filter(**{User.USERNAME_FIELD: username}).exists():
            existing.append(username)
            continue
        password = secrets.token_urlsafe(12)
        email = f"{username}@example.gov.cn"
        if group_name is None:
            user = User.objects.create_superuser(username, email, password)
        else:
            user = User.objects.create_user(username, email, password)
            group, _ = Group.objects.get_or_create(name=group_name)
            user.groups.add(group)
        user.first_name = role
        user.save(update_fields=["first_name"])
        created.append((username, role, password))
    return created, existing
