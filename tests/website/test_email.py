"""Review notifications never fail for want of a mail server (issue 13 §2)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail

from tests import factories
from website.pages.models import RiskNoticePage

ROOT = Path(__file__).resolve().parents[2]


def backend_under(env_extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_EMAIL")}
    env.update(env_extra, DJANGO_SETTINGS_MODULE="website.settings.dev")
    code = "from django.conf import settings; print(settings.EMAIL_BACKEND)"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_without_a_mail_server_mail_goes_to_the_console():
    assert backend_under({}) == "django.core.mail.backends.console.EmailBackend"


def test_a_mail_host_from_the_environment_sends_over_smtp():
    assert backend_under({"DJANGO_EMAIL_HOST": "smtp.example.gov.cn"}) == (
        "django.core.mail.backends.smtp.EmailBackend"
    )


@pytest.mark.django_db
def test_submitting_a_page_for_review_mails_the_reviewers():
    reviewer = factories.staff("shenhe", "审核员")
    reviewer.email = "shenhe@example.gov.cn"
    reviewer.save()
    editor = factories.staff("bianji", "编辑")
    page = RiskNoticePage(
        title="待审核的提示", slug="pending", summary="摘要", body=factories.body("x")
    )
    factories.notice_index().add_child(instance=page)
    page.save_revision(user=editor)
    # What the editor's 提交审核 button does: start the page's workflow.
    page.get_workflow().start(page, editor)
    assert [m.to for m in mail.outbox] == [["shenhe@example.gov.cn"]]
    assert "待审核的提示" in mail.outbox[0].subject + mail.outbox[0].body
