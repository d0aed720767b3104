"""Settings for pytest: the fast tier on SQLite unless DATABASE_URL says otherwise."""

import os

from website.settings.base import *  # noqa: F403
from website.settings.base import BASE_DIR

SECRET_KEY = "test-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "1") == "1"
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "memory://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
# The address of the Site record Wagtail's first migration creates (http://localhost/).
FANGFEI_BASE_URL = WAGTAILADMIN_BASE_URL = WAGTAILAPI_BASE_URL = "http://localhost"
# WhiteNoise looks for STATIC_ROOT at start-up; outside production nothing is collected there.
STATIC_ROOT.mkdir(exist_ok=True)  # noqa: F405
# A test database of this run's own (tests/tiers.py names it), so two runs on one machine
# never drop each other's database.
if os.environ.get("FANGFEI_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["FANGFEI_TEST_DB_NAME"]}  # noqa: F405

# SMS: an in-memory outbox, no global rate limit and no quiet hours unless a test (or the
# environment of a worker that a services test starts) sets them: a test run at 22:00 must
# behave like one at noon.
if not os.environ.get("SMS_GATEWAY_URL"):
    SMS_BACKEND = os.environ.get(
        "SMS_BACKEND", "campaigns.sms.sending.backends.locmem.LocmemBackend"
    )
SMS_RATE_PER_SECOND = int(os.environ.get("SMS_RATE_PER_SECOND", "0"))
_quiet = os.environ.get("SMS_QUIET_HOURS", "off")
SMS_QUIET_HOURS = tuple(_quiet.split("-")) if "-" in _quiet else ()
SMS_WEBHOOK_SECRET = "test-webhook-secret"
# Views go straight to the database in tests; tests of the Redis buffer turn it on.
EMBED_IMPRESSIONS_BUFFERED = False
