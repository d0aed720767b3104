"""Demo quizzes for ``manage.py load_demo``: a general quiz and one per key audience, with
some synthetic attempts so the leaderboard and the admin reports have something to show,
and the answers of the demo 宣传月's own people before and since it began, enough for its
宣传效果 report to reach a verdict."""

import datetime

from django.utils import timezone

from quiz import stats
from quiz.models import QuizPage
from quiz.synthetic import synthesize
from website.taxonomy.models import Audience, Region

DEMO_QUIZZES = [
    {
        "slug": "quiz",
        "title": "防非知识小测试",
        "intro": "10 道题，三分钟，看看您能不能一眼认出非法集资。做完逐题讲解。",
        "audiences": [],
        "count": 10,
        "attempts": 160,
    },
    {
        "slug": "quiz-elderly",
        "title": "长辈防骗测一测",
        "intro": "养老钱、保健品、免费旅游……这些套路您都认得吗？",
        "audiences": ["elderly"],
        "count": 8,
        "attempts": 60,
    },
    {
        "slug": "quiz-students",
        "title": "校园防非小测验",
        "intro": "刷单返利、虚拟货币、校园贷：给在校学生和中小学生的防非测验。",
        "audiences": ["students", "pupils"],
        "count": 8,
        "attempts": 40,
    },
    {
        "slug": "quiz-rural",
        "title": "农村防非明白卡测试",
        "intro": "合作社、林地认购、互助会：给乡亲们的防非测试。",
        "audiences": ["rural"],
        "count": 8,
        "attempts": 40,
    },
]


def build_demo_quizzes(home, publish_child):
    """Create the demo quiz pages under ``home`` (skipping existing slugs); return them.

    ``publish_child`` is the demo builder's function that adds and publishes a page.
    """
    audiences = {a.slug: a for a in Audience.objects.all()}
    campaign_region = Region.objects.filter(code="430922").first()  # 桃江县
    pages = []
    for spec in DEMO_QUIZZES:
        if home.get_children().filter(slug=spec["slug"]).exists():
            continue
        page = QuizPage(
            title=spec["title"],
            slug=spec["slug"],
            intro=spec["intro"],
            question_count=spec["count"],
            leaderboard_min_count=5,
        )
        page.draw_audiences.set([audiences[s] for s in spec["audiences"] if s in audiences])
        page = publish_child(home, page)
        synthesize(
            page,
            spec["attempts"],
            seed=len(pages) + 515,
            days=60,
            boost_audience=audiences.get("elderly"),
            boost_region=campaign_region,
            boost_after=stats.local_day_start(
                timezone.localdate() - datetime.timedelta(days=campaign_started_days_ago())
            ),
        )
        pages.append(page)
    return pages


def campaign_started_days_ago():
    from website.demo.campaigns import MONTH_STARTED_DAYS_AGO

    return MONTH_STARTED_DAYS_AGO


# People of the campaign's audiences and regions who took the general quiz in the month
# before it (the baseline) and since it began; those since answer as if taught (their
# ability one logit higher), which is the effect the report should find.
CAMPAIGN_BEFORE = 120
CAMPAIGN_DURING = 120
CAMPAIGN_TEACHING = 0.7


def build_campaign_attempts(campaign, quiz_slug="quiz"):
    """Add the answers of ``campaign``'s target people to the general demo quiz: as many
    in the baseline period (as long as the campaign, before it) as since it began."""
    quiz = QuizPage.objects.filter(slug=quiz_slug).first()
    if quiz is None:
        return 0
    audiences = list(campaign.audiences.all()) or None
    regions = [
        r
        for county in campaign.regions.all()
        for r in Region.objects.filter(
            path__startswith=county.path, level__gte=Region.Level.TOWNSHIP
        )
    ] or None
    start = stats.local_day_start(campaign.start_date)
    length = (campaign.end_date - campaign.start_date).days + 1
    now = timezone.now()
    made = synthesize(
        quiz,
        CAMPAIGN_BEFORE,
        seed=2015,
        days=length,
        until=start,
        audiences=audiences,
        regions=regions,
        profile_share=1.0,
    )
    since = max((now - start).total_seconds() / 86400, 0.5)
    return made + synthesize(
        quiz,
        CAMPAIGN_DURING,
        seed=2016,
        days=since,
        until=now,
        audiences=audiences,
        regions=regions,
        profile_share=1.0,
        ability_shift=CAMPAIGN_TEACHING,
    )
