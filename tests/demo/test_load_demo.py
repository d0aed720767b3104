"""``manage.py load_demo`` builds a believable, live demo site once, and only once.

The command takes a few seconds, so it runs once for this module (inside a transaction
rolled back afterwards) and each test checks one aspect of the result.
"""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from website.core.models import ReportingSettings
from website.pages.models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    HomePage,
    RiskNoticeIndexPage,
    RiskNoticePage,
    StandardPage,
)

pytestmark = pytest.mark.django_db

ACCOUNTS = {"admin": None, "bianji": "编辑", "shenhe": "审核员"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """Run load_demo once; return its output. Everything is rolled back afterwards."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = io.StringIO()
            call_command("load_demo", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def passwords_in(output):
    """Return {username: password} from the account table in the command's output."""
    found = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] in ACCOUNTS:
            found[parts[0]] = parts[2]
    return found


def test_sections_and_standard_pages_sit_under_the_home_page(demo):
    home = Site.objects.get(is_default_site=True).root_page.specific
    assert isinstance(home, HomePage)
    children = {p.slug: p.specific for p in home.get_children().live()}
    assert isinstance(children["notices"], RiskNoticeIndexPage)
    assert children["notices"].title == "风险提示"
    assert isinstance(children["cases"], CaseStudyIndexPage)
    assert children["cases"].title == "典型案例"
    assert isinstance(children["how-to-report"], StandardPage)
    assert children["how-to-report"].title == "如何举报"
    assert isinstance(children["about"], StandardPage)
    assert children["about"].title == "关于我们"


def test_cases_and_notices_are_live_with_a_published_revision(demo):
    cases = CaseStudyPage.objects.live()
    notices = RiskNoticePage.objects.live()
    assert cases.count() >= 8
    assert notices.count() >= 8
    for page in [*cases, *notices]:
        assert page.live_revision_id is not None
        assert not page.has_unpublished_changes
        assert page.first_published_at is not None


def test_notices_include_expired_current_and_open_ended_ones(demo):
    notices = list(RiskNoticePage.objects.live())
    assert sum(n.is_expired for n in notices) >= 2
    assert RiskNoticePage.current().count() >= 5
    assert any(n.valid_until is None for n in notices)
    assert {n.level for n in notices} == {"notice", "warning", "severe"}
    assert all(n.valid_until is None or n.valid_until >= n.issued_on for n in notices)


def test_content_is_spread_over_audiences_tags_and_regions(demo):
    pages = [*CaseStudyPage.objects.live(), *RiskNoticePage.objects.live()]
    audiences = {a.slug for p in pages for a in p.audiences.all()}
    tags = {t.name for p in pages for t in p.tags.all()}
    regions = {p.region.code for p in pages if p.region}
    assert {"elderly", "students", "rural", "migrant-workers", "pupils"} <= audiences
    assert len(audiences) >= 6
    assert {"养老服务", "区块链/虚拟货币", "私募基金", "消费返利", "P2P网络借贷"} <= tags
    assert len(tags) >= 10
    assert len(regions) >= 4
    assert any(p.region is None for p in pages)


def test_cases_tell_the_whole_story(demo):
    cases = list(CaseStudyPage.objects.live())
    assert any("养老服务" in c.title for c in cases)
    for case in cases:
        assert 0 < len(case.summary) <= 400
        assert case.outcome and case.amount_involved > 0 and case.victims > 0
        kinds = [block.block_type for block in case.body]
        assert {"heading", "paragraph", "pitch", "warning_signs"} <= set(kinds), case.title
        for block in case.body:
            if block.block_type == "warning_signs":
                assert 3 <= len(block.value["signs"]) <= 5
            if block.block_type == "paragraph":
                assert block.value.source.startswith(("<p>", "<ul>"))


def test_texts_mention_illegal_fundraising_and_blockchain_with_pensions(demo):
    def text(page):
        return f"{page.title} {page.summary} {page.body.raw_data}"

    pages = [*CaseStudyPage.objects.live(), *RiskNoticePage.objects.live()]
    assert sum("非法集资" in text(p) for p in pages) >= 3
    assert any("区块链" in text(p) and "养老" in text(p) for p in pages)


