"""The public face for the people the site exists for: the two guides and a report one tap
away from every case, notice and the home page; the call button; elder mode's short header
and home page; validity on every notice; the footer's privacy notice, identifiers and 纠错;
what a printed page carries."""

import re
from urllib.parse import quote

import pytest
from wagtail.models import Site

from tests import factories
from website.core.models import ReportingSettings, SiteSettings

pytestmark = pytest.mark.django_db

HOTLINE = "0737-1234567"


@pytest.fixture
def site_setup():
    site = Site.objects.get(is_default_site=True)
    report = factories.standard("如何举报", "打电话或写信")
    reporting = ReportingSettings.for_site(site)
    reporting.hotline = HOTLINE
    reporting.email = "jubao@example.gov.cn"
    reporting.report_page = report
    reporting.save()
    info = SiteSettings.for_site(site)
    info.after_paying_page = factories.standard("已经投了钱怎么办", "先停手，再报警 110")
    info.verify_page = factories.standard("怎样核实一个项目", "查牌照")
    info.privacy_page = factories.standard("隐私声明", "我们收集手机号码")
    info.save()
    return {"report": report, "info": info}


def elder(client):
    client.cookies["elder"] = "1"
    return client


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_every_case_and_notice_links_both_guides_and_the_report_page(client, site_setup):
    info = site_setup["info"]
    for page in (factories.case(tags=["养老服务"]), factories.notice(tags=["养老服务"])):
        html = html_of(client, page.url)
        assert f'href="{info.after_paying_page.url}"' in html
        assert f'href="{info.verify_page.url}"' in html
        slug = quote(page.tags.first().slug)
        assert f'href="/report/?pretext={slug}&amp;page={page.pk}">发现类似线索，我要举报' in html


def test_the_report_link_is_prefilled_with_pretext_and_page(client, site_setup):
    page = factories.case(tags=["养老服务"])
    slug = quote(page.tags.first().slug)
    html = html_of(client, page.url)
    assert f'href="/report/?pretext={slug}&amp;page={page.pk}"' in html
    assert '<a class="nav-report" href="/report/">我要举报</a>' in html


@pytest.mark.parametrize("mode", ["standard", "elder"])
def test_home_offers_guides_tools_report_and_a_call_button(client, site_setup, mode):
    factories.notice("当前提示")
    if mode == "elder":
        elder(client)
    html = html_of(client, "/")
    quick = html[html.index('class="quick-actions"') :]
    quick = quick[: quick.index("</nav>")]
    for label, href in [
        ("已经被骗/投了钱怎么办", site_setup["info"].after_paying_page.url),
        ("怎样核实一个项目", site_setup["info"].verify_page.url),
        ("查一查机构", "/lookup/"),
        ("测一测这段话术", "/check/"),
        ("我要举报", "/report/"),
    ]:
        assert f'href="{href}">{label}</a>' in quick, label
    call = '<a class="call-button" href="tel:07371234567">'
    assert call in html
    # The call button and the first warning come before everything else in the page.
    assert (
        html.index(call)
        < html.index("当前提示")
        < html.index('id="audience-entry"' if mode == "standard" else "短信提醒")
    )


def test_elder_home_is_shorter_and_puts_the_first_warning_before_the_quick_actions(
    client, site_setup
):
    for i in range(5):
        factories.notice(f"提示{i}")
    factories.case("推荐案例")
    standard = html_of(client, "/")
    older = html_of(elder(client), "/")
    assert older.index('class="card-list"') < older.index('class="quick-actions"')
    assert standard.index('class="quick-actions"') < standard.index('class="card-list"')
    assert older.count('class="card level-') == 3 < standard.count('class="card level-')
    assert "推荐案例" in standard and "推荐案例" not in older
    assert 'id="audience-entry"' not in older


def test_elder_header_puts_search_behind_one_button_that_needs_no_javascript(client):
    standard = html_of(client, "/")
    older = html_of(elder(client), "/")
    assert "<details>" not in standard and 'role="search"' in standard
    search = older[older.index('class="nav-search"') :]
    assert (
        search.index("<details>")
        < search.index("<summary>搜索</summary>")
        < search.index('role="search"')
    )
    for html in (standard, older):
        assert 'href="/campaigns/">宣传活动</a>' in html


