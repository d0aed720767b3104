"""New pages get readable ASCII slugs (the title's pinyin), never percent-encoded Chinese;
creating a page does not autosave a stray draft; a slug clash is reported in Chinese where
the editor sees it."""

import re

import pytest

from tests.factories import logged_in, notice, notice_index, staff
from website.pages.models import RiskNoticePage
from website.pages.slugs import pinyin_slug, unique_child_slug

pytestmark = pytest.mark.django_db

TITLE = "2026年岳麓区防范非法集资宣传月"


def test_pinyin_slug_spells_the_words_of_a_chinese_title():
    assert pinyin_slug(TITLE) == "2026-nian-yueluqu-fangfan-feifajizi-xuanchuanyue"
    assert pinyin_slug("5·15 宣传日 Quiz!") == "5-15-xuanchuanri-quiz"
    assert pinyin_slug("的") == "de"  # only a stopword: spelled rather than lost
    assert pinyin_slug("！？") == ""


def test_pinyin_slug_is_ascii_and_cut_at_a_word_boundary():
    slug = pinyin_slug("严重警示：未备案私募基金在商场和银行网点周边公开揽客" * 3)
    assert slug.isascii() and len(slug) <= 60
    assert not slug.endswith("-") and "--" not in slug


@pytest.fixture
def editor():
    return logged_in(staff("bianji", "编辑"))


def create(client, index, headers=None, **fields):
    data = {
        "title": TITLE,
        "slug": "",
        "summary": "摘要",
        "level": "notice",
        "issued_on": "2026-11-01",
        "body-count": "0",
        "related_pages-TOTAL_FORMS": "0",
        "related_pages-INITIAL_FORMS": "0",
        "comment_notifications": "on",
        **fields,
    }
    return client.post(
        f"/admin/pages/add/pages/risknoticepage/{index.pk}/", data, headers=headers or {}
    )


def form_errors(response):
    form = response.context["form"]
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


def test_a_new_page_with_a_chinese_or_empty_slug_gets_the_titles_pinyin(editor):
    index = notice_index()
    response = create(editor, index, slug=TITLE)  # what Wagtail's script copies from the title
    assert response.status_code == 302, form_errors(response)
    response = create(editor, index)  # the same title again, slug left empty
    assert response.status_code == 302, form_errors(response)
    slugs = sorted(RiskNoticePage.objects.values_list("slug", flat=True))
    base = "2026-nian-yueluqu-fangfan-feifajizi-xuanchuanyue"
    assert slugs == [base, f"{base}-2"]


def test_an_ascii_slug_the_editor_typed_is_kept_and_a_clash_is_told_in_chinese(editor):
    index = notice_index()
    assert create(editor, index, slug="yanglao-tishi").status_code == 302
    assert RiskNoticePage.objects.filter(slug="yanglao-tishi").exists()
    response = create(editor, index, slug="yanglao-tishi")
    assert response.status_code == 200
    errors = form_errors(response)
    assert "已被" in errors["slug"][0] and "yanglao-tishi" in errors["slug"][0]
    # Listed at the top of the page too, whatever tab is open.
    assert errors["__all__"] == ["网址别名在“推荐”标签页，请到那里修改。"]
    html = response.content.decode()
    top = html[: html.index('id="page-edit-form"')]
    assert "网址别名在“推荐”标签页" in top and "yanglao-tishi" in top
    assert "already in use" not in html


def test_an_existing_pages_chinese_slug_stays_as_it_is(editor):
    page = notice("老页面")
    page.slug = "老页面"
    page.save_revision().publish()
    data = {
        "title": "老页面（修订）",
        "slug": "老页面",
        "summary": "摘要",
        "level": "notice",
        "issued_on": "2026-11-01",
        "body-count": "0",
        "related_pages-TOTAL_FORMS": "0",
        "related_pages-INITIAL_FORMS": "0",
    }
    response = editor.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 302, form_errors(response)
    page.refresh_from_db()
    assert page.slug == "老页面"


def test_unique_child_slug_counts_up_past_taken_siblings():
    index = notice_index()
    first = notice("甲")
    assert unique_child_slug(first.slug, index) == f"{first.slug}-2"
    assert unique_child_slug(first.slug, index, page=first) == first.slug


def test_the_create_view_does_not_autosave(editor):
    index = notice_index()
    url = f"/admin/pages/add/pages/risknoticepage/{index.pk}/"
    html = editor.get(url).content.decode()
    form = re.search(r'<form[^>]*id="page-edit-form"[^>]*>', html, re.S).group(0)
    assert "w-unsaved" in form and "w-autosave" not in form
    # Nor does it take an autosave from a page opened before: no draft appears.
    response = create(editor, index, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.json()["error_message"] == "新建页面不自动保存，请点击“保存草稿”。"
    assert not RiskNoticePage.objects.exists()


def test_the_edit_view_still_autosaves(editor):
    page = notice("已有的提示")
    html = editor.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    form = re.search(r'<form[^>]*id="page-edit-form"[^>]*>', html, re.S).group(0)
    assert "w-autosave" in form


def test_every_page_type_of_ours_gets_the_pinyin_slug_form():
    """Each page model the site defines uses PageForm (and so the pinyin slugs and the slug
    clash message); Wagtail's own root Page is the one exception."""
    from wagtail.models import Page, get_page_models

    from website.pages.forms import PageForm

    ours = [m for m in get_page_models() if m is not Page]
    assert len(ours) >= 8
    for model in ours:
        form_class = model.get_edit_handler().get_form_class()
        assert issubclass(form_class, PageForm), model.__name__