def test_search_ranks_the_blockchain_pension_case_first(demo):
    results = list(Page.objects.live().search("区块链 养老"))
    assert results
    assert "区块链" in results[0].title and "养老" in results[0].title


def test_every_topic_page_has_an_image_that_can_be_rendered(demo):
    Image = get_image_model()
    assert Image.objects.count() >= 10
    for page in [*CaseStudyPage.objects.live(), *RiskNoticePage.objects.live()]:
        image = page.listing_image
        assert image is not None, page.title
        assert image.title and image.file_size and image.file_hash
    for image in Image.objects.all():
        rendition = image.get_rendition("fill-480x270")
        assert (rendition.width, rendition.height) == (480, 270)
        assert image.file.storage.exists(image.file.name)


def test_image_blocks_carry_alt_text(demo):
    blocks = [
        block
        for page in [*CaseStudyPage.objects.live(), *StandardPage.objects.live()]
        for block in page.body
        if block.block_type == "image"
    ]
    assert len(blocks) >= 5
    assert all(block.value["alt"] and block.value["image"] for block in blocks)


def test_reporting_settings_point_to_the_report_page(demo):
    settings = ReportingSettings.for_site(Site.objects.get(is_default_site=True))
    assert settings.report_page.specific.slug == "how-to-report"
    assert settings.hotline and settings.email and settings.address
    assert "保密" in settings.reporting_note and "奖励" in settings.reporting_note


def test_staff_accounts_are_created_in_their_groups(demo):
    User = get_user_model()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    for username, group in ACCOUNTS.items():
        if group:
            user = User.objects.get(username=username)
            assert list(user.groups.values_list("name", flat=True)) == [group]
            assert not user.is_superuser
            assert user.has_perm("wagtailadmin.access_admin")


def test_each_password_is_printed_once_and_works(demo):
    passwords = passwords_in(demo)
    assert set(passwords) == set(ACCOUNTS)
    assert "用户名" in demo and "角色" in demo and "密码" in demo
    User = get_user_model()
    for username, password in passwords.items():
        assert demo.count(password) == 1
        assert User.objects.get(username=username).check_password(password)


def test_second_run_changes_nothing_and_prints_no_password(demo):
    def counts():
        User = get_user_model()
        return (
            Page.objects.count(),
            Revision.objects.count(),
            get_image_model().objects.count(),
            User.objects.count(),
            list(User.objects.order_by("pk").values_list("password", flat=True)),
        )

    before = counts()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    output = out.getvalue()
    assert "演示内容已存在" in output
    assert counts() == before
    for password in passwords_in(demo).values():
        assert password not in output
    assert not re.search(r"密码只显示", output)


@pytest.mark.parametrize(
    "url", ["/", "/notices/", "/cases/", "/report/", "/how-to-report/", "/about/"]
)
def test_demo_pages_render(demo, client, url):
    assert client.get(url).status_code == 200


def test_demo_detail_pages_render(demo, client):
    for page in [*CaseStudyPage.objects.live()[:3], *RiskNoticePage.objects.live()[:3]]:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert page.title in response.content.decode()


def test_demo_tipoffs_cover_every_state_with_identities_encrypted(demo):
    from website.tipoffs.models import Report

    assert set(Report.objects.values_list("status", flat=True)) == set(Report.Status.values)
    assert Report.objects.filter(duplicate_of__isnull=False).exists()
    assert Report.objects.filter(reward_eligible=True, reward_paid_on__isnull=False).exists()
    assert not Report.objects.filter(identity_token__contains="张示例").exists()


def test_the_demo_campaign_effect_page_reaches_a_verdict(demo, client):
    """A newcomer opening 宣传效果 sees the running 宣传月 judged, not an empty form."""
    from campaigns.models import CampaignPage
    from quiz import stats

    month = CampaignPage.objects.get(kind=CampaignPage.Kind.MONTH)
    effect = stats.campaign_effect(
        month.start_date,
        month.end_date,
        audiences=list(month.audiences.all()),
        regions=list(month.regions.all()),
    )
    assert effect.target.change == "up"
    assert effect.comparison.change in ("none", "down")
    client.force_login(get_user_model().objects.get(username="admin"))
    response = client.get("/admin/quiz/reports/effect/")
    assert response.status_code == 200
    assert response.context["campaign"].pk == month.pk
    assert str(effect.summary) in response.content.decode()
