"""Production settings come from the environment and pass Django's deploy checks."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from website.settings.env import cache_from_url

PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "website.settings.production",
    "DJANGO_SECRET_KEY": "k" * 20 + "Zq8#mP2$vL9@xR4!nB7^wT1&yF6*hJ3%",
    "DJANGO_ALLOWED_HOSTS": "fangfei.example.cn",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://fangfei.example.cn",
    "DATABASE_URL": "sqlite:////tmp/fangfei-settings-test.sqlite3",
    "TIPOFF_ENCRYPTION_KEYS": "6Vq0nZ3mTqk6m1zj0m2m3z6u0jv3XKJQy1X8m1o2b3c=",
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=120,
    )


def test_production_passes_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "TIPOFF_ENCRYPTION_KEYS"]
)
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PROD_ENV.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_refuses_a_short_secret_key():
    result = manage("check", env={**PROD_ENV, "DJANGO_SECRET_KEY": "short"})
    assert result.returncode != 0


def test_site_is_chinese_and_in_shanghai_time():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"


def test_cache_urls():
    assert cache_from_url("redis://h:6379/1")["LOCATION"] == "redis://h:6379/1"
    assert "LocMem" in cache_from_url("locmem://")["BACKEND"]
    assert "FileBased" in cache_from_url("file:///tmp/x")["BACKEND"]
    with pytest.raises(ValueError):
        cache_from_url("memcached://x")


def test_non_embed_pages_refuse_framing(client, db):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"


def test_one_environment_variable_sets_every_public_address():
    code = (
        "from django.conf import settings as s; print(s.WAGTAILADMIN_BASE_URL, "
        "s.WAGTAILAPI_BASE_URL, s.FANGFEI_BASE_URL)"
    )
    env = {**PROD_ENV, "FANGFEI_BASE_URL": "https://fangfei.example.cn/"}
    result = manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["https://fangfei.example.cn"] * 3
