"""The demo data itself, and what load_demo does when something goes wrong."""

import io
import re
from io import BytesIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page

from website.demo import builder, content, images
from website.pages.models import RiskNoticeIndexPage

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def all_topics():
    return [*content.CASES, *content.NOTICES]


def texts():
    """Yield every piece of prose in the demo content."""
    yield from content.REPORTING.values()
    for item in [*all_topics(), content.REPORT_PAGE, content.ABOUT_PAGE, *content.GUIDES]:
        for key in ("title", "summary", "outcome", "intro"):
            if item.get(key):
                yield item[key]
        for _kind, value in item["body"]:
            if isinstance(value, str):
                yield value
            else:
                for v in value.values():
                    yield from (v if isinstance(v, list) else [v])


def test_demo_items_use_known_audiences_tags_images_and_levels():
    from website.taxonomy.models import AUDIENCE_SEED, TAG_SEED

    audience_slugs = {slug for _name, slug, _label, _order in AUDIENCE_SEED}
    poster_keys = {spec.key for spec in content.POSTERS}
    for item in all_topics():
        assert set(item["audiences"]) <= audience_slugs, item["title"]
        assert set(item["tags"]) <= set(TAG_SEED), item["title"]
        assert item["image"] in poster_keys
        for kind, value in item["body"]:
            if kind == "image":
                assert value["image"] in poster_keys
    assert {n["level"] for n in content.NOTICES} == {"notice", "warning", "severe"}


def test_demo_slugs_are_unique():
    slugs = [item["slug"] for item in all_topics()]
    assert len(slugs) == len(set(slugs))


def test_no_sentence_is_copied_from_the_seed_documents():
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}")
    seeds = re.sub(r"\s+", "", "".join(p.read_text() for p in SEEDS.glob("*.txt")))
    # Twelve characters in a row is more than any stock term; the office's official
    # name is a name, not prose, and is allowed to match.
    window = 12
    copied = set()
    for text in texts():
        plain = re.sub(r"<[^>]+>|\s+", "", text).replace(content.REPORTING["office_name"], "")
        for i in range(len(plain) - window + 1):
            if plain[i : i + window] in seeds:
                copied.add(plain[i : i + window])
    assert not copied


def test_poster_without_a_cjk_font_is_drawn_without_text(monkeypatch):
    monkeypatch.setattr(images, "find_cjk_font", lambda: None)
    data = images.render_poster(content.POSTERS[0])
    with PILImage.open(BytesIO(data)) as im:
        assert im.size == (images.WIDTH, images.HEIGHT)
        assert im.format == "JPEG"


def test_posters_are_the_same_every_time():
    spec = content.POSTERS[1]
    assert images.render_poster(spec) == images.render_poster(spec)


@pytest.mark.django_db
def test_a_failure_leaves_no_pages_images_files_or_accounts(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(builder, "build_cases", broken)
    pages_before = Page.objects.count()
    with pytest.raises(RuntimeError):
        call_command("load_demo", stdout=io.StringIO())
    assert Page.objects.count() == pages_before
    assert not RiskNoticeIndexPage.objects.exists()
    assert not get_image_model().objects.exists()
    assert not get_user_model().objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
