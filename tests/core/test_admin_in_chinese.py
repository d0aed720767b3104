"""Staff work in Chinese (issue 13 §1): the strings Wagtail 8 lacks in zh-hans come from the
project's own catalogue, and an editor and a reviewer who click through the whole admin meet
no English outside a short list of names and formats."""

import io
import json
import re
from pathlib import Path

import polib
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import translation

from tests.core.admin_walk import english_words, walk

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_compiled_catalogue_is_the_one_in_the_po_file(domain):
    """`make messages` was run: every entry of the .po is in the .mo, with the same text."""
    po = polib.pofile(str(LOCALE / f"{domain}.po"))
    mo = {(e.msgctxt, e.msgid): e for e in polib.mofile(str(LOCALE / f"{domain}.mo"))}
    assert len(po) == len(mo)
    for entry in po:
        compiled = mo[(entry.msgctxt, entry.msgid)]
        assert (compiled.msgstr, compiled.msgstr_plural) == (
            entry.msgstr,
            {int(k): v for k, v in entry.msgstr_plural.items()},
        ), entry.msgid


def test_every_entry_is_translated_and_keeps_its_placeholders():
    for domain in ("django", "djangojs"):
        for entry in polib.pofile(str(LOCALE / f"{domain}.po")):
            texts = [entry.msgstr] if not entry.msgid_plural else entry.msgstr_plural.values()
            for text in texts:
                # What a reader sees: no placeholders, no markup.
                shown = re.sub(r"%\(\w+\)[sd]|\{\w+\}|<[^>]+>", " ", text)
                assert text and not english_words(shown), entry.msgid
                for flag, mark in (("python-format", "%("), ("python-brace-format", "{")):
                    if flag in entry.flags:
                        names = {p.split(")")[0].split("}")[0] for p in entry.msgid.split(mark)[1:]}
                        for name in names:
                            assert f"{mark}{name}" in text, (entry.msgid, name)


@pytest.mark.parametrize(
    "english, chinese",
    [
        ("Schedule to publish", "定时发布"),
        ("Locked by schedule", "被定时发布锁定"),
        ("Autosave is paused", "自动保存已暂停"),
        ("Save your changes before leaving", "离开前请保存修改"),
        ("The page could not be created due to validation errors.", "页面有错误，未能创建。"),
        ("Page types usage", "页面类型使用情况"),
        ("Search all pages…", "搜索所有页面…"),
    ],
)
def test_wagtail_strings_missing_from_its_catalogue_are_chinese(english, chinese):
    with translation.override("zh-hans"):
        assert translation.gettext(english) == chinese


def test_counts_read_as_chinese():
    with translation.override("zh-hans"):
        text = translation.ngettext(
            "Referenced %(count)s time", "Referenced %(count)s times", 0
        ) % {"count": 0}
        assert text == "被引用 0 次"


def test_the_admin_page_tree_root_is_named_in_chinese(db):
    from wagtail.models import Collection, Page

    assert Page.get_first_root_node().title == "全部站点"
    assert Collection.get_first_root_node().name == "全部文件"


def test_the_help_menu_leads_to_the_staff_guide_not_wagtails_english_site(admin_client):
    response = admin_client.get("/admin/")
    html = response.content.decode()
    assert "guide.wagtail.org" not in html
    assert "/admin/guide/" in html
    guide = admin_client.get("/admin/guide/")
    assert guide.status_code == 200
    assert "工作手册" in guide.content.decode()


def test_the_admin_asks_no_other_site_for_anything(admin_client):
    """No avatars from gravatar.com, no update check against wagtail.org."""
    html = admin_client.get("/admin/").content.decode()
    assert "gravatar.com" not in html
    assert "releases.wagtail.io" not in html and "data-w-upgrade" not in html


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo content, loaded once for this module and rolled back afterwards."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# Clicking through the whole admin over the demo site twice takes a while; one run (the
# services tier, on PostgreSQL) proves it.
@pytest.mark.services
@pytest.mark.django_db
@pytest.mark.parametrize("username", ["bianji", "shenhe"])
def test_editor_and_reviewer_meet_no_english_in_the_whole_admin(demo_site, username):
    with override_settings(ALLOWED_HOSTS=["*"]):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        found, errors, visited = walk(client)
    assert visited > 80  # the walk reached the admin, not just a login page
    assert errors == []
    assert not found, "\n".join(f"{text!r} on {sorted(urls)[:2]}" for text, urls in found.items())


def test_the_admins_script_catalogue_carries_the_chinese_for_its_dialogs(admin_client):
    """Wagtail's scripts (block picker, autosave, error counts) read their words from here."""
    script = admin_client.get("/admin/jsi18n/").content.decode()
    start = script.index("const newcatalog = ") + len("const newcatalog = ")
    catalog = json.loads(script[start : script.index(";\n", start)])
    assert catalog["Insert a block"] == "插入内容块"
    assert catalog["Autosave in progress…"] == "正在自动保存…"
    assert catalog["Changes have been autosaved."] == "修改已自动保存。"
    assert catalog["%(num)s error"] == ["%(num)s 个错误"]
