"""Small readers for settings that come from the environment."""

import os
import re
from urllib.parse import urlparse


def env_bool(name, default):
    """Return the environment variable ``name`` as a bool (1/true/yes/on), or ``default``."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    """Return a comma-separated environment variable as a list, or ``default``."""
    value = os.environ.get(name)
    if not value:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def public_base_url(url):
    """Return the site's public address ``url`` as ``scheme://host[:port]``, no trailing slash.

    Raises ImproperlyConfigured for anything but an http(s) address without path, query or
    credentials, so a typo fails at start-up, not in a link sent by SMS.
    """
    from django.core.exceptions import ImproperlyConfigured

    parsed = urlparse(url.strip())
    try:
        parsed.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError:
        parsed = parsed._replace(netloc="")
    if (
        parsed.scheme not in {"http", "https"}
        or not parsed.hostname
        or parsed.path not in {"", "/"}
        or parsed.query
        or parsed.fragment
        or parsed.username
        or parsed.password
    ):
        raise ImproperlyConfigured(
            f"FANGFEI_BASE_URL must look like https://fangfei.example.cn, not {url!r}."
        )
    return f"{parsed.scheme}://{parsed.netloc.lower()}"


def cache_from_url(url):
    """Return a Django CACHES entry for ``redis://…``, ``rediss://…``, ``file:///path``, ``locmem://`` or ``dummy://``.

    Raises ValueError for any other scheme, so a typo fails at start-up, not at first use.
    """
    scheme = urlparse(url).scheme
    if scheme in {"redis", "rediss"}:
        return {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "fangfei",
            "OPTIONS": {
                # A cache that is down is a cache miss, not a 500: public pages render
                # uncached and the pool reconnects by itself once Redis is back.
                "IGNORE_EXCEPTIONS": True,
                # An unreachable host must not hold every request for the OS's timeout.
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    if scheme == "file":
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": urlparse(url).path,
        }
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fangfei"}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ValueError(f"Unsupported cache URL scheme: {scheme!r}")


def own_oembed_provider(base_url):
    """Return a Wagtail oEmbed provider entry for this site's own /oembed at ``base_url``."""
    parsed = urlparse(base_url)
    host = re.escape(parsed.hostname or "localhost")
    return {
        "endpoint": f"{base_url.rstrip('/')}/oembed",
        "urls": [rf"^https?://{host}(:\d+)?/.+$"],
    }
