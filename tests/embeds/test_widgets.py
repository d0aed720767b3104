"""The notices list, the single card and the kiosk: what partners' visitors see in the frame."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories

pytestmark = pytest.mark.django_db


def titles(response):
    return re.findall(
        r'class="w-item-title"><a href="[^"]+">([^<]+)</a>', response.content.decode()
    )


def test_the_notices_widget_lists_current_notices_most_severe_first(client):
    factories.notice("普通提示", level="notice")
    factories.notice("严重警示", level="severe")
    factories.notice("过期提示", valid_until=factories.days(-1), issued_on=factories.days(-30))
    response = client.get("/embed/notices/")
    assert response.status_code == 200
    assert titles(response) == ["严重警示", "普通提示"]


def test_links_go_to_our_pages_in_a_new_tab(client):
    notice = factories.notice("养老投资骗局")
    html = client.get("/embed/notices/").content.decode()
    assert f'href="{notice.url}"' in html
    assert '<base target="_blank">' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("audience=elderly", {"老年提示", "全体提示"}),
        ("tag=养老服务", {"老年提示"}),
        ("region=430922", {"桃江提示", "全体提示", "老年提示"}),
        ("region=430104&audience=students", {"全体提示"}),
    ],
)
def test_the_notices_widget_filters_like_the_site(client, query, expected):
    factories.notice("老年提示", audiences=["elderly"], tags=["养老服务"])
    factories.notice("桃江提示", region="430922100201")
    factories.notice("安化提示", region="430923")
    factories.notice("全体提示", audiences=["elderly", "students"])
    response = client.get(f"/embed/notices/?{query}")
    assert set(titles(response)) == expected


def test_count_limits_the_list(client):
    for i in range(7):
        factories.notice(f"提示{i}")
    assert len(titles(client.get("/embed/notices/"))) == 5
    assert len(titles(client.get("/embed/notices/?count=2"))) == 2
    assert len(titles(client.get("/embed/notices/?count=10"))) == 7


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("count=0", "count 应为 1 到 10 之间的整数"),
        ("count=abc", "count 应为 1 到 10 之间的整数"),
        ("count=%EF%BC%95", "count 应为 1 到 10 之间的整数"),  # a full-width digit
        ("theme=pink", "theme 只能是 light、dark、auto 之一"),
        ("size=huge", "size 只能是 normal、large 之一"),
        ("audience=nobody", "参数 audience（人群）的值“nobody”不存在"),
        ("region=999999", "参数 region（地区）的值“999999”不存在"),
        ("tag=no-such-tag", "参数 tag（类型）的值“no-such-tag”不存在"),
        ("region=43&region=4309", "参数 region（地区）只能有一个值"),
    ],
)
def test_bad_parameters_answer_400_with_a_message_inside_the_frame(client, query, message):
    response = client.get(f"/embed/notices/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "embeds/embed.css" in html  # still a page the partner can read in the frame


def test_elder_size_and_themes(client):
    factories.notice()
    plain = client.get("/embed/notices/").content.decode()
    assert '<html lang="zh-Hans" class="embed theme-light">' in plain
    assert 'href="/embed/notices/?size=large"' in plain  # the 大字 switch, a plain link
    large = client.get("/embed/notices/?size=large&theme=dark&audience=elderly").content.decode()
    assert 'class="embed theme-dark elder"' in large
    assert 'href="/embed/notices/?audience=elderly&amp;theme=dark"' in large  # back to 标准字
    assert ">标准字<" in large


def test_a_publish_shows_in_the_widget_at_the_next_load(client):
    factories.notice("旧提示")
    assert titles(client.get("/embed/notices/")) == ["旧提示"]
    factories.notice("新提示", level="severe")
    assert titles(client.get("/embed/notices/")) == ["新提示", "旧提示"]


def test_an_unpublished_notice_leaves_the_widget(client):
    notice = factories.notice("将撤下的提示")
    client.get("/embed/notices/")
    notice.unpublish()
    assert titles(client.get("/embed/notices/")) == []
    assert "目前没有需要特别提示的风险" in client.get("/embed/notices/").content.decode()


def test_the_widget_costs_the_same_queries_for_few_or_many_notices(
    client, django_assert_max_num_queries
):
    for i in range(2):
        factories.notice(f"少{i}", audiences=["elderly"], tags=["养老服务"], region="430922")
    client.get("/embed/notices/")  # creates the site's reporting settings once
    cache.clear()
    with django_assert_max_num_queries(20) as few:
        client.get("/embed/notices/?count=10")
    for i in range(10):
        factories.notice(f"多{i}", audiences=["elderly"], tags=["养老服务"], region="430922")
    cache.clear()
    with django_assert_max_num_queries(20) as many:
        client.get("/embed/notices/?count=10")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_cached_widget_costs_no_content_queries(client):
    factories.notice()
    client.get("/embed/notices/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/embed/notices/").status_code == 200
    statements = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    # One statement: the impression count.
    assert len(statements) == 1 and "embeds_impression" in statements[0], statements


def test_widgets_set_no_cookies_and_load_nothing_from_other_sites(client):
    notice = factories.notice()
    for path in ("/embed/notices/", f"/embed/page/{notice.pk}/", "/embed/kiosk/"):
        response = client.get(path)
        assert response.status_code == 200
        assert not response.cookies, path
        html = response.content.decode()
        sources = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert all(s.startswith(("/", "#", "tel:", "data:")) for s in sources), sources


def test_the_notices_widget_is_small(client):
    """Partners' pages load it on every view: HTML, style and script stay tiny."""
    for i in range(5):
        factories.notice(f"提示{i}", summary="摘要" * 40)
    html = client.get("/embed/notices/").content
    from django.contrib.staticfiles import finders

    css = open(finders.find("embeds/embed.css"), "rb").read()
    js = open(finders.find("embeds/frame.js"), "rb").read()
    loader = open(finders.find("embeds/embed.js"), "rb").read()
    assert len(html) + len(css) + len(js) < 16_000
    assert len(loader) < 4_000


