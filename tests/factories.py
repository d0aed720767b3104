"""Builders for test content; pages are published through revisions, as editors do."""

import datetime
import itertools

from django.utils import timezone

from website.pages.models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    HomePage,
    RiskNoticeIndexPage,
    RiskNoticePage,
    StandardPage,
)
from website.taxonomy.models import Audience, Region

_counter = itertools.count(1)


def body(*paragraphs):
    return [{"type": "paragraph", "value": f"<p>{p}</p>"} for p in paragraphs]


def home_page():
    return HomePage.objects.get()


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def notice_index():
    found = RiskNoticeIndexPage.objects.first()
    return found or publish(home_page(), RiskNoticeIndexPage(title="风险提示", slug="notices"))


def case_index():
    found = CaseStudyIndexPage.objects.first()
    return found or publish(home_page(), CaseStudyIndexPage(title="典型案例", slug="cases"))


def _classify(page, audiences, tags, region):
    if audiences:
        page.audiences.set(Audience.objects.filter(slug__in=audiences))
    if tags:
        page.tags.add(*tags)
    if region:
        page.region = Region.objects.get(code=region)


def notice(
    title=None,
    *,
    summary="摘要",
    text="正文",
    level="notice",
    valid_until=None,
    issued_on=None,
    audiences=(),
    tags=(),
    region=None,
):
    n = next(_counter)
    page = RiskNoticePage(
        title=title or f"风险提示{n}",
        slug=f"notice-{n}",
        summary=summary,
        level=level,
        valid_until=valid_until,
        issued_on=issued_on or min(timezone.localdate(), valid_until or timezone.localdate()),
        body=body(text),
    )
    _classify(page, audiences, tags, region)
    return publish(notice_index(), page)


def case(
    title=None,
    *,
    summary="摘要",
    text="案情",
    case_date=None,
    audiences=(),
    tags=(),
    region=None,
    **extra,
):
    n = next(_counter)
    page = CaseStudyPage(
        title=title or f"案例{n}",
        slug=f"case-{n}",
        summary=summary,
        case_date=case_date or datetime.date(2025, 5, 15),
        body=body(text),
        **extra,
    )
    _classify(page, audiences, tags, region)
    return publish(case_index(), page)


def standard(title="关于我们", text="正文", parent=None):
    n = next(_counter)
    return publish(
        parent or home_page(), StandardPage(title=title, slug=f"page-{n}", body=body(text))
    )


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def staff(username, group):
    """A user in the staff group ``group`` (编辑 or 审核员)."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username, password="pw-123456789")
    user.groups.add(Group.objects.get(name=group))
    return user


def logged_in(user):
    """A test client logged in as ``user``."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client
