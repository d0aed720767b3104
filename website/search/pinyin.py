"""Pinyin fallback: ``yanglao``, ``yang lao`` or ``ylj`` typed on a phone without a Chinese
input method finds 养老 and 养老金.

How it works
    A vocabulary is gathered from what people can find on the site: the words of the titles
    of live pages and of the tags (cut by the same jieba segmenter as the index), the domain
    dictionary (``dictionary.txt``) and the synonym dictionary. Each word is turned into
    toneless pinyin with ``pypinyin`` (养老 → ``yanglao``; its phrase tables pick the reading
    a word has in context, so 长辈 is ``zhangbei`` and 银行 ``yinhang``) and into initials
    (``yl``). A run of Latin letters in a query (spaces allowed: ``yang lao pian ju``) is
    joined and cut into the fewest vocabulary keys that cover it exactly (dynamic programming
    over the string), and each key gives its most frequent words. When the whole run cannot be
    covered, each token is tried alone, then as the initials of one word (``ylj`` → 养老金).

Limits
    Only words in that vocabulary are reachable: a word that appears only inside a page's
    body is found by pinyin only if it is also a dictionary or synonym word. A word is
    indexed under its contextual reading only (typing ``changbei`` for 长辈 finds nothing);
    tones, fuzzy initials (z/zh, n/l) and misspelt syllables are not handled; initials are
    ambiguous, so they are tried only on a token of 2 to 6 letters and give at most
    two words. An English word that is also a pinyin key (``fan``, ``men``) is read as
    pinyin too; the original token is still searched as typed.

Cost
    The dictionaries and tags (a few hundred words) are read on the first pinyin query after
    a content change. Segmenting every title is too slow for a request at 10,000 pages
    (about a second), so the title words are kept under their own cache key for a day and
    rebuilt by the Celery task ``rebuild_title_vocabulary`` after each publish or unpublish;
    until it has run, pinyin finds dictionary, synonym and tag words only.
"""

import logging
import re
from collections import ChainMap, Counter

from django.core.cache import cache

from website.core.cache import cached_for_content
from website.search.segment import DICTIONARY, segment_for_index

logger = logging.getLogger(__name__)

CACHE_KEY = "search-pinyin-vocabulary"
TITLES_KEY = "search-pinyin-titles:1"
TITLES_SECONDS = 24 * 3600
REBUILD_LOCK = "search-pinyin-titles-queued"
LETTERS = re.compile(r"^[a-z]+$")
HAN = re.compile(r"[\u3400-\u9fff]")
WORDS_PER_KEY = 2
MAX_RUN = 40  # letters; a longer run is not a word someone typed in pinyin


def word_keys(word):
    """Return (full pinyin, initials) of ``word``, e.g. ("yanglao", "yl")."""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(word, style=Style.NORMAL, errors="ignore", v_to_u=False)
    syllables = [s for s in syllables if LETTERS.match(s)]
    return "".join(syllables), "".join(s[0] for s in syllables)


def build_vocabulary(texts):
    """Return {"full": {key: [words]}, "initials": {key: [words]}} for the words of ``texts``.

    Words are listed most frequent first; only words with a Chinese character count.
    """
    counts = Counter()
    for text in texts:
        counts.update(w for w in segment_for_index(text).split() if HAN.search(w))
    full, initials = {}, {}
    for word, _n in counts.most_common():
        key, short = word_keys(word)
        if not key:
            continue
        full.setdefault(key, []).append(word)
        if len(word) >= 2:
            initials.setdefault(short, []).append(word)
    return {
        "full": {k: v[:WORDS_PER_KEY] for k, v in full.items()},
        "initials": {k: v[:WORDS_PER_KEY] for k, v in initials.items()},
    }


def _base_texts():
    from taggit.models import Tag

    from website.search.synonyms import table

    yield from Tag.objects.values_list("name", flat=True)
    for line in DICTIONARY.read_text(encoding="utf-8").splitlines():
        if line.strip():
            yield line.split()[0]
    for word, also in table().items():
        yield word
        yield from also


def title_texts():
    """Yield the titles of live public pages."""
    from wagtail.models import Page

    yield from Page.objects.live().public().filter(depth__gt=1).values_list("title", flat=True)


def rebuild_titles():
    """Build the title part of the vocabulary and store it; return its number of keys."""
    # Unlocked first: a publish during this run queues the next rebuild.
    cache.delete(REBUILD_LOCK)
    titles = build_vocabulary(title_texts())
    cache.set(TITLES_KEY, titles, TITLES_SECONDS)
    return len(titles["full"])


def queue_rebuild():
    """Queue ``rebuild_title_vocabulary`` unless a rebuild is already waiting to run."""
    # One queued rebuild at a time, however many publishes or queries come before it runs.
    if cache.add(REBUILD_LOCK, 1, 600):
        from website.search.tasks import rebuild_title_vocabulary

        try:
            # No retries: a search or a publish must not wait for a broker that is down.
            rebuild_title_vocabulary.apply_async(retry=False)
        except Exception:  # noqa: BLE001 - any broker error; the next change queues again
            logger.warning("pinyin title vocabulary: rebuild not queued", exc_info=True)
            cache.delete(REBUILD_LOCK)


def vocabulary():
    """Return the site's pinyin vocabulary: the dictionaries and tags (cached until the next
    content change), then the words of page titles when their rebuild has run."""
    base = cached_for_content(CACHE_KEY, lambda: build_vocabulary(_base_texts()))
    titles = cache.get(TITLES_KEY)
    if titles is None:
        queue_rebuild()
        return base
    return {part: ChainMap(base[part], titles[part]) for part in ("full", "initials")}


def _cover(letters, keys):
    """Return the fewest keys of ``keys`` that spell ``letters`` in order, or None."""
    best = [None] * (len(letters) + 1)
    best[0] = []
    for end in range(1, len(letters) + 1):
        for start in range(max(0, end - MAX_RUN), end):
            if best[start] is None:
                continue
            piece = letters[start:end]
            if piece in keys and (best[end] is None or len(best[start]) + 1 < len(best[end])):
                best[end] = [*best[start], piece]
    return best[-1]


def from_pinyin(tokens, vocab=None):
    """Return the Chinese words a run of pinyin ``tokens`` stands for ([] when none).

    ``tokens`` are normalised, lower-case Latin words as typed in order (["yang", "lao"]).
    """
    tokens = [t for t in tokens if LETTERS.match(t)]
    letters = "".join(tokens)
    if not letters or len(letters) > MAX_RUN:
        return []
    vocab = vocabulary() if vocab is None else vocab
    pieces = _cover(letters, vocab["full"])
    if pieces:
        return [word for piece in pieces for word in vocab["full"][piece]]
    # The run as a whole is not pinyin (an English word beside a pinyin one, say): try each
    # token by itself, then as the initials of one word.
    words = []
    for token in tokens:
        pieces = _cover(token, vocab["full"]) if len(tokens) > 1 else None
        if pieces:
            words.extend(word for piece in pieces for word in vocab["full"][piece])
        elif 2 <= len(token) <= 6:
            words.extend(vocab["initials"].get(token, []))
    return words
