"""Rule patterns as staff write them, compiled to regular expressions.

Staff write phrases, not regular expressions:

- several ways of saying it, separated by ``|`` or one per line: ``保本保息|稳赚不赔|零风险``;
- ``…`` (or ``...`` or ``*``) where a few characters may come between: ``推荐…奖励`` finds
  推荐一位朋友再奖励;
- ``#`` where a number stands: ``每天返#`` finds 每天返30 and 每天返三十.

Each phrase is normalised like the pitch (full-width, traditional characters, spacing), so
保證收益 and 保证收益 are one phrase. Anything that looks like regex syntax is refused with a
message saying how to write it instead.
"""

import functools
import re

from django.utils.translation import gettext as _

from website.redflags.normalise import normalise

MAX_PATTERN_LENGTH = 1000
MAX_ALTERNATIVES = 60
MIN_PHRASE_LENGTH = 2
# Up to this many characters between the parts of a phrase, inside one clause.
GAP = r"[^,。;!?，；！？\n]{0,10}?"
NUMBER = r"[0-9零〇一二两三四五六七八九十百千万亿点.]+"
SEPARATORS = re.compile(r"[|｜\n\r]+")
GAP_MARK = re.compile(r"…+|\.\.\.+|\*+|＊+")
FORBIDDEN = set("()[]{}?\\^$+")


class PatternError(ValueError):
    """The pattern cannot be compiled; ``str(error)`` is the message for staff (Chinese)."""


def phrases(pattern):
    """Return the phrases of ``pattern`` (stripped, empty ones dropped)."""
    return [p.strip() for p in SEPARATORS.split(pattern or "") if p.strip()]


def _phrase_regex(phrase):
    parts = GAP_MARK.split(phrase)
    if not parts[0].strip() or not parts[-1].strip():
        raise PatternError(
            _("“%(phrase)s”：省略号不能放在开头或结尾，只能放在两段文字中间。") % {"phrase": phrase}
        )
    out, letters = [], 0
    for index, part in enumerate(parts):
        if index:
            out.append(GAP)
        pieces = part.split("#")
        for j, piece in enumerate(pieces):
            if j:
                out.append(NUMBER)
                letters += 1
            text = normalise(piece.strip()).text
            letters += len(text.replace(" ", ""))
            out.append(re.escape(text))
    if letters < MIN_PHRASE_LENGTH:
        raise PatternError(
            _("“%(phrase)s”太短：至少写两个字，否则几乎每段话都会被标出来。") % {"phrase": phrase}
        )
    return "".join(out)


@functools.lru_cache(maxsize=1024)
def compile_pattern(pattern):
    """Return the compiled regular expression of the staff ``pattern``.

    Raises PatternError (a message for staff) when the pattern is empty, too long, has too
    many phrases, a phrase under two characters, a misplaced ``…`` or regex syntax.
    """
    pattern = (pattern or "").strip()
    if not pattern:
        raise PatternError(_("请至少写一个说法。"))
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise PatternError(
            _("规则太长（最多 %(n)s 个字符）：请拆成几条规则。") % {"n": MAX_PATTERN_LENGTH}
        )
    bad = sorted(FORBIDDEN & set(pattern))
    if bad:
        raise PatternError(
            _(
                "不支持符号 %(chars)s。请只写词语：几种说法用 | 分隔（或每行一种），"
                "中间可以隔几个字的地方写 …，数字的位置写 #。"
            )
            % {"chars": " ".join(bad)}
        )
    items = phrases(pattern)
    if len(items) > MAX_ALTERNATIVES:
        raise PatternError(
            _("说法太多（最多 %(n)s 种）：请拆成几条规则。") % {"n": MAX_ALTERNATIVES}
        )
    # Longer phrases first, so the longest wording is the one highlighted.
    regexes = sorted({_phrase_regex(p) for p in items}, key=len, reverse=True)
    return re.compile("|".join(f"(?:{r})" for r in regexes))


def validate_pattern(pattern):
    """Return None when ``pattern`` compiles; raise PatternError with the reason otherwise."""
    compile_pattern(pattern)
