"""The seeded bank: at least 40 valid questions covering the four hallmarks, the main
pretexts and the key audiences."""

import pytest

from quiz.models import Question, check_choices

pytestmark = pytest.mark.django_db


def test_at_least_forty_valid_questions_are_seeded():
    questions = list(Question.objects.prefetch_related("choices"))
    assert len(questions) >= 40
    for q in questions:
        assert not check_choices(q.kind, [(c.text, c.is_correct) for c in q.choices.all()]), q.code
        assert q.explanation and all(c.feedback for c in q.choices.all()), q.code
    assert {q.kind for q in questions} == {"single", "multiple", "truefalse"}
    assert {q.difficulty for q in questions} == {1, 2, 3}


def test_the_four_hallmarks_and_the_main_pretexts_are_covered():
    hallmarks = set(Question.objects.values_list("hallmark", flat=True))
    assert {"licence", "publicity", "returns", "public"} <= hallmarks
    tags = set(Question.tags.through.objects.values_list("tag__name", flat=True))
    for pretext in (
        "养老服务",
        "投资理财",
        "股权众筹",
        "区块链/虚拟货币",
        "私募基金",
        "消费返利",
        "慈善公益",
        "疫情防控",
    ):
        assert pretext in tags, pretext


@pytest.mark.parametrize("slug,minimum", [("elderly", 10), ("students", 6), ("rural", 6)])
def test_each_key_audience_has_its_own_bank(slug, minimum):
    assert Question.objects.filter(audiences__slug=slug).count() >= minimum