def test_the_card_shows_one_notice(client):
    notice = factories.notice("警惕养老投资", summary="不要相信保本高息。", level="warning")
    response = client.get(f"/embed/page/{notice.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "警惕养老投资" in html and "不要相信保本高息。" in html and "警示" in html
    assert f'href="{notice.url}"' in html


def test_the_card_shows_one_case_with_its_outcome(client):
    case = factories.case(
        "某养老公司非法吸收公众存款案", outcome="主犯被判处有期徒刑八年。", victims=320
    )
    html = client.get(f"/embed/page/{case.pk}/").content.decode()
    assert "典型案例" in html and "主犯被判处有期徒刑八年。" in html and "受害 320 人" in html


def test_the_card_is_404_for_what_is_not_a_live_notice_or_case(client):
    draft = factories.notice()
    draft.unpublish()
    about = factories.standard()
    for page_id in (draft.pk, about.pk, 999999):
        response = client.get(f"/embed/page/{page_id}/")
        assert response.status_code == 404
        assert "这条内容已下线或不存在" in response.content.decode()


def test_a_private_notice_is_not_embeddable(client):
    from wagtail.models import PageViewRestriction

    notice = factories.notice()
    PageViewRestriction.objects.create(page=notice, restriction_type="login")
    assert client.get(f"/embed/page/{notice.pk}/").status_code == 404


def test_the_kiosk_turns_through_the_notices_and_starts_over(client):
    factories.notice("第一条", level="severe")
    factories.notice("第二条")
    first = client.get("/embed/kiosk/?interval=20").content.decode()
    assert "第一条" in first and "第 1 条，共 2 条" in first
    assert '<meta http-equiv="refresh" content="20;url=/embed/kiosk/?interval=20&amp;i=1">' in first
    second = client.get("/embed/kiosk/?interval=20&i=1").content.decode()
    assert "第二条" in second and "i=0" in second
    # A stale index (a notice expired meanwhile) wraps instead of failing.
    assert "第二条" in client.get("/embed/kiosk/?i=3").content.decode()


def test_the_kiosk_is_large_print_and_never_cached_by_the_browser(client):
    factories.notice()
    response = client.get("/embed/kiosk/")
    assert 'class="embed theme-light elder"' in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_the_kiosk_without_notices_shows_the_standing_warning(client):
    html = client.get("/embed/kiosk/").content.decode()
    assert "守住钱袋子" in html and 'http-equiv="refresh"' in html


@pytest.mark.parametrize("path", ["/embed/notices/", "/embed/kiosk/"])
def test_widgets_answer_only_reads(path):
    response = Client().post(path)
    assert response.status_code == 405


junk = st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["", "0", "-1", "99999999999999999999", "1e3", "elderly", "43", "\x00", "%00", " 5 "]
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    params=st.dictionaries(
        st.sampled_from(
            ["audience", "region", "tag", "count", "theme", "size", "interval", "i", "x"]
        ),
        junk,
        max_size=5,
    ),
    widget=st.sampled_from(["/embed/notices/", "/embed/kiosk/", "/embed/page/1/"]),
)
def test_junk_parameters_never_cause_a_server_error(client, params, widget):
    response = client.get(widget, params)
    assert response.status_code in (200, 400, 404)
    if response.status_code == 400:
        assert "这里暂时无法显示内容" in response.content.decode()


