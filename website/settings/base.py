"""Settings shared by every environment.

Values that differ between machines come from the environment; the embedded default
(no environment at all) is a SQLite file and a Celery broker on another SQLite file (kombu's
SQLAlchemy transport) under ``var/``.
"""

import json
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _
from wagtail.embeds.oembed_providers import all_providers as all_oembed_providers

from website.settings.env import (  # noqa: F401
    cache_from_url,
    env_bool,
    env_list,
    own_oembed_provider,
    public_base_url,
)

# ------------------------------------------------------------------------------
# Paths
# ------------------------------------------------------------------------------
BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("FANGFEI_VAR_DIR", BASE_DIR / "var"))

# ------------------------------------------------------------------------------
# General
# ------------------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

ROOT_URLCONF = "website.urls"
WSGI_APPLICATION = "website.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SITE_ID = 1

# ------------------------------------------------------------------------------
# Apps
# ------------------------------------------------------------------------------
INSTALLED_APPS = [
    # The site's own apps
    "website.core",
    "website.taxonomy",
    "website.pages",
    "website.search",
    "website.feeds",
    "website.api",
    "website.embeds",
    "website.shortlinks",
    "website.firms",
    "website.redflags",
    "website.tipoffs",
    "website.leads",
    "website.demo",
    "quiz",
    "campaigns",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail.api.v2",
    "rest_framework",
    "modelcluster",
    "taggit",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    # Failed admin logins: counted per username and address, locked for a cool-off.
    "axes",
    "csp",
]

# ------------------------------------------------------------------------------
# Middleware
# ------------------------------------------------------------------------------
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # gzip for pages, feeds and JSON (after WhiteNoise, which serves static files itself),
    # never for responses carrying a CSRF token or a signed-in user's data (BREACH).
    "website.core.compression.SafeGZipMiddleware",
    # /api/ is read-only and open to any origin: preflights and writes are answered here,
    # before the page cache, CSRF or sessions; CORS headers go on cached answers too.
    "website.api.cors.ReadOnlyCorsMiddleware",
    # Above the page cache, so cached answers get 304s too: the API and calendar feeds,
    # which are the same for every visitor, lose the page cache's Vary: Cookie.
    "website.core.conditional.AnonymousConditionalGetMiddleware",
    # Served before sessions and auth are touched: a cached anonymous page costs one
    # or two cache reads and nothing else.
    "website.core.cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Chooser widgets' "edit" links are built for the signed-in user (website.core.chooser_links).
    "website.core.chooser_links.AdminUserMiddleware",
    # Mirrors X-Frame-Options into CSP frame-ancestors; embeds under /embed/ set their own.
    "website.embeds.framing.FrameAncestorsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Inside the page cache, so cached pages carry the headers without recomputing them;
    # inside FrameAncestorsMiddleware, which adds frame-ancestors to this policy.
    "website.core.security.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # django-axes wants to be last: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# ------------------------------------------------------------------------------
# Templates
# ------------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "website.core.context_processors.display_mode",
                "website.core.context_processors.reporting",
            ],
        },
    },
]

# ------------------------------------------------------------------------------
# Database
# ------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'fangfei.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

# ------------------------------------------------------------------------------
# Cache
# ------------------------------------------------------------------------------
CACHES = {
    "default": cache_from_url(
        os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or "locmem://"
    ),
    # Wagtail looks image renditions up here on every {% image %}: local memory spares the
    # shared cache a round trip per image (a stale entry only costs one database query).
    "renditions": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "renditions",
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}
# Seconds a public page stays in the page cache at most; publishing clears it at once.
PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", "300"))
# Query parameters read by public views outside the page tree (search, sitemap pages); page
# models name theirs in ``cache_query_params``. Every other parameter is dropped before a
# cacheable page renders (website/core/cache.py).
PUBLIC_PAGE_CACHE_QUERY_PARAMS = ("q", "page", "p")
# Sessions live in the database: an editor stays signed in through a Redis outage, and
# Wagtail's preview data is too big for a cookie.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# A cache that Redis cannot answer is logged (once per failed call), then treated as a miss.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# ------------------------------------------------------------------------------
# Static and media
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Print materials (campaigns.outreach.materials): private, never served; point it at a
    # private bucket when several machines serve the admin.
    "print": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("FANGFEI_PRINT_DIR", str(VAR_DIR / "print"))},
    },
}

