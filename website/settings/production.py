"""Production: everything that differs between deployments comes from the environment.

Refuses to start without DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from website.settings.base import *  # noqa: F403
from website.settings.base import env_bool, env_list

DEBUG = False

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random string of at least 50 characters."
    )
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the site's host names.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# Reporters' identities are encrypted with these Fernet keys (newest first): a key derived
# from SECRET_KEY would be lost with it, so production must name its own.
TIPOFF_ENCRYPTION_KEYS = env_list("TIPOFF_ENCRYPTION_KEYS", [])
if not TIPOFF_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "TIPOFF_ENCRYPTION_KEYS must list at least one Fernet key "
        "(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')."
    )

# ------------------------------------------------------------------------------
# HTTPS and cookies
# ------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)

# ------------------------------------------------------------------------------
# Static files: hashed names, served by WhiteNoise behind any CDN
# ------------------------------------------------------------------------------
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
