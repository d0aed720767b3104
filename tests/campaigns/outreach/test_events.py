"""七进 events: validation messages, status transitions, phone format and masking, the
admin list/create/edit with filters, and the calendar."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone

from campaigns import phone
from campaigns.models import OutreachChannel, OutreachEvent
from tests.campaigns.outreach import factories as of
from tests.campaigns.sms import factories as sms_factories
from website.taxonomy.models import Region

pytestmark = pytest.mark.django_db


def test_seven_channels_are_seeded():
    assert list(OutreachChannel.objects.values_list("name", flat=True)) == [
        "机关",
        "学校",
        "企业",
        "社区",
        "村组",
        "家庭",
        "金融网点",
    ]


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("13812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("0737-1234567", "0737-1234567"),
        ("07371234567", "0737-1234567"),
        ("010-12345678", "010-12345678"),
    ],
)
def test_phone_accepts_mobiles_and_fixed_lines(raw, stored):
    assert phone.validate_contact_phone(raw) == stored


@pytest.mark.parametrize("raw", ["", "123", "abc", "1381234567", "+1 202 555 0100", "0737-12"])
def test_phone_refuses_junk_with_a_clear_message(raw):
    with pytest.raises(ValidationError) as exc:
        phone.validate_contact_phone(raw)
    assert "电话号码格式不对" in exc.value.messages[0]


def test_masking():
    assert phone.mask_contact_phone("13812345678") == "138****5678"
    assert phone.mask_contact_phone("0737-1234567") == "0737-***4567"
    assert phone.mobile_e164("13812345678") == "+8613812345678"
    assert phone.mobile_e164("0737-1234567") is None


def build(**kw):
    start = kw.pop("start", of.at(2))
    return OutreachEvent(
        channel=of.channel(),
        region=Region.objects.get(code="430922100001"),
        title="宣讲",
        venue="礼堂",
        organiser="处非办",
        contact_person="张三",
        contact_phone=kw.pop("phone", "13812345678"),
        start_at=start,
        end_at=kw.pop("end", start + datetime.timedelta(hours=2)),
        **kw,
    )


def test_end_must_be_after_start():
    event = build(end=of.at(2) - datetime.timedelta(hours=1))
    with pytest.raises(ValidationError) as exc:
        event.full_clean()
    assert exc.value.message_dict["end_at"] == ["结束时间必须晚于开始时间。"]


def test_bad_phone_is_an_error():
    with pytest.raises(ValidationError) as exc:
        build(phone="12345").full_clean()
    assert "contact_phone" in exc.value.message_dict


def test_outside_campaign_dates_is_a_warning_not_an_error():
    today = timezone.localdate()
    campaign = of.campaign(start=today, end=today + datetime.timedelta(days=5))
    event = build(campaign=campaign, start=of.at(10))
    event.full_clean()  # no error
    (warning,) = event.warnings()
    assert "不在宣传活动" in str(warning)
    assert build(campaign=campaign, start=of.at(1)).warnings() == []


@pytest.mark.parametrize(
    ("old", "new", "ok"),
    [
        ("planned", "confirmed", True),
        ("confirmed", "done", True),
        ("confirmed", "cancelled", True),
        ("done", "planned", False),
        ("done", "cancelled", False),
        ("cancelled", "done", False),
    ],
)
def test_status_transitions(old, new, ok):
    event = of.event(start=of.at(-2), status=old)
    event.status = new
    if ok:
        event.full_clean()
    else:
        with pytest.raises(ValidationError) as exc:
            event.full_clean()
        assert "status" in exc.value.message_dict


def test_future_event_cannot_be_done():
    event = of.event(start=of.at(3))
    event.status = "done"
    with pytest.raises(ValidationError):
        event.full_clean()


def test_missing_record_queryset():
    ended = of.event(start=of.at(-2))
    of.event(start=of.at(-2), attendance=30, status="done")
    of.event(start=of.at(-2), status="cancelled")
    of.event(start=of.at(2))
    assert list(OutreachEvent.objects.missing_record()) == [ended]


# -- admin ------------------------------------------------------------------------------
@pytest.fixture
def editor(client):
    user = sms_factories.staff("bianji", "编辑")
    client.force_login(user)
    return user


def test_editor_creates_an_event_and_sees_the_warning(client, editor):
    today = timezone.localdate()
    campaign = of.campaign(start=today, end=today + datetime.timedelta(days=3))
    start = timezone.localtime(of.at(8))
    response = client.post(
        "/admin/outreach/events/new/",
        {
            "title": "村组防非宣讲",
            "campaign": campaign.pk,
            "channel": of.channel("村组").pk,
            "start_at": start.strftime("%Y-%m-%d %H:%M"),
            "end_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"),
            "region": Region.objects.get(code="430922100201").pk,
            "venue": "村部",
            "address": "",
            "organiser": "桃花江镇",
            "contact_person": "王五",
            "contact_phone": "0737 1234567",
            "planned_materials": "100",
            "is_public": "on",
            "status": "planned",
            "summary": "",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
            "photos-MIN_NUM_FORMS": "0",
            "photos-MAX_NUM_FORMS": "1000",
        },
        follow=True,
    )
    assert response.status_code == 200
    event = OutreachEvent.objects.get(title="村组防非宣讲")
    assert event.contact_phone == "0737-1234567"
    text = response.content.decode()
    assert "不在宣传活动" in text


def test_admin_form_shows_clear_errors(client, editor):
    start = timezone.localtime(of.at(2))
    response = client.post(
        "/admin/outreach/events/new/",
        {
            "title": "x",
            "channel": of.channel().pk,
            "start_at": start.strftime("%Y-%m-%d %H:%M"),
            "end_at": start.strftime("%Y-%m-%d %H:%M"),
            "region": Region.objects.get(code="430922").pk,
            "venue": "v",
            "organiser": "o",
            "contact_person": "p",
            "contact_phone": "12",
            "planned_materials": "0",
            "status": "planned",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
            "photos-MIN_NUM_FORMS": "0",
            "photos-MAX_NUM_FORMS": "1000",
        },
    )
    text = response.content.decode()
    assert "结束时间必须晚于开始时间" in text and "电话号码格式不对" in text
    assert not OutreachEvent.objects.exists()


def test_list_masks_phones_and_filters_by_region_subtree(client, editor):
    of.event(title="桃江活动", region="430922100001")
    of.event(title="安化活动", region="430923100201")
    response = client.get(
        "/admin/outreach/events/", {"region": Region.objects.get(code="430922").pk}
    )
    text = response.content.decode()
    assert "桃江活动" in text and "安化活动" not in text
    assert "138****5678" in text and "13812345678" not in text
    for params in (
        {"status": "done"},
        {"channel": of.channel("学校").pk},
        {"start_date_after": "2000-01-01"},
        {"record_missing": "true"},
        {"region": "junk"},
        {"start_date_after": "x"},
    ):
        assert client.get("/admin/outreach/events/", params).status_code == 200


def test_calendar_shows_events_and_filters(client, editor):
    e = of.event(title="日历上的活动", start=of.at(0, 10))
    of.event(title="学校活动", channel_name="学校", start=of.at(0, 14))
    today = timezone.localdate().isoformat()
    text = client.get("/admin/outreach-tools/calendar/", {"date": today}).content.decode()
    assert "日历上的活动" in text and f"/admin/outreach/events/edit/{e.pk}/" in text
    text = client.get(
        "/admin/outreach-tools/calendar/", {"date": today, "view": "week", "channel": "shequ"}
    ).content.decode()
    assert "日历上的活动" in text and "学校活动" not in text
    text = client.get(
        "/admin/outreach-tools/calendar/", {"date": today, "region": "430923"}
    ).content.decode()
    assert "日历上的活动" not in text
    for junk in (
        {"date": "9999-99-99"},
        {"region": "%00"},
        {"view": "x" * 300},
        {"date": "0001-01-01"},
    ):
        assert client.get("/admin/outreach-tools/calendar/", junk).status_code == 200


def test_outreach_admin_needs_permission(client):
    user = User.objects.create_user("nobody", password="x", is_staff=True)
    client.force_login(user)
    for url in (
        "/admin/outreach-tools/calendar/",
        "/admin/outreach-tools/coverage/",
        "/admin/outreach-tools/import/",
    ):
        assert client.get(url).status_code in (302, 403)


@pytest.mark.parametrize(
    ("date", "first", "last", "weeks"),
    [
        ("2026-02-14", datetime.date(2026, 1, 26), datetime.date(2026, 3, 1), 5),  # 1st a Sunday
        ("2026-06-30", datetime.date(2026, 6, 1), datetime.date(2026, 7, 5), 5),  # 1st a Monday
        ("2027-02-01", datetime.date(2027, 2, 1), datetime.date(2027, 2, 28), 4),  # four weeks
        ("2026-08-31", datetime.date(2026, 7, 27), datetime.date(2026, 9, 6), 6),  # six weeks
    ],
)
def test_month_grid_is_whole_weeks_monday_first_around_the_month(
    client, editor, date, first, last, weeks
):
    response = client.get("/admin/outreach-tools/calendar/", {"date": date})
    grid = response.context["weeks"]
    days = [cell["date"] for week in grid for cell in week]
    assert len(grid) == weeks and all(len(week) == 7 for week in grid)
    assert (days[0], days[-1]) == (first, last) and days[0].weekday() == 0
    assert days == [first + datetime.timedelta(days=i) for i in range(len(days))]
    month = datetime.date.fromisoformat(date).month
    assert all(cell["other_month"] == (cell["date"].month != month) for w in grid for cell in w)


def test_week_view_is_the_monday_to_sunday_week_of_the_date(client, editor):
    response = client.get("/admin/outreach-tools/calendar/", {"date": "2026-05-15", "view": "week"})
    (week,) = response.context["weeks"]
    assert [cell["date"] for cell in week][::6] == [
        datetime.date(2026, 5, 11),
        datetime.date(2026, 5, 17),
    ]
    assert (
        response.context["prev_date"] == "2026-05-04"
        and response.context["next_date"] == "2026-05-18"
    )
