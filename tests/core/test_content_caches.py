"""Lists and fact boxes are cached per content version: never stale, even for visitors
who bypass the page cache (editors, anyone with a session)."""

import pytest
from django.contrib.auth.models import User
from wagtail.models import PageViewRestriction

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(User.objects.create_superuser("ed", "ed@example.com", "pw-123456789"))
    return client


def test_new_notice_shows_at_once_on_home_and_index(editor_client):
    factories.notice("第一条")
    editor_client.get("/"), editor_client.get("/notices/")
    factories.notice("第二条")
    assert "第二条" in editor_client.get("/").content.decode()
    assert "第二条" in editor_client.get("/notices/").content.decode()


def test_listing_cache_keys_on_filters_and_page(editor_client):
    factories.notice("老人提示", audiences=["elderly"])
    factories.notice("学生提示", audiences=["students"])
    elderly = editor_client.get("/notices/", {"audience": "elderly"}).content.decode()
    students = editor_client.get("/notices/", {"audience": "students"}).content.decode()
    assert "老人提示" in elderly and "学生提示" not in elderly
    assert "学生提示" in students and "老人提示" not in students


def test_changed_tags_show_in_the_fact_box_after_publish(editor_client):
    page = factories.notice("提示", tags=["投资理财"])
    assert "投资理财" in editor_client.get(page.url).content.decode()
    page.tags.set(["养老服务"])
    page.save_revision().publish()
    html = editor_client.get(page.url).content.decode()
    assert "养老服务" in html and "投资理财" not in html


def test_a_page_made_private_leaves_cached_lists(client):
    page = factories.notice("将设为私密")
    assert "将设为私密" in client.get("/notices/").content.decode()
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    assert "将设为私密" not in client.get("/notices/").content.decode()
    assert "将设为私密" not in client.get("/").content.decode()


def test_cached_lists_never_regenerate_image_renditions(client, settings, monkeypatch):
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # every request renders
    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 360), "#a11212").save(buffer, "PNG")
    image = get_image_model().objects.create(
        title="海报", file=ImageFile(buffer, name="poster.png")
    )
    factories.case("有图的案例", listing_image=image)
    assert "有图的案例" in client.get("/cases/").content.decode()  # builds and caches the list

    def no_new_renditions(*args, **kwargs):
        raise AssertionError("a rendition was generated again for a cached list")

    monkeypatch.setattr(get_image_model(), "generate_rendition_file", no_new_renditions)
    for _ in range(2):
        assert client.get("/cases/").status_code == 200
        assert client.get("/").status_code == 200


def test_a_cached_none_is_not_rebuilt():
    from website.core.cache import cached_for_content

    calls = []

    def build():
        calls.append(1)
        return None

    assert cached_for_content("nothing-here", build) is None
    assert cached_for_content("nothing-here", build) is None
    assert calls == [1]
