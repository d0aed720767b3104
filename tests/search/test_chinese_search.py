"""Search finds Chinese words inside longer text. Runs on SQLite (fast tier) and again on
PostgreSQL (services tier runs the whole suite there)."""

import pytest

from tests import factories
from website.search.views import search_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    return {
        "pension": factories.case(
            "某公司以养老服务为名非法吸收公众存款案",
            summary="以预售养老床位、承诺高额回报为饵。",
            text="老年人被邀请参观养老院，签下会员合同。",
            tags=["养老服务"],
            audiences=["elderly"],
        ),
        "crypto": factories.notice(
            "警惕虚拟货币挖矿骗局",
            summary="所谓数字资产稳赚不赔。",
            text="以区块链技术为噱头，发展下线拉人头。",
        ),
        "both": factories.notice(
            "以区块链养老为幌子的新骗局",
            summary="打着区块链旗号推销养老项目。",
            text="既讲区块链，又讲养老，专门针对退休老人。",
        ),
        "fundraising": factories.standard(
            "关于防范和处置非法集资的说明",
            text="非法集资的四个特征：未经批准、公开宣传、承诺回报、面向社会公众。",
        ),
    }


def titles(results):
    return [p.title for p in results]


def test_two_character_word_finds_longer_term(corpus):
    assert corpus["pension"].title in titles(search_pages("养老"))


def test_jizi_finds_feifa_jizi_texts(corpus):
    found = titles(search_pages("集资"))
    assert corpus["fundraising"].title in found


def test_word_in_body_only_is_found(corpus):
    assert corpus["crypto"].title in titles(search_pages("拉人头"))


def test_mixed_query_ranks_page_with_all_words_first(corpus):
    found = titles(search_pages("区块链 养老"))
    assert found[0] == corpus["both"].title
    assert {corpus["crypto"].title, corpus["pension"].title} <= set(found)


def test_query_without_spaces_is_segmented_too(corpus):
    found = titles(search_pages("区块链养老"))
    assert found[0] == corpus["both"].title


def test_unpublished_pages_are_not_found(corpus):
    corpus["crypto"].unpublish()
    assert corpus["crypto"].title not in titles(search_pages("虚拟货币"))


def test_no_match_gives_nothing(corpus):
    assert titles(search_pages("足球比赛")) == []


@pytest.mark.parametrize(
    "q",
    [
        "",
        "   ",
        "的",
        "，。！",
        "\x00",
        "🙂" * 50,
        "养老" * 500,
        "' OR 1=1 --",
        "<b>养老</b>",
        "a" * 3000,
        "AND OR NOT",
        '"养老',
        "养老*",
    ],
)
def test_search_page_answers_any_query(client, corpus, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200


def test_search_page_shows_results_and_count(client, corpus):
    html = client.get("/search/", {"q": "养老"}).content.decode()
    assert corpus["pension"].title in html
    assert "找到" in html


def test_search_page_explains_empty_word_query(client, corpus):
    html = client.get("/search/", {"q": "的了"}).content.decode()
    assert "没有可以查找的文字" in html


def test_long_query_is_cut_with_a_message(client, corpus):
    html = client.get("/search/", {"q": "养老" * 100}).content.decode()
    assert "只用了前 100 个字" in html


def test_search_page_junk_page_number(client, corpus):
    assert client.get("/search/", {"q": "养老", "page": "x"}).status_code == 200
    assert client.get("/search/", {"q": "养老", "page": "99999"}).status_code == 200


def test_admin_search_is_segmented_too(corpus):
    from wagtail.models import Page

    assert corpus["pension"].pk in {p.pk for p in Page.objects.search("养老")}


def test_a_quiz_is_found_by_a_word_of_its_title(corpus):
    from tests.quiz.conftest import make_question, make_quiz

    quiz = make_quiz([make_question()], title="老年人防骗知识测试")
    assert quiz.title in titles(search_pages("防骗"))