# ------------------------------------------------------------------------------
# Authentication
# ------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"
# AxesStandaloneBackend first: it refuses a locked-out sign-in before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# ------------------------------------------------------------------------------
# Sign-in throttle (django-axes)
# ------------------------------------------------------------------------------
# Locked per username *and* address together: a guesser is stopped after a few tries, and
# cannot lock a real editor out from the office or from home by guessing from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
# Hours (a float); 0.25 = 15 minutes, after which the counter starts afresh.
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
# Every try during a lockout would otherwise start the 15 minutes again, so a bot that keeps
# trying would keep the real editor locked out at that address for ever.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
# The one client-address function (trusted proxies counted from the right of
# X-Forwarded-For), so behind nginx every editor is not one address.
AXES_CLIENT_IP_CALLABLE = "website.core.limits.client_ip"
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_COOLOFF_MESSAGE = _("登录失败次数太多，这个账号在当前网络上已暂时锁定，请稍后再试。")
AXES_PERMALOCK_MESSAGE = _("登录失败次数太多，这个账号在当前网络上已被锁定，请联系管理员解锁。")
# Success and logout records are not needed; failures are what staff look at.
AXES_DISABLE_ACCESS_LOG = True
# axes says "BEGIN version …" at start-up in every process; the log is for what goes wrong.
AXES_VERBOSE = False

# ------------------------------------------------------------------------------
# Security headers shared by every environment
# ------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
# Who may frame the partner widgets under /embed/ (CSP frame-ancestors sources): "*" means
# any web page; a space-separated list of origins restricts them to those partners.
EMBED_FRAME_ANCESTORS = os.environ.get("EMBED_FRAME_ANCESTORS", "*").split()
# Count widget views in Redis and let beat move them to the database every minute, rather
# than writing a row per view (website/embeds/impressions.py); needs Redis as the cache.
EMBED_IMPRESSIONS_BUFFERED = env_bool(
    "EMBED_IMPRESSIONS_BUFFERED", CACHES["default"]["BACKEND"].endswith("RedisCache")
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Public pages run only the site's own script files (website/core/security.py). Styles may be
# inline (videos embedded by editors, Wagtail's user bar); images, videos and frames may come
# from media storage or a CDN on another origin and from editors' embedded videos.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "https:"],
        "media-src": [SELF, "https:"],
        "frame-src": [SELF, "https:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}
# Wagtail's admin writes inline scripts and styles: no fetch restrictions there.
ADMIN_CSP_PREFIXES = ("/admin/", "/django-admin/")
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {"default-src": None, "object-src": [NONE], "base-uri": [SELF]}
}
# Powerful browser features nobody on this site uses, refused for it and anything it frames.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "bluetooth",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
    )
}

