"""Both formats are valid and complete: required elements, absolute links, Chinese text,
dates in Asia/Shanghai (+08:00), stable ids."""

import datetime
from email.utils import parsedate_to_datetime

import pytest
from django.utils import timezone
from wagtail.models import Page

from tests import factories

from .helpers import ATOM, FEEDS, fetch, ordered_titles, xml

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timedelta(hours=8)


@pytest.fixture
def content():
    factories.notice(
        "养老院预售床位",
        summary="以“预订床位、到期返本付息”为名吸收老年人资金。",
        level="severe",
        audiences=["elderly"],
        tags=["养老服务"],
        region="430922",
        valid_until=factories.days(30),
    )
    factories.notice("校园虚拟币", audiences=["students"], tags=["区块链/虚拟货币"])
    factories.case(
        "某公司以养老公寓为名非法集资案",
        summary="承诺年化15%回报，涉及老年人数百名。",
        case_date=datetime.date(2025, 3, 8),
        audiences=["elderly"],
        tags=["养老服务"],
        region="430922",
        amount_involved=1280,
        victims=312,
        outcome="主要负责人以非法吸收公众存款罪被判刑。",
    )
    factories.case("虚拟货币挖矿骗局", audiences=["students"])


@pytest.mark.parametrize("url", FEEDS)
def test_feeds_parse_without_errors(client, content, url):
    response, parsed = fetch(client, url)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version in ("rss20", "atom10")
    assert len(parsed.entries) == 2
    assert response["Content-Type"].endswith("charset=utf-8")


@pytest.mark.parametrize("url", ["/feeds/notices/rss/", "/feeds/cases/rss/"])
def test_rss_has_the_required_channel_and_item_elements(client, content, url):
    response, _ = fetch(client, url)
    root = xml(response)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for name in ("title", "link", "description", "language", "lastBuildDate"):
        assert (channel.findtext(name) or "").strip(), name
    assert channel.findtext("language") == "zh-cn"
    self_link = channel.find(f"{ATOM}link")
    assert self_link.get("rel") == "self"
    assert self_link.get("href") == f"http://testserver{url}"
    items = channel.findall("item")
    assert len(items) == 2
    for item in items:
        for name in ("title", "link", "description", "pubDate", "guid"):
            assert (item.findtext(name) or "").strip(), name
        assert item.find("guid").get("isPermaLink") == "false"
        assert item.findtext("link").startswith("http://testserver/")


@pytest.mark.parametrize("url", ["/feeds/notices/atom/", "/feeds/cases/atom/"])
def test_atom_has_the_required_feed_and_entry_elements(client, content, url):
    response, _ = fetch(client, url)
    root = xml(response)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert (root.findtext(f"{ATOM}{name}") or "").strip(), name
    # Entries carry no author of their own, so the feed must have one (RFC 4287 4.1.1).
    assert root.find(f"{ATOM}author/{ATOM}name").text
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links["self"] == f"http://testserver{url}"
    assert links["alternate"].startswith("http://testserver/")
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    for entry in entries:
        for name in ("id", "title", "updated", "published", "summary", "content"):
            assert (entry.findtext(f"{ATOM}{name}") or "").strip(), name
        link = entry.find(f"{ATOM}link")
        assert link.get("rel") == "alternate"
        assert link.get("href").startswith("http://testserver/")


@pytest.mark.parametrize("url", FEEDS)
def test_every_date_parses_and_is_in_shanghai_time(client, content, url):
    response, _ = fetch(client, url)
    root = xml(response)
    if root.tag == "rss":
        texts = [root.findtext("channel/lastBuildDate")]
        texts += [item.findtext("pubDate") for item in root.iter("item")]
        dates = [parsedate_to_datetime(text) for text in texts]
        assert all(text.endswith("+0800") for text in texts)
    else:
        texts = [el.text for el in root.iter() if el.tag in (f"{ATOM}updated", f"{ATOM}published")]
        dates = [datetime.datetime.fromisoformat(text) for text in texts]
        assert all(text.endswith("+08:00") for text in texts)
    assert len(dates) >= 3
    assert all(d.utcoffset() == SHANGHAI for d in dates)


def test_entries_are_in_chinese_with_absolute_links_to_the_pages(client, content):
    _, parsed = fetch(client, "/feeds/notices/rss/")
    entry = next(e for e in parsed.entries if e.title == "养老院预售床位")
    assert entry.link == "http://testserver/notices/" + entry.link.split("/notices/")[1]
    assert client.get(entry.link.removeprefix("http://testserver")).status_code == 200
    assert entry.summary == "以“预订床位、到期返本付息”为名吸收老年人资金。"
    assert parsed.feed.title.startswith("风险提示 · ")
    assert "风险提示" in parsed.feed.description
    assert parsed.feed.link == "http://testserver/notices/"


def test_notice_entries_carry_level_dates_and_categories(client, content):
    _, parsed = fetch(client, "/feeds/notices/atom/")
    entry = next(e for e in parsed.entries if e.title == "养老院预售床位")
    html = entry.content[0].value
    assert "严重警示" in html
    until = factories.days(30)
    assert f"{until.year}年{until.month}月{until.day}日" in html
    assert {t.term for t in entry.tags} == {"老年人", "养老服务", "湖南省 益阳市 桃江县"}


