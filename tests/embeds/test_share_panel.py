"""Every notice, case and quiz page offers the link and the embed code to copy."""

import html as html_lib
import re

import pytest

from tests import factories

from ..quiz.conftest import make_question, make_quiz

pytestmark = pytest.mark.django_db


def snippets(response):
    found = re.findall(r"<textarea[^>]*>(.*?)</textarea>", response.content.decode(), re.S)
    return [html_lib.unescape(s) for s in found]


@pytest.mark.parametrize("kind", ["notice", "case", "quiz"])
def test_the_page_offers_an_embed_snippet_for_itself(client, kind):
    if kind == "quiz":
        page = make_quiz([make_question()])
        embed_path = f"/embed/quiz/{page.pk}/"
    else:
        page = getattr(factories, kind)()
        embed_path = f"/embed/page/{page.pk}/"
    response = client.get(page.url)
    html = response.content.decode()
    assert "分享与嵌入" in html
    assert f'value="http://testserver{page.url}"' in html
    code, large, plain = snippets(response)
    assert f'<iframe src="http://testserver{embed_path}"' in code
    assert '<script async src="http://testserver/static/embeds/embed.js"></script>' in code
    assert f'src="http://testserver{embed_path}?size=large"' in large
    assert "<script" not in plain and 'height="' in plain
    assert f'href="{embed_path}"' in html  # preview


def test_the_copy_buttons_wait_for_javascript(client):
    html = client.get(factories.notice().url).content.decode()
    assert re.search(r'<button type="button" data-copy-from="share-code-\d+"[^>]* hidden>', html)
    assert "/static/embeds/share.js" in html


def test_pages_without_a_widget_have_no_panel(client):
    assert "分享与嵌入" not in client.get(factories.standard().url).content.decode()
    assert "分享与嵌入" not in client.get("/").content.decode()
