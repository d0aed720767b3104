"""A page submitted for review reaches the reviewer who chose SMS, with real processes:
PostgreSQL, Redis, Celery beat and a worker, and the fake HTTP gateway. The text goes through
the staff ledger and the one sending layer, exactly once; the editor's submission never waits
for the gateway and nothing errors."""

import os
from collections import Counter

import pytest
from django.core import mail

from campaigns.models import StaffSms
from tests import factories
from tests.services.harness import Cluster, wait_for
from website.core.models import StaffNotificationPreference
from website.pages.models import RiskNoticePage

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def services_only():
    if not os.environ.get("FANGFEI_SERVICES"):
        pytest.skip("services tier only")


def test_a_page_submitted_for_review_texts_the_reviewer_through_the_gateway(request):
    reviewer = factories.staff("shenhe", "审核员")
    StaffNotificationPreference.objects.create(user=reviewer, channel="sms", phone="+8613800138000")
    by_mail = factories.staff("shenhe2", "审核员")
    by_mail.email = "shenhe2@example.gov.cn"
    by_mail.save()
    editor = factories.staff("bianji", "编辑")
    page = RiskNoticePage(
        title="警惕虚拟货币投资骗局", slug="pending", summary="摘要", body=factories.body("x")
    )
    factories.notice_index().add_child(instance=page)
    page.save_revision(user=editor)

    with Cluster(request.node.name) as cluster:
        cluster.start_gateway()
        cluster.start_worker()
        cluster.start_beat()
        # What the editor's 提交审核 button does.
        page.get_workflow().start(page, editor)
        assert wait_for(lambda: StaffSms.objects.filter(status="sent").exists(), timeout=90)
        messages = cluster.messages()
        assert cluster.stats()["duplicates"] == 0

    row = StaffSms.objects.get()
    assert row.user == reviewer and row.key in messages
    assert Counter(entry[1] for entries in messages.values() for entry in entries) == Counter(
        {"+8613800138000": 1}
    )
    assert "警惕虚拟货币投资骗局" in row.text and "待您审核" in row.text
    assert [m.to for m in mail.outbox] == [["shenhe2@example.gov.cn"]]