def test_case_entries_carry_the_case_date_scale_and_outcome(client, content):
    _, parsed = fetch(client, "/feeds/cases/rss/")
    entry = next(e for e in parsed.entries if e.title == "某公司以养老公寓为名非法集资案")
    html = entry.content[0].value
    for text in ("2025年3月8日", "1280", "312人", "非法吸收公众存款罪"):
        assert text in html
    assert {t.term for t in entry.tags} == {"老年人", "养老服务", "湖南省 益阳市 桃江县"}


def test_content_for_the_whole_jurisdiction_is_labelled_so(client, content):
    _, parsed = fetch(client, "/feeds/cases/atom/")
    entry = next(e for e in parsed.entries if e.title == "虚拟货币挖矿骗局")
    assert "全辖区" in {t.term for t in entry.tags}


def test_channel_names_the_office_from_reporting_settings(client, content):
    from website.core.models import ReportingSettings

    settings = ReportingSettings.for_site(Page.objects.get(depth=2).get_site())
    settings.office_name = "益阳市处非办"
    settings.save()
    _, parsed = fetch(client, "/feeds/cases/atom/")
    assert parsed.feed.title == "典型案例 · 益阳市处非办"
    assert parsed.feed.author == "益阳市处非办"
    assert parsed.feed.subtitle.startswith("益阳市处非办")


def test_summary_with_markup_characters_reads_back_as_text(client):
    factories.notice("收益警示", summary="年化收益>20%且<保本>承诺 & 返利")
    for url in ("/feeds/notices/rss/", "/feeds/notices/atom/"):
        _, parsed = fetch(client, url)
        assert parsed.bozo == 0
        assert parsed.entries[0].summary == "年化收益&gt;20%且&lt;保本&gt;承诺 &amp; 返利"


def test_notices_are_newest_first_by_issue_date(client):
    factories.notice("三天前", issued_on=factories.days(-3))
    factories.notice("今天", level="notice")
    factories.notice("上周的严重警示", level="severe", issued_on=factories.days(-7))
    _, parsed = fetch(client, "/feeds/notices/rss/")
    assert ordered_titles(parsed) == ["今天", "三天前", "上周的严重警示"]


def test_notice_date_is_the_issue_date(client):
    earlier = factories.days(-3)
    factories.notice("三天前发布", issued_on=earlier)
    today = factories.notice("今天发布")
    response, parsed = fetch(client, "/feeds/notices/rss/")
    dates = {e.title: parsedate_to_datetime(e.published) for e in parsed.entries}
    assert dates["三天前发布"] == datetime.datetime.combine(
        earlier, datetime.time.min, timezone.get_current_timezone()
    )
    # Issued and published the same day: the time of day is the publication's.
    assert dates["今天发布"] == timezone.localtime(today.first_published_at).replace(microsecond=0)


def test_cases_are_newest_first_by_first_publication(client):
    old = factories.case("先发布的近期案件", case_date=datetime.date(2025, 6, 1))
    factories.case("后发布的旧案件", case_date=datetime.date(2019, 1, 1))
    Page.objects.filter(pk=old.pk).update(
        first_published_at=timezone.now() - datetime.timedelta(days=2)
    )
    _, parsed = fetch(client, "/feeds/cases/rss/")
    assert ordered_titles(parsed) == ["后发布的旧案件", "先发布的近期案件"]


def test_republishing_keeps_the_id_and_publication_date_and_moves_updated(client):
    page = factories.case("原标题")
    first = timezone.now().replace(microsecond=0) - datetime.timedelta(days=10)
    Page.objects.filter(pk=page.pk).update(first_published_at=first, last_published_at=first)
    _, before = fetch(client, "/feeds/cases/atom/")

    page.refresh_from_db()
    page.title = "修改后的标题"
    page.slug = "renamed"
    page.save_revision().publish()

    _, after = fetch(client, "/feeds/cases/atom/")
    (old_entry,), (new_entry,) = before.entries, after.entries
    assert new_entry.title == "修改后的标题"
    assert new_entry.id == old_entry.id
    assert new_entry.id.startswith("urn:uuid:")
    assert new_entry.published == old_entry.published
    published = datetime.datetime.fromisoformat(new_entry.published)
    assert published == first
    assert datetime.datetime.fromisoformat(new_entry.updated) > published
    _, rss = fetch(client, "/feeds/cases/rss/")
    assert rss.entries[0].id == new_entry.id
    assert parsedate_to_datetime(rss.entries[0].published) == first


def test_links_follow_the_host_and_scheme_of_the_request(client, content):
    response, parsed = fetch(client, "/feeds/notices/atom/", HTTP_HOST="news.example.cn")
    assert parsed.feed.link == "http://news.example.cn/notices/"
    assert all(e.link.startswith("http://news.example.cn/notices/") for e in parsed.entries)
    assert "testserver" not in response.content.decode()

    _, secure = fetch(client, "/feeds/notices/atom/", secure=True)
    assert all(e.link.startswith("https://testserver/") for e in secure.entries)

    _, plain = fetch(client, "/feeds/notices/atom/")
    assert all(e.link.startswith("http://testserver/") for e in plain.entries)


def test_feed_lists_at_most_thirty_entries(client):
    for i in range(32):
        factories.case(f"案例{i}")
    _, parsed = fetch(client, "/feeds/cases/rss/")
    assert len(parsed.entries) == 30


def test_an_empty_feed_is_still_valid(client):
    for url in FEEDS:
        response, parsed = fetch(client, url)
        assert parsed.bozo == 0
        assert parsed.entries == []
        if "atom" in url:
            assert xml(response).findtext(f"{ATOM}updated").endswith("+08:00")
