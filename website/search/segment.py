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

DICTIONARY = Path(__file__).with_name("dictionary.txt")
MAX_QUERY_CHARS = 100

# Words too common to carry meaning in a query.
STOPWORDS = frozenset(
    "的 了 是 在 和 与 及 或 等 也 就 都 而 被 把 对 从 向 吗 呢 啊 吧 之 其 这 那".split()
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
    """Return the meaningful words of a search query (at most MAX_QUERY_CHARS are read)."""
    query = (query or "")[:MAX_QUERY_CHARS]
    return [w for w in _clean(_tokenizer().cut(query)) if w.lower() not in STOPWORDS]


def segment_query(query):
    """Return the query as space-separated words, ready for Wagtail's PlainText parser."""
    return " ".join(query_words(query))
