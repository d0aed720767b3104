"""From what a person typed to what the index is asked: ``analyse`` and ``search_query``.

1. Normalise (``website.search.normalize``): half-width, lower case, 養老 → 养老.
2. Segment with jieba and drop stop and question words (``website.search.segment``).
3. Runs of Latin letters are read as pinyin too (``website.search.pinyin``): yanglao → 养老.
4. Words of the synonym dictionary found in the query add the words they stand for
   (``website.search.synonyms``): 退休金 → 养老金, 养老钱.

Each word of the query becomes a *group*: the word itself or any of its alternatives may
match. A multi-word alternative (高额回报, indexed as 高额 回报) must match all its words.
Groups are OR-ed (the public search: pages with more of them rank higher) or AND-ed (the
API's ``search_operator=and``, the admin).
"""

import dataclasses
import re

from wagtail.search.query import And, Or, PlainText

from website.search import pinyin, synonyms
from website.search.normalize import normalize
from website.search.segment import MAX_QUERY_CHARS, query_words

LATIN = re.compile(r"^[a-z]+$")
# Keeps the SQL of a long, synonym-rich query bounded.
MAX_TERMS = 40


@dataclasses.dataclass
class Group:
    word: str  # as it appears in the query (or the pinyin run, space-separated)
    terms: list  # alternatives, each a tuple of index words that must all match

    def add(self, term_text):
        term = tuple(query_words(term_text))
        if term and term not in self.terms:
            self.terms.append(term)


@dataclasses.dataclass
class Plan:
    normalized: str
    words: list  # the query's own words
    groups: list
    also: list  # the words searched besides the query's own (for "同时搜索了")

    def __bool__(self):
        return bool(self.groups)


def _pinyin_runs(words):
    """Yield (start, end) of each run of Latin-letter words in ``words``."""
    start = None
    for i, word in enumerate([*words, ""]):
        if LATIN.match(word):
            start = i if start is None else start
        elif start is not None:
            yield start, i
            start = None


def analyse(text, synonym_table=None, vocab=None):
    """Return the ``Plan`` for query ``text`` (an empty plan when nothing is searchable).

    Never raises on odd input; ``synonym_table`` and ``vocab`` default to the site's.
    """
    normalized = normalize((text if isinstance(text, str) else "")[:MAX_QUERY_CHARS])
    words = query_words(normalized)
    if not words:
        return Plan(normalized, [], [], [])
    groups = [Group(word, [(word,)]) for word in words]
    also = []

    runs = list(_pinyin_runs(words))
    for start, end in reversed(runs):
        hanzi = pinyin.from_pinyin(words[start:end], vocab)
        if not hanzi:
            continue
        run = Group(" ".join(words[start:end]), [t for g in groups[start:end] for t in g.terms])
        for word in hanzi:
            run.add(word)
            also.append(word)
        groups[start:end] = [run]

    for found, alternatives in synonyms.expansions(" ".join([normalized, *also]), synonym_table):
        # The group of the query word itself, else of a longer word holding it (保本 in
        # 保本保息), else a new group that replaces the words jieba cut it into
        # (天上掉馅饼 → 天上掉 / 馅饼).
        group = next((g for g in groups if g.word == found), None)
        group = group or next((g for g in groups if found in g.word), None)
        if group is None:
            group = Group(found, [])
            group.add(found)
            # The parts alone (钱 of 养老钱) would match far too much.
            groups = [g for g in groups if g.word not in found]
            groups.append(group)
        for word in alternatives:
            if word not in words and word not in also:
                also.append(word)
            group.add(word)

    return Plan(normalized, words, [g for g in groups if g.terms], also)


def _term(words):
    return PlainText(words[0]) if len(words) == 1 else And([PlainText(w) for w in words])


def search_query(plan, operator="or"):
    """Return the Wagtail search query for ``plan``, or None when it has no words."""
    budget = MAX_TERMS
    parts = []
    for group in plan.groups:
        terms = group.terms[: max(1, budget)]
        budget -= len(terms)
        queries = [_term(t) for t in terms]
        parts.append(queries[0] if len(queries) == 1 else Or(queries))
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return And(parts) if operator == "and" else Or(parts)