def test_tag_chips_and_the_embed_panel_are_left_out_in_elder_mode(client, site_setup):
    page = factories.notice(tags=["养老服务"])
    assert 'class="share-panel' in html_of(client, page.url)
    assert 'class="share-panel' not in html_of(elder(client), page.url)


def test_every_notice_shows_its_validity(client):
    lasting = factories.notice("长期的提示")
    dated = factories.notice("有期限的提示", valid_until=factories.days(30))
    assert "长期有效" in html_of(client, lasting.url)
    assert "有效期至" in html_of(client, dated.url)
    home = html_of(client, "/")
    assert '<span class="card-valid">长期有效</span>' in home
    assert '<span class="card-valid">有效期至' in home


def test_phone_numbers_in_settings_text_and_rich_text_are_tel_links(client, site_setup):
    page = factories.case(text="张大爷拨打 0737-7654321 报了案", summary="被骗后请拨打110")
    page.outcome = "追回部分款项，咨询电话 13812345678"
    page.save_revision().publish()
    html = html_of(client, page.url)
    for href in ("tel:07377654321", "tel:110", "tel:13812345678", "tel:07371234567"):
        assert f'href="{href}"' in html, href
    # The settings' hotline: in the report box and the footer, as a link each time.
    assert html.count('href="tel:07371234567"') >= 2
    linked = len(re.findall(r'<a class="tel" href="tel:\d+">', html))
    assert linked >= 5


def test_the_after_paying_guide_and_the_report_page_show_the_call_button(client, site_setup):
    for page in (site_setup["info"].after_paying_page, site_setup["report"]):
        assert 'class="call-button"' in html_of(client, page.url)
    assert 'class="call-button"' not in html_of(client, site_setup["info"].verify_page.url)


def test_footer_links_the_privacy_notice_and_correction_and_no_false_claim(client, site_setup):
    html = html_of(client, "/")
    footer = html[html.index('<footer class="site-footer">') :]
    assert f'href="{site_setup["info"].privacy_page.url}">隐私声明</a>' in footer
    assert 'href="mailto:jubao@example.gov.cn?subject=' in footer and ">纠错</a>" in footer
    assert "本站不收集个人信息" not in html


def test_site_identifiers_are_shown_only_when_set(client, site_setup):
    assert "site-identifiers" not in html_of(client, "/")
    info = site_setup["info"]
    info.site_code = "4313000001"
    info.icp_number = "湘ICP备12345678号-1"
    info.police_number = "湘公网安备43130002000001号"
    info.save()
    html = html_of(client, "/")
    assert "网站标识码：4313000001" in html
    assert '<a href="https://beian.miit.gov.cn/" rel="noopener">湘ICP备12345678号-1</a>' in html
    assert "湘公网安备43130002000001号</a>" in html


def test_a_printed_page_carries_its_address_and_last_update(client, site_setup):
    page = factories.notice("打印的提示")
    html = html_of(client, page.url)
    meta = html[html.index('class="print-only print-meta"') :]
    assert f"本页地址：http://localhost{page.url}" in meta
    assert "最后更新：" + page.last_published_at.strftime("%Y年").lstrip("0") in meta


def test_read_aloud_ships_hidden_and_runs_from_a_file_not_an_inline_script(client):
    page = factories.notice("朗读的提示")
    html = html_of(client, page.url)
    assert re.search(
        r'<div class="read-aloud-bar" data-read-target="read-target"[^>]* hidden>', html
    )
    assert 'id="read-target"' in html
    assert '<script src="/static/js/read-aloud.js" defer></script>' in html
    assert not re.search(r"<script(?![^>]*(src=|application/ld\+json))", html)


def test_staff_point_the_site_at_their_own_guides_in_the_settings(site_setup):
    from django.contrib.auth.models import User

    admin = factories.logged_in(User.objects.create_superuser("root", password="pw-123456789"))
    site = Site.objects.get(is_default_site=True)
    response = admin.get(f"/admin/settings/core/sitesettings/{site.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("网站标识码", "ICP备案号", "公安机关备案号", "隐私声明页面", "纠错邮箱"):
        assert label in html
    # Reviewers keep these settings, as they keep the reporting channels; editors do not.
    url = f"/admin/settings/core/sitesettings/{site.pk}/"
    reviewer = factories.logged_in(factories.staff("shenhe", "审核员"))
    assert reviewer.get(url).status_code == 200
    editor = factories.logged_in(factories.staff("bianji", "编辑"))
    assert editor.get(url).status_code in (302, 403)
