"""Our editors paste our own notice, case or quiz URLs into an embed block: Wagtail's oEmbed
finder asks our endpoint first (``WAGTAILEMBEDS_FINDERS`` in settings)."""

from wagtail.embeds.finders.oembed import OEmbedFinder

from website.settings.base import WAGTAILEMBEDS_FINDERS
from website.settings.env import own_oembed_provider


def test_our_urls_go_to_our_endpoint_and_others_to_wagtails_providers():
    finder = OEmbedFinder(providers=WAGTAILEMBEDS_FINDERS[0]["providers"])
    assert finder._get_endpoint("http://localhost:8000/notices/notice-1/") == (
        "http://localhost:8000/oembed"
    )
    assert "youtube.com" in finder._get_endpoint("https://www.youtube.com/watch?v=abc")


def test_the_provider_matches_only_our_host():
    provider = own_oembed_provider("https://fangfei.example.cn/")
    finder = OEmbedFinder(providers=[provider])
    assert provider["endpoint"] == "https://fangfei.example.cn/oembed"
    assert finder.accept("https://fangfei.example.cn/quiz/")
    assert finder.accept("http://fangfei.example.cn:8443/cases/case-1/")
    assert not finder.accept("https://fangfei.example.cn.evil.example/quiz/")
    assert not finder.accept("https://fangfeiXexample.cn/quiz/")
    assert not finder.accept("https://evil.example/https://fangfei.example.cn/quiz/")