# ------------------------------------------------------------------------------
# Wagtail
# ------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "防非"
# Staff work in Asia/Shanghai: a list of 600 zones in English helps nobody.
WAGTAIL_USER_TIME_ZONES = ["Asia/Shanghai"]
# The admin calls no other site: no update check against wagtail.org, no "what's new" banner
# linking English pages, no avatars from gravatar.com (uploaded avatars still work).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# The site's one public address (scheme, host, port). Wagtail's admin links, the API's
# absolute URLs, links in SMS and the oEmbed provider use it, and ``migrate`` points the
# default Wagtail Site (sitemap, calendar links) at it (website/core/site_address.py).
# WAGTAILADMIN_BASE_URL is still read for deployments configured before the one setting.
FANGFEI_BASE_URL = public_base_url(
    os.environ.get("FANGFEI_BASE_URL")
    or os.environ.get("WAGTAILADMIN_BASE_URL")
    or "http://localhost:8000"
)
WAGTAILADMIN_BASE_URL = FANGFEI_BASE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True
# An approval covers the revision the reviewer was shown: a change saved while a page or a
# quiz question awaits review must be approved again, instead of being published by an
# approval given to the version before it.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILSEARCH_BACKENDS = {
    "default": {
        # The database backend with Chinese word segmentation at index and query time;
        # see website/search/backend.py and README for Elasticsearch/OpenSearch.
        "BACKEND": os.environ.get("WAGTAILSEARCH_BACKEND", "website.search.backend"),
    }
}
TAGGIT_CASE_INSENSITIVE = True
# 养老服务，高息理财 is two tags: Chinese commas and semicolons separate tags too.
TAGGIT_TAGS_FROM_STRING = "website.taxonomy.tags.parse_tags"
# Our own oEmbed endpoint ahead of Wagtail's built-in providers, so an editor who pastes one
# of our notice, case or quiz URLs into an embed block gets our live widget.
WAGTAILEMBEDS_FINDERS = [
    {
        "class": "wagtail.embeds.finders.oembed",
        "providers": [own_oembed_provider(WAGTAILADMIN_BASE_URL), *all_oembed_providers],
    }
]
# Read-only API (website/api): absolute detail_url/html_url on the public address,
# at most 50 items a request, rich text as display HTML.
WAGTAILAPI_BASE_URL = FANGFEI_BASE_URL
WAGTAILAPI_LIMIT_MAX = 50
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
# Anonymous, JSON only: no browsable API, no session or basic auth.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
}

# ------------------------------------------------------------------------------
# Celery
# ------------------------------------------------------------------------------
# The embedded default is kombu's SQLAlchemy transport on a SQLite file: under beat ticks
# every 2 s its worker ran an hour (2,015 tasks) without an error, where the filesystem
# transport's worker died twice, after 17 minutes each time, reading a message file still
# being written (a known kombu race).
CELERY_BROKER_URL = (
    os.environ.get("CELERY_BROKER_URL")
    or os.environ.get("REDIS_URL")
    or f"sqla+sqlite:///{VAR_DIR / 'celery.sqlite3'}"
)
if CELERY_BROKER_URL.startswith("filesystem"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # kombu would otherwise create ./control for broadcast (ping, inspect) messages.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith(("redis", "rediss")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
elif CELERY_BROKER_URL.startswith("sqla+sqlite"):
    # These go to SQLAlchemy's create_engine: wait for the web, worker and beat processes'
    # writes to the one file instead of failing on "database is locked" after 5 s.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"connect_args": {"timeout": 30}}
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
# A broker that restarts must not take the workers with it: they wait for it, for ever,
# at start-up and after a lost connection, and resume consuming when it is back.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # Wagtail's scheduled publishing (go-live / expiry) is a management command; beat
    # runs it every minute so editors' schedules take effect without cron.
    "publish-scheduled-pages": {
        "task": "website.core.tasks.publish_scheduled_pages",
        "schedule": 60.0,
    },
    "sms-dispatch": {
        "task": "campaigns.sms.tasks.dispatch",
        "schedule": float(os.environ.get("SMS_DISPATCH_SECONDS", "2")),
    },
    "outreach-reminders": {
        "task": "campaigns.outreach.tasks.reminder_tick",
        "schedule": float(os.environ.get("OUTREACH_REMINDER_SECONDS", "30")),
    },
    "embeds-flush-impressions": {
        "task": "website.embeds.tasks.flush_impressions",
        "schedule": 60.0,
    },
    "outreach-missing-records": {
        "task": "campaigns.outreach.tasks.flag_missing_records",
        "schedule": crontab(hour=8, minute=30),
    },
    # Monthly screening reminders (风险排查): plans once a day's window opens, sends outside
    # quiet hours; the ledger makes repeated ticks harmless.
    "leads-screening-reminders": {
        "task": "website.leads.tasks.screening_reminder_tick",
        "schedule": float(os.environ.get("LEADS_REMINDER_SECONDS", "60")),
    },
}
# Reminders to 七进 event organisers, hours before the start (beat-driven, exactly once).
OUTREACH_REMINDER_HOURS = tuple(
    int(h) for h in os.environ.get("OUTREACH_REMINDER_HOURS", "24,2").split(",") if h.strip()
)
# The domain part of calendar UIDs (outreach-event-<id>@<this>). Subscribed calendars match
# events by UID, so set it once (e.g. to the office's domain) and never change it, even when
# the site moves: a new value duplicates every event in every subscriber's calendar.
CALENDAR_UID_DOMAIN = os.environ.get("CALENDAR_UID_DOMAIN", "fangfei.invalid")

