"""The Celery app; tasks are autodiscovered from each app's (and each campaigns room's)
``tasks.py``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings.dev")

app = Celery("website")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# campaigns is one app with rooms of its own; each room keeps its tasks beside its code.
app.autodiscover_tasks(["campaigns.sms", "campaigns.outreach"])
