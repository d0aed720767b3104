"""Wagtail looks for hooks in each app's ``wagtail_hooks`` module; campaigns is one app with
three rooms, and each room registers its own menu, URLs and signals."""

from campaigns.outreach import wagtail_hooks as outreach_hooks  # noqa: F401
from campaigns.pages import wagtail_hooks as pages_hooks  # noqa: F401
from campaigns.sms import wagtail_hooks as sms_hooks  # noqa: F401
