"""Builders for campaign pages and 七进 events."""

import datetime
import itertools

from django.utils import timezone

from campaigns.models import CampaignIndexPage, CampaignPage, OutreachChannel, OutreachEvent
from tests import factories
from website.taxonomy.models import Region

_counter = itertools.count(1)


def campaign_index():
    found = CampaignIndexPage.objects.first()
    return found or factories.publish(
        factories.home_page(), CampaignIndexPage(title="宣传活动", slug="campaigns")
    )


def campaign(title=None, start=None, end=None, kind="month", theme="守住钱袋子 护好幸福家"):
    n = next(_counter)
    start = start or timezone.localdate() - datetime.timedelta(days=3)
    end = end or start + datetime.timedelta(days=30)
    return factories.publish(
        campaign_index(),
        CampaignPage(
            title=title or f"防范非法集资宣传月{n}",
            slug=f"campaign-{n}",
            kind=kind,
            theme=theme,
            start_date=start,
            end_date=end,
            body=factories.body("远离非法集资。"),
        ),
    )


def channel(name="社区"):
    return OutreachChannel.objects.get(name=name)


def at(days, hour=9):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def event(
    campaign=None,
    *,
    channel_name="社区",
    region="430922100001",
    start=None,
    hours=2,
    status="planned",
    phone="13812345678",
    email="",
    is_public=True,
    title=None,
    **extra,
):
    n = next(_counter)
    start = start or at(1)
    return OutreachEvent.objects.create(
        campaign=campaign,
        channel=channel(channel_name),
        title=title or f"防非宣讲{n}",
        venue="社区服务中心",
        address="健康路 1 号",
        region=Region.objects.get(code=region),
        start_at=start,
        end_at=start + datetime.timedelta(hours=hours),
        organiser="桃江县处非办",
        contact_person="张三",
        contact_phone=phone,
        contact_email=email,
        is_public=is_public,
        status=status,
        **extra,
    )