# ------------------------------------------------------------------------------
# SMS (campaigns app): the sending layer, its limits and its gateway
# ------------------------------------------------------------------------------
SMS_BACKEND = os.environ.get("SMS_BACKEND", "campaigns.sms.sending.backends.outbox.OutboxBackend")
SMS_BACKEND_OPTIONS = {}
if os.environ.get("SMS_GATEWAY_URL"):
    SMS_BACKEND = os.environ.get("SMS_BACKEND", "campaigns.sms.sending.backends.http.HttpBackend")
    SMS_BACKEND_OPTIONS = {
        "url": os.environ["SMS_GATEWAY_URL"],
        "api_key": os.environ.get("SMS_GATEWAY_KEY", ""),
        "secret": os.environ.get("SMS_GATEWAY_SECRET", ""),
        "batch_size": int(os.environ.get("SMS_GATEWAY_BATCH_SIZE", "100")),
        "timeout": float(os.environ.get("SMS_GATEWAY_TIMEOUT", "10")),
    }
SMS_WEBHOOK_SECRET = os.environ.get("SMS_WEBHOOK_SECRET", "")
SMS_SIGNATURE = os.environ.get("SMS_SIGNATURE", "防非")
_quiet = os.environ.get("SMS_QUIET_HOURS", "21:00-08:00")  # "off" sends around the clock
SMS_QUIET_HOURS = tuple(_quiet.split("-")) if "-" in _quiet else ()
SMS_RATE_PER_SECOND = int(os.environ.get("SMS_RATE_PER_SECOND", "50"))  # 0 = unlimited
SMS_BATCH_SIZE = int(os.environ.get("SMS_BATCH_SIZE", "50"))
SMS_SEND_PARALLELISM = int(os.environ.get("SMS_SEND_PARALLELISM", "2"))
# One send task works a blast this long, then the next tick takes over.
SMS_TASK_SECONDS = int(os.environ.get("SMS_TASK_SECONDS", "20"))
# A worker slot whose task stopped refreshing it (the worker died) is free after this.
SMS_SLOT_SECONDS = int(os.environ.get("SMS_SLOT_SECONDS", "30"))
# 'submitting' rows untouched this long belonged to a dead worker; must stay well above
# one gateway call (connect 3 s + SMS_GATEWAY_TIMEOUT).
SMS_STALE_SECONDS = int(os.environ.get("SMS_STALE_SECONDS", "60"))
# Wait this long before asking the gateway about an ambiguous answer (timeout, 5xx).
SMS_SETTLE_DELAY_SECONDS = int(os.environ.get("SMS_SETTLE_DELAY_SECONDS", "30"))
SMS_MAX_ATTEMPTS = 5
# Verification codes (double opt-in) and the SMS-bombing defence
SMS_CODE_TTL_SECONDS = 600
SMS_CODE_MAX_TRIES = 5
SMS_CODE_COOLDOWN_SECONDS = 60
SMS_CODE_DAILY_PER_NUMBER = 5
# Per-address ceiling: generous, as a village meeting may share one carrier address.
SMS_CODE_HOURLY_PER_IP = int(os.environ.get("SMS_CODE_HOURLY_PER_IP", "300"))
SMS_CODE_PER_SESSION = (5, 3600)  # codes one browser session may ask for: (codes, seconds)
# Beyond these the form asks a human check: per address, and for the whole site.
SMS_CODE_CHALLENGE_PER_IP = (100, 3600)
SMS_CODE_CHALLENGE_SITE = (120, 600)
SMS_CODE_HUMAN_SECONDS = 1800  # how long a passed human check lasts in a session
SMS_CODE_DAILY_TOTAL = int(os.environ.get("SMS_CODE_DAILY_TOTAL", "2000"))
# The day's total is paced: this many at once, then SMS_CODE_DAILY_TOTAL spread over the day.
SMS_CODE_BURST = int(os.environ.get("SMS_CODE_BURST", "100"))
# Staff alerts also go by SMS to these numbers (comma-separated).
STAFF_ALERT_PHONES = env_list("STAFF_ALERT_PHONES", [])

