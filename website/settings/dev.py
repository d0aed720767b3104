"""The embedded default: what ``make run`` uses with no environment at all."""

import os

from website.settings.base import *  # noqa: F403
from website.settings.base import VAR_DIR, cache_from_url

DEBUG = True
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "dev-only-not-secret-fangfei"
ALLOWED_HOSTS = ["*"]
VAR_DIR.mkdir(parents=True, exist_ok=True)
# WhiteNoise looks for STATIC_ROOT at start-up; outside production nothing is collected there.
STATIC_ROOT.mkdir(exist_ok=True)  # noqa: F405
(VAR_DIR / "celery" / "queue").mkdir(parents=True, exist_ok=True)
(VAR_DIR / "celery" / "processed").mkdir(parents=True, exist_ok=True)
(VAR_DIR / "celery" / "control").mkdir(parents=True, exist_ok=True)

# Web, worker and beat are separate processes: a file cache lets a publish in one (e.g. a
# scheduled page going live in the worker) clear the page cache for the others.
CACHES = {
    **CACHES,  # noqa: F405
    "default": cache_from_url(
        os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or f"file://{VAR_DIR / 'cache'}"
    ),
}