def test_the_kiosk_can_be_paused_and_resumed(client):
    factories.notice("第一条", level="severe")
    factories.notice("第二条")
    turning = client.get("/embed/kiosk/?i=1").content.decode()
    assert 'href="/embed/kiosk/?i=1&amp;pause=1"' in turning and "暂停轮播" in turning
    paused = client.get("/embed/kiosk/?i=1&pause=1").content.decode()
    assert "第二条" in paused and 'http-equiv="refresh"' not in paused
    assert 'href="/embed/kiosk/?i=1"' in paused and "继续轮播" in paused
    assert 'href="/embed/kiosk/?i=0&amp;pause=1"' in paused  # 下一条, still paused


def test_the_quiz_keeps_the_sites_colours_whatever_the_theme(client):
    from tests.quiz.conftest import make_question, make_quiz

    quiz = make_quiz([make_question()])
    html = client.get(f"/embed/quiz/{quiz.pk}/?theme=dark&size=large").content.decode()
    assert 'class="embed theme-light elder"' in html


def test_stray_query_parameters_never_reach_the_cached_links(client):
    """The cached HTML is keyed by the parsed parameters, so its links are built from them
    too: whatever else one visitor's URL carried must not appear in anyone's links."""
    notice = factories.notice("第一条")
    factories.notice("第二条")
    client.get("/embed/kiosk/?interval=20&utm_source=evil")
    kiosk = client.get("/embed/kiosk/?interval=20").content.decode()
    assert "evil" not in kiosk and "url=/embed/kiosk/?interval=20&amp;i=1" in kiosk
    client.get("/embed/notices/?count=3&utm_source=evil")
    listing = client.get("/embed/notices/?count=3").content.decode()
    assert "evil" not in listing and 'href="/embed/notices/?size=large&amp;count=3"' in listing
    client.get(f"/embed/page/{notice.pk}/?utm_source=evil")
    card = client.get(f"/embed/page/{notice.pk}/").content.decode()
    assert "evil" not in card and f'href="/embed/page/{notice.pk}/?size=large"' in card


def test_the_kiosk_turns_by_script_with_a_meta_refresh_only_without_javascript(client):
    factories.notice("第一条")
    factories.notice("第二条")
    html = client.get("/embed/kiosk/?interval=20").content.decode()
    assert '<script src="/static/embeds/kiosk.js" defer></script>' in html
    assert 'data-kiosk-next="/embed/kiosk/?interval=20&amp;i=1" data-kiosk-interval="20"' in html
    assert (
        '<noscript><meta http-equiv="refresh" content="20;url=/embed/kiosk/?interval=20&amp;i=1">'
        "</noscript>" in html
    )


def test_a_paused_kiosk_neither_refreshes_nor_turns_by_script(client):
    factories.notice("第一条")
    html = client.get("/embed/kiosk/?pause=1").content.decode()
    assert 'http-equiv="refresh"' not in html
    assert "data-kiosk-next" not in html
    assert "data-kiosk " in html or "data-kiosk>" in html


@pytest.mark.parametrize("path", ["/embed/notices/", "/embed/kiosk/", "page"])
def test_widgets_answer_head_like_get_without_a_body(path):
    if path == "page":
        path = f"/embed/page/{factories.notice().pk}/"
    else:
        factories.notice()
    client = Client()
    head = client.head(path)
    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Security-Policy"] == client.get(path)["Content-Security-Policy"]
