"""Everyday queries over the demo site return the pages a reader needs in the top 3.

The demo is built once for this module (``load_demo`` inside a transaction rolled back
afterwards). Each row names the page, by slug, that must be among the first three results.
Rows marked GUIDE expect the guides ``already-paid`` (已经被骗怎么办) and
``check-before-you-pay`` (怎样核实一个项目) that website/demo builds as standard pages.
"""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from website.search.views import search_pages

pytestmark = pytest.mark.django_db

GUIDE_PAID = "already-paid"  # GUIDE
GUIDE_CHECK = "check-before-you-pay"  # GUIDE

# Broad words most pages use: any of these (each says it in its title) is a right answer.
SCAM_TITLES = (
    "qukuailian-yanglao-bi",
    "youchalin-rengou",
    "yuanshigu",
    "cishan-kangyi",
    "yiqing-zhongchou",
    "yifang-yanglao",
)
FUNDRAISING_TITLES = (
    "yanglao-fuwu-fengxian",
    "qukuailian-xunibi",
    "gongzhi-renyuan",
    "yanglao-chuangwei",
    "xiaofei-fanli",
    "loupan-renchou",
    "jia-gongyi",
)
GUARANTEE = ("simu-gongkai-lanke", "simu-jijin", "youchalin-rengou", "qukuailian-xunibi")

# (query, slug that must be in the top 3, or a tuple of slugs one of which must be)
EXPECTED = [
    # Named in issue 12
    ("退休金", "yanglao-chuangwei"),
    ("骗子", SCAM_TITLES),
    ("高息", "simu-jijin"),
    ("天上掉馅饼", "baojianpin-jiangzuo"),
    ("医保卡", "yibaoka-buzhu"),
    ("養老", "yifang-yanglao"),
    ("yanglao", "yifang-yanglao"),
    ("yang lao", "yifang-yanglao"),
    ("老人被骗了怎么办", GUIDE_PAID),
    # Synonyms and colloquial words
    ("养老钱", "yanglao-chuangwei"),
    ("高利息", "simu-jijin"),
    ("社保卡", "yibaoka-buzhu"),
    ("领鸡蛋", "baojianpin-jiangzuo"),
    ("免费讲座", "baojianpin-jiangzuo"),
    ("房子抵押", "yifang-yanglao"),
    ("稳赚不赔", GUARANTEE),
    ("比特币", "qukuailian-xunibi"),
    ("虚拟币", "qukuailian-xunibi"),
    ("p2p", "wangdai-chedai"),
    ("网贷", "wangdai-chedai"),
    ("追损", GUIDE_PAID),
    ("维权", GUIDE_PAID),
    # What to do
    ("被骗了怎么办", GUIDE_PAID),
    ("已经交钱了怎么办", GUIDE_PAID),
    ("怎么核实", GUIDE_CHECK),
    ("核实项目", GUIDE_CHECK),
    ("怎么举报", "how-to-report"),
    ("举报", "how-to-report"),
    # Traditional characters and pinyin
    ("詐騙", SCAM_TITLES),
    ("非法集資", FUNDRAISING_TITLES),
    ("feifajizi", FUNDRAISING_TITLES),
    # Plain topic words
    ("保健品", "baojianpin-jiangzuo"),
    ("区块链", "qukuailian-xunibi"),
    ("原始股", "yuanshigu"),
    ("上市", "yuanshigu"),
    ("私募", "simu-gongkai-lanke"),
    ("众筹", "yiqing-zhongchou"),
    ("返利", "xiaofei-fanli-pingtai"),
    ("合作社", "hezuoshe-linmu"),
    ("油茶", "youchalin-rengou"),
    ("学生", "kaixueji-xuesheng"),
    ("校园贷", "xiaoyuan-licai"),
    ("农民工", "fanxiang-wugong"),
    ("以房养老", "yifang-yanglao"),
    ("慈善", "cishan-kangyi"),
    ("疫情", "yiqing-zhongchou"),
    ("公职人员", "gongzhi-renyuan"),
    ("拉人头", "xiaoyuan-licai"),
    ("楼盘", "loupan-renchou"),
    ("培训", "peixun-chuzhi"),
    ("养老院", "yanglao-chuangwei"),
    # Campaigns and quizzes
    ("宣传月", "publicity-month-2026"),
    ("测一测", "quiz-elderly"),
]

# Queries whose first three results must all be cases or notices (not about/how-to pages).
CONTENT_FIRST = ["高息", "骗子", "养老", "保本保息", "虚拟币"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """Build the demo site once for the module; everything is rolled back afterwards."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def top_slugs(query, n=3):
    return [page.slug for page in search_pages(query)[:n]]


def test_there_are_at_least_forty_everyday_queries():
    assert len(EXPECTED) >= 40


@pytest.mark.parametrize(("query", "slug"), EXPECTED, ids=[q for q, _ in EXPECTED])
def test_everyday_query_finds_the_page_in_the_top_three(demo, query, slug):
    wanted = slug if isinstance(slug, tuple) else (slug,)
    top = top_slugs(query)
    assert set(wanted) & set(top), top


@pytest.mark.parametrize("query", CONTENT_FIRST)
def test_cases_and_notices_rank_above_about_and_index_pages(demo, query):
    from wagtail.models import Page

    top = Page.objects.filter(slug__in=top_slugs(query)).specific()
    assert {type(p).__name__ for p in top} <= {"CaseStudyPage", "RiskNoticePage"}
