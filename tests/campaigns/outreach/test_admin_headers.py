"""Every page of the 七进活动 menu has its own title and sits under 七进活动 in the
breadcrumbs, not under 首页 alone."""

import re

import pytest
from django.urls import reverse

from campaigns.models import PrintBatch
from tests.campaigns.outreach import factories as of
from tests.campaigns.sms import factories as sms_factories

pytestmark = pytest.mark.django_db


def header(html):
    """Return (<title> text, visible breadcrumb labels, the sr-only h1)."""
    title = re.search(r"<title>([^<]*)</title>", html).group(1).strip()
    nav = re.search(r'<nav[^>]*aria-label="面包屑导航".*?</nav>', html, re.S).group(0)
    crumbs = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", li)).strip()
        for li in re.findall(r"<li.*?</li>", nav, re.S)
    ]
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()
    return title, [c for c in crumbs if c], h1


def test_outreach_pages_have_their_own_headers(client):
    campaign = of.campaign(title="岳麓区宣传月")
    event = of.event(campaign, title="大学城社区讲座")
    batch = PrintBatch.objects.create(campaign=campaign)
    client.force_login(sms_factories.staff("shenhe", "审核员"))
    pages = {
        reverse("outreach_admin:calendar"): "活动日历",
        reverse("outreach_admin:coverage"): "覆盖计划",
        reverse("outreach_admin:reports"): "统计报送",
        reverse("outreach_admin:report", args=[campaign.pk]): "宣传活动统计：岳麓区宣传月",
        reverse("outreach_admin:paper_index"): "纸质测试",
        reverse("outreach_admin:paper", args=[event.pk]): "纸质测试：大学城社区讲座",
        reverse("outreach_admin:materials", args=["event", event.pk]): "宣传品：大学城社区讲座",
        reverse("outreach_admin:materials", args=["campaign", campaign.pk]): "宣传品：岳麓区宣传月",
        reverse("outreach_admin:batch", args=[batch.pk]): "批量生成宣传品：岳麓区宣传月",
    }
    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        title, crumbs, h1 = header(response.content.decode())
        assert title.startswith(expected), (url, title)
        assert h1 == expected, (url, h1)
        assert crumbs[0] == "首页" and crumbs[1] == "七进活动" and crumbs[-1] == expected, (
            url,
            crumbs,
        )
    report = client.get(reverse("outreach_admin:report", args=[campaign.pk])).content.decode()
    assert header(report)[1][2] == "统计报送"


def test_import_page_header_for_an_editor(client):
    client.force_login(sms_factories.staff("bianji", "编辑"))
    title, crumbs, h1 = header(client.get(reverse("outreach_admin:import")).content.decode())
    assert title.startswith("批量导入活动") and h1 == "批量导入活动"
    assert crumbs == ["首页", "七进活动", "批量导入活动"]
