"""A blast costs what the counter says: links go out as short links on the site's own address,
the opt-out is the shortest one (回T退订), the compose counter counts exactly what is sent
(with and without JavaScript), the approved text is the one sent, clicks are counted per
blast; test sends, saved segments and message templates."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import Site

from campaigns.models import SmsBlast, SmsDelivery, SmsSegment, SmsTemplate
from campaigns.sms import blast_actions as actions
from campaigns.sms import links as sms_links
from campaigns.sms import text as sms_text
from campaigns.sms.admin_views import count_message
from campaigns.sms.sending.backends import locmem
from tests.campaigns.outreach import factories as outreach
from tests.campaigns.sms import factories
from tests.factories import logged_in
from website.core.models import StaffNotificationPreference
from website.shortlinks.models import ShortLink
from website.shortlinks.service import record_visit
from website.taxonomy.models import Audience, Region

pytestmark = pytest.mark.django_db

BASE = "https://fangfei.example.cn"
# The blast of issue 13: 105 characters and a campaign page whose slug is Chinese.
CAMPAIGN_BODY = (
    "【5·15宣传月】近期有不法分子以“养老服务”“高额返利”为名，诱骗老年人投资入股、"
    "预交“床位费”。凡承诺保本高息、拉人头返利的，都涉嫌非法集资。"
    "请点击下方链接了解本次宣传活动安排，转告家中长辈，谨防上当受骗！"
)
WARNING = "警惕“养老项目”高息揽储！承诺保本高收益、拉人头返利的是陷阱。"  # 31 characters


@pytest.fixture
def site_address(settings):
    settings.FANGFEI_BASE_URL = BASE
    Site.objects.update(hostname="fangfei.example.cn", port=443)


@pytest.fixture
def author():
    return factories.staff("author", "编辑")


@pytest.fixture
def reviewer():
    return factories.staff("reviewer", "审核员")


def chinese_campaign():
    page = outreach.campaign(title="2026年岳麓区防范非法集资宣传月")
    page.slug = "2026年岳麓区防范非法集资宣传月"
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def url(name, *args):
    return reverse(f"campaigns_admin:{name}", args=args)


def texts(response):
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


# -- what the issue's blasts cost --------------------------------------------------------------
def test_the_issue_blasts_bill_3_parts_instead_of_5_and_1_instead_of_2(site_address):
    """Before: 321 characters / 5 parts (percent-encoded page address, a 40-character
    personal unsubscribe link) and 87 characters / 2 parts. Measured in the report."""
    assert (len(CAMPAIGN_BODY), len(WARNING)) == (105, 31)
    blast = factories.blast(body=CAMPAIGN_BODY, link_page=chinese_campaign())
    text = blast.preview_text()
    code = ShortLink.objects.get(kind="blast", ref=str(blast.pk)).code
    assert text == f"【防非】{CAMPAIGN_BODY} {BASE}/s/{code} 回T退订"
    assert (len(text), sms_text.segments(text)) == (150, 3)
    warning = factories.blast(body=WARNING).preview_text()
    assert warning == f"【防非】{WARNING}回T退订"
    assert (len(warning), sms_text.segments(warning)) == (39, 1)


def test_links_and_the_opt_out_share_the_one_public_address(settings):
    settings.FANGFEI_BASE_URL = "https://fangfei.example.cn"
    assert sms_text.unsubscribe_url("abc").startswith("https://fangfei.example.cn/u/")
    assert sms_links.placeholder_url().startswith("https://fangfei.example.cn/s/")
    settings.FANGFEI_BASE_URL = "https://other.example.cn"
    assert sms_text.unsubscribe_url("abc").startswith("https://other.example.cn/u/")


def test_every_address_of_ours_in_the_body_becomes_this_blasts_short_link(site_address):
    page = chinese_campaign()
    body = f"详见{BASE}{page.url}，或 {BASE}/lookup/?q=养老 。"
    blast = factories.blast(body=body)
    first = blast.preview_text()
    links = ShortLink.objects.filter(kind="blast", ref=str(blast.pk))
    assert links.count() == 2
    assert "%E" not in first and "养老" not in first.split("。")[0][-20:]
    for link in links:
        assert f"{BASE}/s/{link.code}" in first
    assert blast.preview_text() == first  # shortened once: the same codes every time
    assert links.count() == 2


def test_another_sites_address_is_refused_in_chinese(author, site_address):
    response = logged_in(author).post(
        url("blast_create"), {"title": "t", "body": "点 http://evil.example/x 领取"}
    )
    assert "短信中只能放本站的链接" in response.content.decode()
    assert not SmsBlast.objects.exists()


# -- the counter ---------------------------------------------------------------------------------
def test_the_counter_counts_what_will_be_sent_before_the_blast_exists(author, site_address):
    page = chinese_campaign()
    counted = logged_in(author).post(
        url("blast_count"), {"body": CAMPAIGN_BODY, "link_page": page.pk}
    )
    data = counted.json()
    blast = factories.blast(body=CAMPAIGN_BODY, link_page=page)
    assert data["characters"] == len(blast.preview_text()) == 150
    assert data["segments"] == blast.segments == sms_text.segments(blast.preview_text()) == 3
    assert data == count_message(CAMPAIGN_BODY, page)


def test_the_counter_without_javascript_recounts_the_typed_text_and_saves_nothing(
    author, site_address
):
    response = logged_in(author).post(
        url("blast_create"), {"title": "", "body": WARNING, "recount": "1"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and not SmsBlast.objects.exists()
    assert re.search(r"data-sms-chars>39<", html) and re.search(r"data-sms-segments>1<", html)
    assert "请填写标题" not in html  # counting is not saving: no complaints yet
    assert f"【防非】{WARNING}回T退订" in html


def test_the_counter_view_needs_the_compose_permission(client, site_address):
    from django.contrib.auth.models import Permission, User

    assert client.post(url("blast_count"), {"body": "x"}).status_code == 302  # to the login
    # Staff who may use the admin but not compose blasts are sent back to the dashboard (as
    # Wagtail does for what one may not do), not counted for.
    staff = User.objects.create_user("viewer", password="pw-123456789")
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    refused = client.post(url("blast_count"), {"body": "x"})
    assert refused.status_code == 302 and refused["Location"] == "/admin/"


# -- review binds the text that goes out ----------------------------------------------------------
def test_the_approved_text_is_sent_even_if_the_page_moves_afterwards(
    author, reviewer, site_address
):
    page = chinese_campaign()
    blast = factories.blast(author=author, body=WARNING, link_page=page)
    actions.submit(blast, author)
    approved = actions.approve(blast, reviewer, fingerprint=blast.fingerprint())
    seen = approved.approved_text
    assert seen == blast.preview_text() and "/s/" in seen
    page.slug = "moved"
    page.save_revision().publish()
    blast = SmsBlast.objects.get(pk=blast.pk)
    assert blast.preview_text() != seen  # a new address gets a new short link …
    assert blast.outgoing_text() == seen  # … but what goes out is what was approved


def test_changing_the_link_after_review_makes_the_approval_stale(author, reviewer, site_address):
    blast = factories.blast(author=author, body=WARNING, link_page=chinese_campaign())
    actions.submit(blast, author)
    seen = blast.fingerprint()
    SmsBlast.objects.filter(pk=blast.pk).update(link_page=outreach.campaign())
    with pytest.raises(actions.StaleVersionError):
        actions.approve(SmsBlast.objects.get(pk=blast.pk), reviewer, fingerprint=seen)


# -- clicks ---------------------------------------------------------------------------------------
def test_clicks_are_counted_per_blast_and_shown_on_its_page(author, site_address):
    blast = factories.blast(author=author, body=WARNING, link_page=chinese_campaign())
    blast.preview_text()
    code = ShortLink.objects.get(kind="blast", ref=str(blast.pk)).code
    for _ in range(3):
        record_visit(code)
    html = logged_in(author).get(url("blast_detail", blast.pk)).content.decode()
    assert re.search(r"data-blast-clicks>3<", html)
    assert f"{BASE}/s/{code}" in html and "2026年岳麓区防范非法集资宣传月" in html


# -- test send -------------------------------------------------------------------------------------
def test_a_test_send_needs_a_phone_on_ones_profile(author):
    blast = factories.blast(author=author)
    response = logged_in(author).post(url("blast_trial_send", blast.pk), follow=True)
    assert "还没有填写手机号码" in texts(response)
    assert locmem.outbox == []


def test_a_test_send_goes_to_ones_own_phone_only_and_is_no_delivery(author, settings):
    settings.SMS_TRIAL_SEND_RATE = (2, 3600)
    factories.subscriber()
    # The number staff give in 通知方式 is the one test sends go to.
    StaffNotificationPreference.objects.create(user=author, phone="+8613700001234")
    blast = factories.blast(author=author)
    client = logged_in(author)
    response = client.post(url("blast_trial_send", blast.pk), follow=True)
    assert "137****1234" in texts(response)
    assert [(m.to, m.text) for m in locmem.outbox] == [("+8613700001234", blast.preview_text())]
    assert not SmsDelivery.objects.exists() and SmsBlast.objects.get(pk=blast.pk).status == "draft"
    assert blast.audit_log.filter(action="trial").count() == 1
    client.post(url("blast_trial_send", blast.pk))
    refused = client.post(url("blast_trial_send", blast.pk), follow=True)
    assert "太频繁" in texts(refused) and len(locmem.outbox) == 2


def test_a_test_send_of_an_approved_blast_is_the_approved_text(author, settings):
    StaffNotificationPreference.objects.create(user=author, phone="+8613700001234")
    blast = factories.blast(author=author)
    # What the reviewer approved differs from what the body would compose to now (a page
    # moved since): the test shows what recipients will get.
    SmsBlast.objects.filter(pk=blast.pk).update(
        status="approved", approved_text="【防非】批准时的正文 回T退订"
    )
    logged_in(author).post(url("blast_trial_send", blast.pk))
    assert [m.text for m in locmem.outbox] == ["【防非】批准时的正文 回T退订"]


def test_staff_set_their_phone_once_in_account_settings(author):
    client = logged_in(author)
    page = client.get(reverse("wagtailadmin_account")).content.decode()
    # One number per member of staff: the 通知方式 panel's, not a second phone panel.
    assert page.count('name="notification_channel-phone"') == 1
    assert "sms_phone-phone" not in page
    from campaigns.sms.staff_settings import NotificationChannelForm
    from campaigns.sms.trial_send import phone_of

    instance = StaffNotificationPreference(user=author)
    bad = NotificationChannelForm({"channel": "email", "phone": "0731-1234567"}, instance=instance)
    assert not bad.is_valid() and "phone" in bad.errors
    NotificationChannelForm(
        {"channel": "email", "phone": "137 0000 1234"}, instance=instance
    ).save()
    assert phone_of(author) == "+8613700001234"


# -- segments and templates ---------------------------------------------------------------------
def test_a_saved_segment_decides_who_the_blast_reaches(author):
    segment = SmsSegment.objects.create(name="本县老年人")
    segment.audiences.set(Audience.objects.filter(slug="elderly"))
    segment.regions.set(Region.objects.filter(code="430922"))
    logged_in(author).post(
        url("blast_create"),
        {"title": "t", "body": WARNING, "segment": segment.pk, "audiences": []},
    )
    blast = SmsBlast.objects.get()
    assert [a.slug for a in blast.audiences.all()] == ["elderly"]
    assert [r.code for r in blast.regions.all()] == ["430922"]


def test_an_editor_starts_from_a_template(author):
    template = SmsTemplate.objects.create(name="养老诈骗", body="警惕以养老为名的非法集资。")
    html = logged_in(author).get(url("blast_create") + f"?template={template.pk}")
    assert "警惕以养老为名的非法集资。</textarea>" in html.content.decode()
    junk = logged_in(author).get(url("blast_create") + "?template=abc", follow=True)
    assert junk.status_code == 200 and "没有找到这个短信模板" in texts(junk)


def test_editors_use_segments_and_templates_and_reviewers_may_delete_them(author, reviewer):
    for model in ("smssegment", "smstemplate"):
        assert author.has_perms([f"campaigns.view_{model}", f"campaigns.add_{model}"])
        assert not author.has_perm(f"campaigns.delete_{model}")
        assert reviewer.has_perm(f"campaigns.delete_{model}")
    client = logged_in(author)
    assert client.get(reverse("sms_templates:index")).status_code == 200
    response = client.post(reverse("sms_templates:add"), {"name": "提醒", "body": "远离非法集资。"})
    assert response.status_code == 302 and SmsTemplate.objects.filter(name="提醒").exists()
    assert client.get(reverse("sms_segments:add")).status_code == 200


def test_a_page_too_deep_for_a_short_link_is_refused_not_a_server_error(author, site_address):
    page = outreach.campaign()
    page.slug = "很" * 100  # 900 characters once percent-encoded
    page.save_revision().publish()
    response = logged_in(author).post(
        url("blast_create"), {"title": "t", "body": WARNING, "link_page": page.pk}
    )
    assert response.status_code == 200 and "地址太长" in response.content.decode()
    assert not SmsBlast.objects.exists()
