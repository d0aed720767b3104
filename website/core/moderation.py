"""Wagtail's page-review notifications (submitted, approved, rejected), sent by the channel each
member of staff chose: Wagtail's own e-mail to those who want e-mail, an SMS (through
``website.core.notify``) to those who want texts. Wagtail's notification switches in the
account settings still decide *which* notices someone gets; our preference decides *how*.

Wagtail connects its e-mail notifiers in its admin app's ``ready()`` with fixed dispatch uids.
The site's core app is readied first (it comes first in INSTALLED_APPS), so ``connect()``
below takes those uids for these notifiers and Wagtail's own connect of the same uid is a
no-op: each notice is sent once, by the chosen channel.
"""

from django.utils.translation import gettext as _
from wagtail.admin import mail as wagtail_mail
from wagtail.admin.utils import get_user_display_name
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected
from wagtail.users.models import UserProfile

from website.core import notify


def _title(obj):
    return str(getattr(obj, "title", None) or obj)[:30]


def _who(user):
    if user is None:
        return _("有人")
    return get_user_display_name(user)


class ByChosenChannel:
    """Mixed in before a Wagtail e-mail notifier: e-mail only to those who chose it, and an SMS
    to those who chose texts."""

    def sms_text(self, instance, **kwargs):
        raise NotImplementedError

    def sms_key(self, instance, **kwargs):
        raise NotImplementedError

    def __call__(self, instance=None, **kwargs):
        # Wagtail's __call__, with the recipients found once and split by channel once.
        if not self.can_handle(instance, **kwargs):
            return False
        switch = f"{self.notification}_notifications"
        people = [
            user
            for user in self.get_recipient_users(instance, **kwargs)
            if user and user.is_active and getattr(UserProfile.get_for_user(user), switch)
        ]
        by_mail, by_sms = notify.split_by_channel(people)
        if by_sms:
            notify.text_each(
                by_sms, self.sms_text(instance, **kwargs), self.sms_key(instance, **kwargs)
            )
        if not by_mail:
            return True
        return self.send_notifications(
            self.get_template_set(instance, **kwargs),
            self.get_context(instance, **kwargs),
            set(by_mail),
            **kwargs,
        )


class TaskSubmitted(ByChosenChannel, wagtail_mail.GroupApprovalTaskStateSubmissionEmailNotifier):
    def sms_text(self, task_state, **kwargs):
        obj = task_state.workflow_state.content_object
        return _("待您审核：“%(title)s”（%(who)s提交）。请登录后台工作台处理。") % {
            "title": _title(obj),
            "who": _who(task_state.workflow_state.requested_by),
        }

    def sms_key(self, task_state, **kwargs):
        return f"review-task:{task_state.pk}"


class WorkflowApproved(ByChosenChannel, wagtail_mail.WorkflowStateApprovalEmailNotifier):
    def sms_text(self, workflow_state, **kwargs):
        return _("您提交的“%(title)s”已通过审核。") % {
            "title": _title(workflow_state.content_object)
        }

    def sms_key(self, workflow_state, **kwargs):
        return f"review-approved:{workflow_state.pk}"


class WorkflowRejected(ByChosenChannel, wagtail_mail.WorkflowStateRejectionEmailNotifier):
    def sms_text(self, workflow_state, **kwargs):
        return _("您提交的“%(title)s”被退回修改，请登录后台查看审核意见。") % {
            "title": _title(workflow_state.content_object)
        }

    def sms_key(self, workflow_state, **kwargs):
        return f"review-rejected:{workflow_state.pk}:{workflow_state.current_task_state_id}"


# Module-level: signals hold their receivers by weak reference.
task_submitted_notifier = TaskSubmitted()
workflow_approved_notifier = WorkflowApproved()
workflow_rejected_notifier = WorkflowRejected()


def connect():
    """Take Wagtail's notification signal uids for the notifiers above (see the module's
    docstring); called from the core app's ``ready()``."""
    task_submitted.connect(
        task_submitted_notifier,
        sender=TaskState,
        dispatch_uid="group_approval_task_submitted_email_notification",
    )
    workflow_rejected.connect(
        workflow_rejected_notifier,
        sender=WorkflowState,
        dispatch_uid="workflow_state_rejected_email_notification",
    )
    workflow_approved.connect(
        workflow_approved_notifier,
        sender=WorkflowState,
        dispatch_uid="workflow_state_approved_email_notification",
    )
