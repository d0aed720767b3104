"""Chinese word segmentation shared by indexing and querying.

Neither SQLite FTS5's default tokenizer nor PostgreSQL's default parser splits a run of
Chinese characters into words, so "养老" would never match a text about "养老服务诈骗".
Text is therefore segmented by jieba, with a dictionary that knows the domain's terms,
before it reaches the index, and every query goes through the same segmenter. The index
gets search-mode segmentation (each word plus the dictionary words inside it: 非法集资 →
非法 集资 非法集资), queries the precise words, so a query matches both the whole term and
any dictionary word inside the indexed text.
"""

import functools
import re
from pathlib import Path

from website.search.normalize import normalize

DICTIONARY = Path(__file__).with_name("dictionary.txt")
MAX_QUERY_CHARS = 100

# Words too common to carry meaning in a query, and the question words people wrap a query
# in (请问…是不是…). 怎么办 stays: it is the title word of the "what to do" guides.
STOPWORDS = frozenset(
    "的 了 是 在 和 与 及 或 等 也 就 都 而 被 把 对 从 向 吗 呢 啊 吧 之 其 这 那 "
    "呀 嘛 哦 么 我 你 他 她 我们 你们 他们 请问 一个 这个 那个 什么 怎么 怎样 如何 "
    "哪些 哪个 是不是 有没有 会不会 能不能 可以 吗".split()
)
_TOKEN = re.compile(r"\w", re.UNICODE)


@functools.cache
def _tokenizer():
    import logging

    import jieba

    # jieba resets its logger to DEBUG on import; keep its start-up chatter out of logs.
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(DICTIONARY))
    return tokenizer


def _clean(words):
    for word in words:
        word = word.strip()
        if word and _TOKEN.search(word):
            yield word


def segment_for_index(text):
    """Return ``text`` as space-separated words for the full-text index.

    Non-strings (None, lazy values, numbers) are turned into text first; an empty value
    gives an empty string.
    """
    if text is None:
        return ""
    if isinstance(text, list | tuple):
        text = " ".join(str(part) for part in text)
    return " ".join(_clean(_tokenizer().cut_for_search(str(text))))


def query_words(query):
    """Return the meaningful words of a search query (at most MAX_QUERY_CHARS are read),
    normalised (simplified characters, half-width, lower case)."""
    query = normalize((query if isinstance(query, str) else "")[:MAX_QUERY_CHARS])
    return [w for w in _clean(_tokenizer().cut(query)) if w.lower() not in STOPWORDS]


def segment_query(query):
    """Return the query as space-separated words, ready for Wagtail's PlainText parser."""
    return " ".join(query_words(query))
