"""The checker's quality targets on the development part of the labelled set (behaviour, not
timing). The held-out part is scored only by ``make bench`` (bench/redflags.py)."""

from bench.redflags import FALSE_ALARM_TARGET, RECALL_TARGET, evaluate, load


def test_the_labelled_set_is_big_enough():
    items = load("development") + load("heldout")
    assert sum(i.fraud for i in items) >= 100
    assert sum(not i.fraud for i in items) >= 50


def test_the_default_rules_meet_the_targets_on_the_development_part():
    score = evaluate(load("development"))
    assert score.recall >= RECALL_TARGET, score.missed
    assert score.false_alarm_rate <= FALSE_ALARM_TARGET, score.false_alarms
