"""The 编辑's 您的短信群发草稿 panel: blasts a reviewer sent back come first, even when newer
drafts alone would fill the panel."""

import pytest
from django.test import RequestFactory

from campaigns.models import SmsBlast
from campaigns.sms import blast_actions as actions
from campaigns.sms.panels import SHOWN, add_own_blast_drafts_panel
from tests import factories as core
from tests.campaigns.sms import factories

pytestmark = pytest.mark.django_db


def shown(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    panels = []
    add_own_blast_drafts_panel(request, panels)
    return [(row.label, row.detail) for panel in panels for row in panel.rows]


def titled(author, title):
    blast = factories.blast(author=author)
    SmsBlast.objects.filter(pk=blast.pk).update(title=title)
    blast.title = title
    return blast


def test_a_blast_sent_back_long_ago_comes_before_newer_drafts():
    author = core.staff("author", "编辑")
    reviewer = core.staff("reviewer", "审核员")
    old = titled(author, "很早被退回的群发")
    actions.submit(old, author)
    actions.reject(old, reviewer, "请写明活动地点", fingerprint=old.fingerprint())
    for n in range(SHOWN + 2):
        titled(author, f"新草稿{n}")
    rows = shown(author)
    assert len(rows) == SHOWN
    assert rows[0][0] == "很早被退回的群发" and "请写明活动地点" in rows[0][1]
    # The rest are the newest drafts, newest first.
    assert [label for label, _detail in rows[1:]] == [
        f"新草稿{n}" for n in range(SHOWN + 1, 1, -1)
    ][: SHOWN - 1]
