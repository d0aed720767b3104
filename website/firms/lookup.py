"""Finding firms on the lists: by what a visitor types (``lookup``) and inside a longer text
such as a pasted pitch (``find_in_text``, used by the red-flag checker).

Only published entities are ever found. Names are compared folded (``website.firms.normalise``:
simplified characters, half-width forms, no brackets, spaces or legal form), so
"示范滙金（北京）投資有限公司" finds "示范汇金北京投资有限公司".

Cost, whatever the number of entities: a lookup is at most two queries on the indexed
``EntityName.normalised`` column (whole name, then fragment through the trigram index on
PostgreSQL) or one on the credit-code index; ``find_in_text`` is at most two queries, with the
candidate names taken from the text itself, never by scanning every name on the lists.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from website.firms.codes import ALPHABET, clean_code, is_valid
from website.firms.models import Entity, EntityName
from website.firms.normalise import (
    LEGAL_FORMS,
    MIN_NAME,
    fold_with_offsets,
    normalise_name,
)

# Longer than any firm's name; a longer query is cut (the page says so) or refused (the API).
MAX_QUERY = 60
# Shown at most; a fragment that matches more asks for a longer one.
MAX_RESULTS = 20
CODE_LENGTH = 18
# Fragments shorter than this are matched at the start of names only (see lookup).
PREFIX_ONLY_BELOW = 3


@dataclass
class Match:
    """One entity found: ``entity`` (with its kind and region loaded), the name, former name,
    alias or code that matched (``matched``, as stored) and how (``how``: "name", "former",
    "alias" or "code"), whether the whole name matched (``exact``), and for find_in_text the
    span of the original text it was found in (``start``, ``end``; else None)."""

    entity: Entity
    matched: str
    how: str
    exact: bool = True
    start: int | None = None
    end: int | None = None

    @property
    def text_span(self):
        return (self.start, self.end)


@dataclass
class LookupResult:
    """What ``lookup`` found for ``query``. ``problem`` is a reason nothing was looked up
    ("short": under two characters to compare; "bad_code": an 18-character code whose check
    character is wrong, looked up all the same); ``more`` means more matched than shown;
    ``prefix_only`` that a two-character fragment was matched at the start of names only."""

    query: str
    matches: list = field(default_factory=list)
    problem: str = ""
    more: bool = False
    prefix_only: bool = False

    @property
    def warnings(self):
        return [m for m in self.matches if m.entity.kind.is_warning]

    @property
    def licensed(self):
        return [m for m in self.matches if not m.entity.kind.is_warning]


def _names():
    return EntityName.objects.filter(entity__live=True).select_related(
        "entity", "entity__kind", "entity__region"
    )


def _entities():
    return Entity.objects.public().select_related("kind", "region")


def looks_like_code(text):
    """Return the cleaned code if ``text`` is typed like a credit code (18 letters and digits
    with at least 8 digits), else ""."""
    code = clean_code(text)
    if len(code) == CODE_LENGTH and sum(ch.isdigit() for ch in code) >= 8:
        if all(ch in ALPHABET for ch in code):
            return code
    return ""


def lookup(query, limit=MAX_RESULTS):
    """Return a LookupResult for ``query`` (a name, a fragment of one, an alias or a credit
    code; anything at all is accepted). A fragment of two characters matches the start of
    names, a longer one anywhere in them. When more match than ``limit``, which ones are
    shown is up to the database (``more`` is then set). Matches are ordered: whole names before fragments,
    warnings before licences, shorter names first. Never raises for odd input."""
    query = (query or "")[:MAX_QUERY]
    result = LookupResult(query=query)
    code = looks_like_code(query)
    if code:
        if not is_valid(code):
            result.problem = "bad_code"
        result.matches = [
            Match(entity=e, matched=e.credit_code, how="code")
            for e in _entities().filter(credit_code=code)[:limit]
        ]
        return result
    wanted = normalise_name(query)
    if len(wanted) < MIN_NAME:
        result.problem = "short"
        return result
    found = {}
    for row in _names().filter(normalised=wanted)[:limit]:
        found.setdefault(row.entity_id, Match(row.entity, row.text, row.kind, exact=True))
    if len(found) < limit:
        # One more than room is left, to know whether there are more than we show.
        room = limit - len(found) + 1
        if len(wanted) >= PREFIX_ONLY_BELOW:
            rows = _names().filter(normalised__contains=wanted)
        else:
            # Two characters hold no trigram, so no index can find them inside names; the
            # btree index still finds names that start with them (where a brand usually is).
            result.prefix_only = True
            rows = _names().filter(normalised__startswith=wanted)
        # No ORDER BY: PostgreSQL would gather and sort every name holding a common fragment
        # (thousands) to return twenty; unordered, it stops at the limit, and the matches are
        # sorted below. An entity can match by several names, so a few more rows are fetched.
        rows = rows.exclude(normalised=wanted)
        for row in rows[: room * 2]:
            if row.entity_id not in found:
                found[row.entity_id] = Match(row.entity, row.text, row.kind, exact=False)
    matches = sorted(
        found.values(),
        key=lambda m: (
            not m.exact,
            not m.entity.kind.is_warning,
            m.entity.is_lifted,
            len(m.matched),
            m.entity.pk,
        ),
    )
    result.more = len(matches) > limit
    result.matches = matches[:limit]
    return result


# -- names inside a text -------------------------------------------------------------------
# Words that end a firm's name (after folding, so all simplified and lower case). Legal forms
# are not part of stored names (normalise_name drops them), so the name is the text before
# them; the others are kept in names (示范养老服务中心), so both the text up to and including
# them and the text before them (an alias followed by 平台, App …) are candidates.
NAME_ENDINGS = (
    "集团",
    "合作社",
    "中心",
    "平台",
    "商城",
    "基金",
    "俱乐部",
    "工作室",
    "协会",
    "商会",
    "联盟",
    "研究院",
    "养老院",
    "公寓",
    "事务所",
    "交易所",
    "银行",
    "app",
    "小程序",
    "公众号",
    "商行",
    "农场",
    "庄园",
    "基地",
)
_STRIPPED = re.compile("|".join(sorted(LEGAL_FORMS, key=len, reverse=True)))
_KEPT = re.compile("|".join(NAME_ENDINGS))
# The longest name (folded, without legal form) looked for before an ending.
MAX_NAME_CHARS = 30
# Quoted product or platform names: “汇金宝” 「汇金宝」 《汇金宝》 【汇金宝】 "汇金宝".
_QUOTED = re.compile(r"[“「『《【\"]([^“”「」『』《》【】\"\n]{2,30})[”」』》】\"]")
_CODE = re.compile(rf"(?<![0-9A-Z])[{ALPHABET}]{{2}}[0-9]{{6}}[{ALPHABET}]{{10}}(?![0-9A-Z])")
# A pasted text is at most a few thousand characters; past this it is cut (the checker caps
# its input well below).
MAX_TEXT = 20_000


def _candidates(folded):
    """Yield (normalised candidate, start, end) spans of ``folded`` that could be a name."""
    for m in _STRIPPED.finditer(folded):
        end = m.start()
        for start in range(max(0, end - MAX_NAME_CHARS), end - MIN_NAME + 1):
            yield folded[start:end], start, m.end()
    for m in _KEPT.finditer(folded):
        for end in (m.start(), m.end()):
            for start in range(max(0, m.start() - MAX_NAME_CHARS), end - MIN_NAME + 1):
                if start < m.start():
                    yield folded[start:end], start, end


def find_in_text(text):
    """Return the Matches for published entities named in ``text`` (a pasted pitch, advert or
    chat message): their names, former names and aliases wherever they are followed by a
    legal form (有限公司 …) or a word that ends names (集团, 合作社, 中心, 平台, App …) or stand
    in quotes or brackets (“汇金宝”), and their credit codes anywhere (check character right).

    Each Match carries the span of ``text`` it was found in (``start``, ``end``). Where names
    overlap, the longest wins. An alias written bare in the middle of a sentence, with
    nothing around it that marks it as a name, is not found: that would mean comparing every
    stretch of the text against every alias. At most two queries; never raises for odd text.
    """
    text = (text or "")[:MAX_TEXT]
    folded, offsets = fold_with_offsets(text)
    spans = {}
    for candidate, start, end in _candidates(folded):
        spans.setdefault(candidate, []).append((start, end))
    # Quoted names are looked up as they stand, from the original text.
    quoted = {}
    for m in _QUOTED.finditer(text):
        name = normalise_name(m.group(1))
        if len(name) >= MIN_NAME:
            quoted.setdefault(name, []).append((m.start(1), m.end(1)))
    found = []
    wanted = set(spans) | set(quoted)
    if wanted:
        for row in _names().filter(normalised__in=wanted):
            for start, end in spans.get(row.normalised, []):
                found.append(
                    Match(
                        row.entity, row.text, row.kind, True, offsets[start], offsets[end - 1] + 1
                    )
                )
            for start, end in quoted.get(row.normalised, []):
                found.append(Match(row.entity, row.text, row.kind, True, start, end))
    upper = unicodedata.normalize("NFKC", text).upper()
    codes = {}
    if len(upper) == len(text):  # NFKC kept the length, so spans still point into ``text``
        for m in _CODE.finditer(upper):
            if is_valid(m.group()):
                codes.setdefault(m.group(), []).append((m.start(), m.end()))
    if codes:
        for entity in _entities().filter(credit_code__in=codes):
            for start, end in codes[entity.credit_code]:
                found.append(Match(entity, entity.credit_code, "code", True, start, end))
    return _longest_first(found)


def _longest_first(matches):
    """Return ``matches`` without those inside a longer one's span, in text order."""
    kept = []
    for match in sorted(matches, key=lambda m: (m.start - m.end, m.start)):
        if any(
            k.start <= match.start
            and match.end <= k.end
            # Two entities of the same name (one firm on two lists) both stay.
            and ((k.start, k.end) != (match.start, match.end) or k.entity.pk == match.entity.pk)
            for k in kept
        ):
            continue
        kept.append(match)
    return sorted(kept, key=lambda m: m.start)
