"""Demo content for campaigns: a campaign index, this spring's 宣传月 running now with
七进 events (some held, with records; some upcoming), last year's 5·15 day, and coverage
targets. Called once by ``load_demo``; does nothing if the index already exists."""

import datetime

from django.utils import timezone

from campaigns.models import (
    CampaignIndexPage,
    CampaignPage,
    CoverageTarget,
    OutreachChannel,
    OutreachEvent,
)
from website.demo.quiz import build_campaign_attempts
from website.taxonomy.models import Audience, Region

# This spring's 宣传月 began this many days ago; the demo quiz answers follow it.
MONTH_STARTED_DAYS_AGO = 5

BODY = [
    {
        "type": "paragraph",
        "value": "<p>本月集中开展防范非法集资“七进”宣传：进机关、进学校、进企业、进社区、进村组、"
        "进家庭、进金融网点。活动现场有案例讲解、有奖问答和宣传资料，欢迎就近参加。</p>",
    },
    {
        "type": "paragraph",
        "value": "<p>记住三句话：高息诱惑要警惕，保本承诺不可信，拿不准时先咨询。</p>",
    },
]

# (channel, region code, title, venue, day offset from today, hour, hours, phone)
EVENTS = [
    (
        "社区",
        "430922100001",
        "桃花江社区防非知识讲座",
        "桃花江社区服务中心",
        -3,
        9,
        2,
        "13800001001",
    ),
    (
        "金融网点",
        "430922100",
        "银行网点防非宣传咨询台",
        "桃花江镇营业网点大厅",
        -2,
        10,
        3,
        "0737-8881234",
    ),
    ("村组", "430922100201", "花果山村院坝宣讲会", "花果山村村部", 2, 15, 2, "13800001003"),
    (
        "学校",
        "430104100001",
        "大学城校园防范“校园贷”与非法集资讲座",
        "大学城社区学术报告厅",
        4,
        14,
        2,
        "13800001004",
    ),
    (
        "企业",
        "430903100001",
        "金山社区企业员工防非培训",
        "金山社区企业服务站",
        6,
        10,
        2,
        "13800001005",
    ),
    ("家庭", "430923100201", "黄沙坪村入户宣传", "黄沙坪村各村民小组", 8, 9, 6, "13800001006"),
]


def _at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def build_demo_campaigns(home, publish_child):
    """Create the demo campaigns under ``home``; return the pages made (empty if present)."""
    if CampaignIndexPage.objects.exists():
        return []
    today = timezone.localdate()
    index = publish_child(
        home,
        CampaignIndexPage(
            title="宣传活动",
            slug="campaigns",
            intro="防范非法集资宣传月、宣传周和“5·15”宣传日的主题、安排和七进活动。",
        ),
    )
    month = CampaignPage(
        title=f"{today.year}年防范非法集资宣传月",
        slug=f"publicity-month-{today.year}",
        kind=CampaignPage.Kind.MONTH,
        theme="守住钱袋子·护好幸福家",
        start_date=today - datetime.timedelta(days=MONTH_STARTED_DAYS_AGO),
        end_date=today + datetime.timedelta(days=25),
        summary="集中一个月，把防范非法集资知识送到机关、学校、企业、社区、村组、家庭和金融网点。",
        body=BODY,
    )
    month.audiences = list(Audience.objects.all()[:3])
    month.regions = list(Region.objects.filter(code__in=["430922", "430923", "430903"]))
    month = publish_child(index, month)
    build_campaign_attempts(month)
    day = publish_child(
        index,
        CampaignPage(
            title=f"{today.year - 1}年“5·15”全国投资者保护宣传日",
            slug=f"may-15-{today.year - 1}",
            kind=CampaignPage.Kind.DAY,
            theme="理性投资，远离非法集资",
            start_date=datetime.date(today.year - 1, 5, 15),
            end_date=datetime.date(today.year - 1, 5, 15),
            summary="宣传日当天在各金融网点和社区设立咨询台。",
            body=BODY[1:],
        ),
    )
    channels = {c.name: c for c in OutreachChannel.objects.all()}
    regions = {r.code: r for r in Region.objects.all()}
    for channel, code, title, venue, offset, hour, hours, phone in EVENTS:
        if channel not in channels or code not in regions:
            continue
        start = _at(today + datetime.timedelta(days=offset), hour)
        held = offset < 0
        OutreachEvent.objects.create(
            campaign=month,
            channel=channels[channel],
            title=title,
            venue=venue,
            region=regions[code],
            start_at=start,
            end_at=start + datetime.timedelta(hours=hours),
            organiser="桃江县防范和处置非法集资工作领导小组办公室",
            contact_person="演示联系人",
            contact_phone=phone,
            planned_materials=200,
            status=OutreachEvent.Status.DONE if held else OutreachEvent.Status.CONFIRMED,
            attendance=80 if held else None,
            materials_handed_out=150 if held else None,
            summary="现场讲解典型案例，解答群众咨询。" if held else "",
        )
    for code, channel, count in (
        ("430922", "村组", 2),
        ("430922", "社区", 1),
        ("430923", "村组", 1),
    ):
        if code in regions and channel in channels:
            CoverageTarget.objects.get_or_create(
                year=today.year,
                channel=channels[channel],
                region=regions[code],
                defaults={"target_count": count, "note": "每个村(社区)至少一场"},
            )
    return [index, month, day]
