import datetime

import pytest
from django.utils import timezone

from tests import factories
from website.core.tasks import publish_scheduled_pages
from website.pages.models import RiskNoticePage

pytestmark = pytest.mark.django_db


def schedule(page, when):
    page.go_live_at = when
    page.save_revision().publish()
    return RiskNoticePage.objects.get(pk=page.pk)


def test_page_scheduled_for_later_is_not_live_yet(client):
    index = factories.notice_index()
    page = RiskNoticePage(
        title="定时发布", slug="scheduled", summary="s", body=factories.body("x"), live=False
    )
    index.add_child(instance=page)
    page = schedule(page, timezone.now() + datetime.timedelta(hours=1))
    assert not page.live
    publish_scheduled_pages()
    assert not RiskNoticePage.objects.get(pk=page.pk).live


def test_beat_task_publishes_pages_whose_time_has_come(client, monkeypatch):
    index = factories.notice_index()
    page = RiskNoticePage(
        title="定时发布", slug="scheduled", summary="s", body=factories.body("x"), live=False
    )
    index.add_child(instance=page)
    page = schedule(page, timezone.now() + datetime.timedelta(hours=1))
    client.get("/notices/")
    later = timezone.now() + datetime.timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)  # the go-live time passes
    publish_scheduled_pages()
    assert RiskNoticePage.objects.get(pk=page.pk).live
    assert "定时发布" in client.get("/notices/").content.decode()


def test_beat_schedule_runs_the_task_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["publish-scheduled-pages"]
    assert entry["task"] == "website.core.tasks.publish_scheduled_pages"
    assert entry["schedule"] <= 60