# ------------------------------------------------------------------------------
# E-mail (review notifications, alerts, reminders that fall back to mail)
# ------------------------------------------------------------------------------
# With DJANGO_EMAIL_HOST set, mail goes out over SMTP; without it (the embedded default) mail
# is written to the console, so submitting a page for review never fails for want of a server.
# DJANGO_EMAIL_BACKEND overrides both (e.g. django.core.mail.backends.filebased.EmailBackend).
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("DJANGO_EMAIL_USE_TLS", "") == "1"
EMAIL_USE_SSL = os.environ.get("DJANGO_EMAIL_USE_SSL", "") == "1"
EMAIL_TIMEOUT = int(
    os.environ.get("DJANGO_EMAIL_TIMEOUT", "10")
)  # a slow server never hangs a save
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "webmaster@localhost")
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL

# ------------------------------------------------------------------------------
# Client address (every rate limit: quiz, SMS codes, webhooks)
# ------------------------------------------------------------------------------
# How many reverse proxies of ours sit in front of Django (0: trust REMOTE_ADDR only). The
# older SMS_TRUSTED_PROXY_COUNT is still read when this one is not set.
TRUSTED_PROXY_COUNT = int(
    os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", os.environ.get("SMS_TRUSTED_PROXY_COUNT", "0"))
)

# ------------------------------------------------------------------------------
# Quiz
# ------------------------------------------------------------------------------
# Per-client limits, JSON such as {"ip": [120, 60]}: name → [requests, per seconds].
if os.environ.get("QUIZ_THROTTLE_RATES"):
    QUIZ_THROTTLE_RATES = json.loads(os.environ["QUIZ_THROTTLE_RATES"])

# ------------------------------------------------------------------------------
# Tip-offs (举报)
# ------------------------------------------------------------------------------
# Fernet keys (comma-separated, newest first) that encrypt reporters' identities. Production
# refuses to start without them (settings/production.py); the embedded default derives one
# from SECRET_KEY so `make run` works. Rotation: README, "Tip-off key rotation".
TIPOFF_ENCRYPTION_KEYS = env_list("TIPOFF_ENCRYPTION_KEYS", [])
# Evidence files: a private directory, never under MEDIA_ROOT nor served by the web server.
TIPOFF_EVIDENCE_ROOT = Path(os.environ.get("TIPOFF_EVIDENCE_ROOT", VAR_DIR / "tipoff-evidence"))
TIPOFF_MAX_FILE_BYTES = int(os.environ.get("TIPOFF_MAX_FILE_MB", "10")) * 1024 * 1024
TIPOFF_MAX_FILES = int(os.environ.get("TIPOFF_MAX_FILES", "5"))
# Days staff have for a first response, and days after closing when identity is erased.
TIPOFF_FIRST_RESPONSE_DAYS = int(os.environ.get("TIPOFF_FIRST_RESPONSE_DAYS", "3"))
TIPOFF_IDENTITY_RETENTION_DAYS = int(os.environ.get("TIPOFF_IDENTITY_RETENTION_DAYS", "180"))
CELERY_BEAT_SCHEDULE.update(
    {
        "tipoffs-status-sms": {
            "task": "website.tipoffs.tasks.status_sms_tick",
            "schedule": float(os.environ.get("TIPOFF_SMS_SECONDS", "30")),
        },
        "tipoffs-erase-identities": {
            "task": "website.tipoffs.tasks.erase_expired_identities",
            "schedule": crontab(hour=3, minute=40),
        },
    }
)

# ------------------------------------------------------------------------------
# Logging
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "jieba": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}
