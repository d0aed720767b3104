"""Events that ended without a record wait on the dashboard of those who can fill it in."""

import pytest

from tests.campaigns.outreach import factories
from tests.factories import logged_in, staff

pytestmark = pytest.mark.django_db


def test_an_ended_event_without_attendance_waits_on_the_dashboard():
    ended = factories.event(start=factories.at(-2), title="已结束的进社区宣讲")
    factories.event(start=factories.at(3), title="下周的进学校宣讲")
    body = logged_in(staff("bianji", "编辑")).get("/admin/").content.decode()
    assert "已结束、待填活动记录的七进活动" in body
    assert "已结束的进社区宣讲" in body and f"/admin/outreach/events/edit/{ended.pk}/" in body
    assert "下周的进学校宣讲" not in body


def test_a_recorded_event_leaves_the_panel():
    factories.event(start=factories.at(-2), title="已登记的活动", attendance=40)
    body = logged_in(staff("bianji", "编辑")).get("/admin/").content.decode()
    assert "已结束、待填活动记录的七进活动" not in body
