"""The red-flag checker: which phrases of a pitch carry the marks of illegal fundraising.

``check(text, rules, threshold)`` is pure (no database, no cache, no logging) so the same
engine serves the public page, the JSON endpoint, the admin's try-out of draft rules and the
benchmark. The text passed in is never stored anywhere: not here, not by the callers.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from website.firms.lookup import find_in_text
from website.redflags.normalise import normalise
from website.redflags.numbers import find_amounts, find_payout_rates, find_rates
from website.redflags.patterns import PatternError, compile_pattern

# The four legal features, in the order the law lists them (keys are the Rule.feature values).
FEATURES = {
    "illegal": "非法性",
    "public": "公开性",
    "lure": "利诱性",
    "social": "社会性",
}
RATE_FEATURE = "lure"
RATE_METHOD = "高额回报"

# Words right before a phrase that turn it around: 不保本, 非保本, 无担保.
SHORT_NEGATION = re.compile(r"(?:不|非|无|未|没|别|勿|并非)$")
# Words earlier in the same clause that make it a warning, not a promise: 谨防“保本高息”,
# 凡是承诺保本保息的, 不承诺保本.
CLAUSE_NEGATION = re.compile(
    r"谨防|警惕|防范|远离|拒绝|严禁|禁止|不得|杜绝|凡是|冒充|所谓|识别|识破|小心|当心|举报|"
    r"骗局|不承诺|不保证|不等于|不是|不能|不会|不要|切勿|并不"
)
CLAUSE_END = re.compile(r"[,。;!?，；！？\n]")
CLAUSE_WINDOW = 12
# A sentence that warns against a scheme quotes its promises: 有人冒充…承诺高额返利，请提高警惕.
WARNING_SENTENCE = re.compile(
    r"提高警惕|谨防|警惕|不要轻信|切勿轻信|别轻信|防范非法集资|冒充|骗局|骗子|上当受骗|举报电话"
)
SENTENCE_END = re.compile(r"[。;!?；！？\n]")


@dataclass(frozen=True)
class RuleSpec:
    """What the engine needs of a rule (a Rule row, a draft revision, or a plain test value)."""

    key: str
    pattern: str
    feature: str
    method: str = ""
    explanation: str = ""
    tag_slug: str = ""
    tag_name: str = ""


@dataclass(frozen=True)
class Flag:
    """One red flag: the original text's [start, end) and why it is a red flag."""

    start: int
    end: int
    phrase: str
    feature: str
    method: str
    explanation: str
    rule: str = ""
    tag_slug: str = ""
    tag_name: str = ""

    @property
    def feature_label(self):
        return FEATURES.get(self.feature, self.feature)


@dataclass
class Report:
    """What the checker found in ``text``: flags in text order, rates and amounts read."""

    text: str
    flags: list = field(default_factory=list)
    rates: list = field(default_factory=list)
    amounts: list = field(default_factory=list)
    threshold: float = 6.0

    @property
    def flagged(self):
        return bool(self.flags)

    def by_feature(self):
        """Return [(feature key, label, [flags])] for the features that have flags, in the
        law's order."""
        return [
            (key, label, [f for f in self.flags if f.feature == key])
            for key, label in FEATURES.items()
            if any(f.feature == key for f in self.flags)
        ]

    def by_method(self):
        """Return [(method, [flags])] for the methods named by flags, in first-seen order."""
        groups = {}
        for flag in self.flags:
            if flag.method:
                groups.setdefault(flag.method, []).append(flag)
        return list(groups.items())

    def segments(self):
        """Return the text as [(piece, flag or None)], flagged stretches merged where they
        overlap (the first flag of a stretch names it), for highlighting."""
        spans = []
        for flag in sorted(self.flags, key=lambda f: (f.start, -f.end)):
            if spans and flag.start < spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], flag.end)
            else:
                spans.append([flag.start, flag.end, flag])
        pieces, position = [], 0
        for start, end, flag in spans:
            if start > position:
                pieces.append((self.text[position:start], None))
            pieces.append((self.text[start:end], flag))
            position = end
        if position < len(self.text):
            pieces.append((self.text[position:], None))
        return pieces


def negated(text, start):
    """Return whether the phrase at ``start`` of the normalised ``text`` is turned around by
    what comes just before it (不保本) or earlier in its clause (谨防“保本高息”)."""
    before = text[max(0, start - CLAUSE_WINDOW) : start]
    clause = CLAUSE_END.split(before)[-1]
    if SHORT_NEGATION.search(clause[-2:]) or CLAUSE_NEGATION.search(clause):
        return True
    return bool(WARNING_SENTENCE.search(sentence_around(text, start)))


def sentence_around(text, position):
    """Return the sentence of ``text`` that holds ``position``."""
    left = max((m.end() for m in SENTENCE_END.finditer(text, 0, position)), default=0)
    right = SENTENCE_END.search(text, position)
    return text[left : right.start() if right else len(text)]


def compiled(rules):
    """Return [(RuleSpec, regex)] for the ``rules`` that compile (a broken one is skipped:
    validation on save keeps them out, and one bad row must not stop the checker)."""
    out = []
    for rule in rules:
        try:
            out.append((rule, compile_pattern(rule.pattern)))
        except PatternError:
            continue
    return out


def rate_explanation(rate, threshold):
    return _(
        "这里承诺的收益折合年化约 %(rate)s%%，高于 %(threshold)s%%。正规银行存款、国债一年也就两三个点，"
        "承诺远高于此的“投资”，多半要靠后来人的钱来付前面人的利息。"
    ) % {"rate": f"{rate:g}", "threshold": f"{threshold:g}"}


def check(text, rules, threshold=6.0):
    """Return the Report of ``text`` against ``rules`` (RuleSpecs, or the output of
    ``compiled``) and the annual-rate ``threshold`` in percent."""
    norm = normalise(text or "")
    report = Report(text=norm.original, threshold=float(threshold))
    pairs = rules if rules and isinstance(rules[0], tuple) else compiled(rules or [])
    for rule, regex in pairs:
        for match in regex.finditer(norm.text):
            if match.end() == match.start() or negated(norm.text, match.start()):
                continue
            start, end = norm.span(match.start(), match.end())
            report.flags.append(
                Flag(
                    start,
                    end,
                    norm.original[start:end],
                    rule.feature,
                    rule.method,
                    rule.explanation,
                    rule.key,
                    rule.tag_slug,
                    rule.tag_name,
                )
            )
    report.amounts = find_amounts(norm.text)
    rates = find_rates(norm.text) + find_payout_rates(norm.text)
    for rate in rates:
        if rate.annual <= 0:
            continue
        start, end = norm.span(rate.start, rate.end)
        report.rates.append((rate, norm.original[start:end]))
        if rate.annual > report.threshold and not negated(norm.text, rate.start):
            report.flags.append(
                Flag(
                    start,
                    end,
                    norm.original[start:end],
                    RATE_FEATURE,
                    RATE_METHOD,
                    rate_explanation(round(rate.annual, 1), report.threshold),
                    "rate",
                )
            )
    report.flags.sort(key=lambda f: (f.start, f.end))
    return report


def firms_in(text):
    """Return the listed firms named in ``text`` (``website.firms.lookup.find_in_text``:
    ``Match`` objects with ``entity``, ``matched``, ``start`` and ``end``)."""
    return list(find_in_text(text))
