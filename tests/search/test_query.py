"""From a typed query to the words searched: normalisation, synonyms, pinyin (no database)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from website.search.models import split_words
from website.search.normalize import normalize
from website.search.pinyin import build_vocabulary, from_pinyin, word_keys
from website.search.query import analyse, search_query
from website.search.synonyms import DEFAULT_GROUPS, build_table

TABLE = build_table((split_words(w), one_way) for w, one_way, _note in DEFAULT_GROUPS)
VOCAB = build_vocabulary(["看清以房养老骗局", "养老金", "非法集资", "长辈防骗测一测", "医保卡"])


def searched(query):
    plan = analyse(query, TABLE, VOCAB)
    return {" ".join(term) for group in plan.groups for term in group.terms}


def test_traditional_full_width_and_capitals_are_normalised():
    assert normalize("養老詐騙") == "养老诈骗"
    assert normalize("ＰＯＳ机２０２６") == "pos机2026"
    assert normalize(None) == ""


def test_traditional_query_searches_simplified_words():
    assert "养老" in searched("養老")


def test_everyday_word_also_searches_the_office_word():
    assert {"退休金", "养老金"} <= searched("退休金")
    assert {"骗子", "非法集资"} <= searched("骗子")
    assert "医疗保险" in searched("医保卡")
    assert {"老年人", "长辈"} <= searched("老人")


def test_multi_word_synonym_must_match_all_its_words():
    assert "高额回报" in searched("高息") or "高额 回报" in searched("高息")


def test_colloquial_group_is_one_way():
    assert "高额回报" in searched("天上掉馅饼")
    assert "天上掉馅饼" not in searched("高额回报")


def test_synonym_found_inside_a_longer_query():
    words = searched("我的养老钱被骗了")
    assert {"养老金", "退休金"} <= words
    assert "钱" not in words  # the part alone would match far too much


def test_pinyin_maps_to_indexed_words():
    assert word_keys("养老") == ("yanglao", "yl")
    assert from_pinyin(["yanglao"], VOCAB) == ["养老"]
    assert from_pinyin(["yang", "lao"], VOCAB) == ["养老"]
    assert "非法集资" in from_pinyin(["feifajizi"], VOCAB)
    assert from_pinyin(["ylj"], VOCAB) == ["养老金"]
    assert from_pinyin(["xyz"], VOCAB) == []


def test_pinyin_query_searches_the_chinese_word_and_its_synonyms():
    plan = analyse("yanglaojin", TABLE, VOCAB)
    assert {"养老金", "退休金"} <= set(plan.also)


def test_and_operator_needs_every_word_or_one_of_its_synonyms():
    from wagtail.search.query import And, Or

    plan = analyse("退休金 骗子", TABLE, VOCAB)
    assert isinstance(search_query(plan, "and"), And)
    assert isinstance(search_query(plan, "or"), Or)
    assert search_query(analyse("的了", TABLE, VOCAB)) is None


def test_a_query_expanding_to_many_words_stays_bounded():
    from wagtail.search.query import And, Or, PlainText

    def count(q):
        if isinstance(q, PlainText):
            return 1
        assert isinstance(q, And | Or)
        return sum(count(s) for s in q.subqueries)

    query = search_query(
        analyse("退休金骗子高息医保卡老人学生农民打工虚拟币理财" * 3, TABLE, VOCAB)
    )
    assert count(query) <= 60


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_plan_without_raising(text):
    plan = analyse(text, TABLE, VOCAB)
    search_query(plan, "and")
    search_query(plan, "or")


def test_synonym_words_are_split_and_normalised():
    assert split_words("退休金＝養老金、养老钱 / 退休金") == ["退休金", "养老金", "养老钱"]


def test_publishing_queues_one_title_rebuild(db, django_capture_on_commit_callbacks, monkeypatch):
    from tests import factories
    from website.search import tasks

    queued = []
    monkeypatch.setattr(
        tasks.rebuild_title_vocabulary, "apply_async", lambda **kw: queued.append(1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        factories.case("某公司以茶园认购为名集资案")
        factories.case("某公司以林地认购为名集资案")
    assert queued == [1]  # one waiting rebuild covers both publishes


def test_pinyin_reaches_title_words_once_the_rebuild_has_run(db, monkeypatch):
    from tests import factories
    from website.search import pinyin, tasks

    monkeypatch.setattr(tasks.rebuild_title_vocabulary, "apply_async", lambda **kw: None)
    factories.case("某公司以茶园认购为名集资案")
    assert from_pinyin(["chayuan"]) == []  # dictionary and tag words only until it runs
    pinyin.rebuild_titles()
    assert "茶园" in from_pinyin(["chayuan"])
