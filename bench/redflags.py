"""`make bench`, red-flag checker part: recall and false alarms on the labelled set.

The labelled set lives in ``bench/redflags_set/``: ``development.txt`` (rules were written
and tuned against it) and ``heldout.txt`` (written before any rule and never read while
writing them). Both are reported. A fraudulent pitch counts as caught when at least one flag
names one of its labelled features or methods; a legitimate text is a false alarm when it gets
any flag at all. Targets (DESIGN.md): caught ≥ 90 %, false alarms ≤ 10 %.

Runs the engine on the default rule set (``website.redflags.defaults``, what migration 0002
seeds) with the default threshold, without a database.
"""

import os
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

SET_DIR = Path(__file__).resolve().parent / "redflags_set"
PARTS = ("development", "heldout")
RECALL_TARGET = 0.90
FALSE_ALARM_TARGET = 0.10


@dataclass(frozen=True)
class Item:
    fraud: bool
    kind: str
    features: tuple
    methods: tuple
    text: str


def load(part):
    """Return the Items of ``part`` ("development" or "heldout")."""
    items = []
    for line in (SET_DIR / f"{part}.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        mark, kind, features, methods, text = (p.strip() for p in line.split(" | ", 4))
        split = lambda value: tuple(v for v in value.split(",") if v and v != "-")  # noqa: E731
        items.append(Item(mark == "F", kind, split(features), split(methods), text))
    return items


def default_rules():
    """Return the default rule set as RuleSpecs."""
    from website.redflags.checker import RuleSpec
    from website.redflags.defaults import RULES

    return [
        RuleSpec(r["key"], r["pattern"], r["feature"], r["method"], r["explanation"]) for r in RULES
    ]


@dataclass
class Score:
    fraud: int = 0
    caught: int = 0
    legit: int = 0
    alarms: int = 0
    per_feature: Counter = None
    per_feature_total: Counter = None
    per_method: Counter = None
    per_method_total: Counter = None
    missed: list = None
    false_alarms: list = None

    @property
    def recall(self):
        return self.caught / self.fraud if self.fraud else 0.0

    @property
    def false_alarm_rate(self):
        return self.alarms / self.legit if self.legit else 0.0


def evaluate(items, rules=None, threshold=6.0):
    """Return the Score of the checker over ``items``."""
    from website.redflags.checker import FEATURES, check, compiled

    pairs = compiled(rules if rules is not None else default_rules())
    score = Score(
        per_feature=Counter(),
        per_feature_total=Counter(),
        per_method=Counter(),
        per_method_total=Counter(),
        missed=[],
        false_alarms=[],
    )
    for item in items:
        report = check(item.text, pairs, threshold)
        features = {FEATURES[f.feature] for f in report.flags}
        methods = {f.method for f in report.flags if f.method}
        if not item.fraud:
            score.legit += 1
            if report.flags:
                score.alarms += 1
                score.false_alarms.append((item, [f.phrase for f in report.flags]))
            continue
        score.fraud += 1
        if features & set(item.features) or methods & set(item.methods):
            score.caught += 1
        else:
            score.missed.append((item, [f.phrase for f in report.flags]))
        for feature in item.features:
            score.per_feature_total[feature] += 1
            score.per_feature[feature] += feature in features
        for method in item.methods:
            score.per_method_total[method] += 1
            score.per_method[method] += method in methods
    return score


def report(part, score, verbose=False):
    ok = score.recall >= RECALL_TARGET and score.false_alarm_rate <= FALSE_ALARM_TARGET
    print(f"red-flag checker, {part} part: {score.fraud} pitches, {score.legit} legitimate texts")
    print(
        f"  caught (≥1 correct flag): {score.recall:6.1%}  (target ≥ {RECALL_TARGET:.0%})"
        f"   false alarms: {score.false_alarm_rate:6.1%}  (target ≤ {FALSE_ALARM_TARGET:.0%})"
        f"   {'OK' if ok else 'BELOW TARGET'}"
    )
    for name, hits, totals in (
        ("feature", score.per_feature, score.per_feature_total),
        ("method", score.per_method, score.per_method_total),
    ):
        for key in sorted(totals, key=lambda k: -totals[k]):
            print(
                f"  recall per {name} {key:<12} {hits[key] / totals[key]:6.1%}  ({hits[key]}/{totals[key]})"
            )
    if verbose:
        for item, phrases in score.missed:
            print("  MISSED", item.kind, item.text, phrases)
        for item, phrases in score.false_alarms:
            print("  FALSE ALARM", item.kind, item.text, phrases)
    return ok


def main():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings.dev")
    django.setup()
    from django.utils import translation

    translation.activate("zh-hans")
    verbose = "-v" in sys.argv
    # The held-out part is only scored, never printed line by line (it must stay unseen).
    results = [
        report(part, evaluate(load(part)), verbose=verbose and part == "development")
        for part in PARTS
    ]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
