"""The quiz teaches while it asks: an explanation right after each answer (naming the red flag
and a case), partly right multi-select answers called so, a short result page with the share
card inline, and a share card whose QR code leads back to the quiz."""

import io

import pytest
from PIL import Image

from quiz.models import Answer, Attempt, Question
from tests import factories

from .conftest import make_question, make_quiz
from .helpers import answer_all, choice_ids, right_choices, start, wrong_choice


def _answer_first(client, quiz, pick):
    location = start(client, quiz)
    page = client.get(location)
    question = Answer.objects.get(attempt__token=location.split("/")[-3], position=1).question
    return location, client.post(location, {"choice": pick(question, choice_ids(page))})


def test_each_answer_is_explained_at_once_with_its_red_flag_and_a_case(client, db):
    case = factories.case(title="高息理财骗局案", tags=["投资理财"])
    factories.case(title="无关的案例", tags=["林业"])
    first = make_question(tags=["投资理财"])
    Question.objects.filter(pk=first.pk).update(hallmark=Question.Hallmark.RETURNS)
    quiz = make_quiz([first, make_question()])
    location, response = _answer_first(client, quiz, wrong_choice)
    assert response.status_code == 200  # the answer's own response explains it
    html = response.content.decode()
    # Coming back to it (the back button, a reload) shows the same explanation.
    assert "答错了" in client.get(location + "explain/").content.decode()
    assert "答错了" in html and "测试解析" in html and "反馈B" in html
    assert "危险信号：</strong>承诺回报" in html and "投资理财" in html
    assert case.title in html and case.url in html and "无关的案例" not in html
    assert f'href="{location[:-2]}2/"' in html and "下一题" in html
    # The next question is still open: going back to the explanation does not skip it.
    assert client.get(location.replace("/1/", "/2/")).status_code == 200


def test_the_last_explanation_leads_to_the_result(client, fixed_quiz):
    result = answer_all(client, fixed_quiz)
    last = result.replace("/result/", "/3/explain/")
    html = client.get(last).content.decode()
    assert "看测试结果" in html and f'href="{result}"' in html


def test_no_explanation_before_the_question_is_answered(client, fixed_quiz):
    location = start(client, fixed_quiz)
    for number in (1, 2, 999):
        response = client.get(location.replace("/1/", f"/{number}/explain/"))
        assert response.status_code == 302 and response["Location"] == location
    assert client.post(location + "explain/", {"choice": ["1"]}).status_code == 405


def test_explanations_after_each_answer_can_be_switched_off(client, bank):
    quiz = make_quiz(bank, explain_each=False)
    location, response = _answer_first(client, quiz, right_choices)
    assert response["Location"] == location.replace("/1/", "/2/")


def test_a_partly_right_multiple_choice_answer_says_what_was_right_and_missed(client, db):
    q = make_question(kind="multiple", n_choices=4, correct=(0, 1))
    quiz = make_quiz([q])

    def a_and_c(question, ids):
        return [ids[0], ids[2]]

    _location, response = _answer_first(client, quiz, a_and_c)
    html = response.content.decode()
    assert "部分正确：选对了“A”，漏选了“B”，多选了“C”" in html
    assert "答错了" not in html
    assert "（正确答案，您漏选了）" in html and "（您选了，选对了）" in html
    # Scoring stays all or nothing.
    assert Attempt.objects.get().correct_count == 0


def test_a_multiple_choice_answer_with_nothing_right_is_wrong(client, db):
    quiz = make_quiz([make_question(kind="multiple", n_choices=4, correct=(0, 1))])
    _location, response = _answer_first(client, quiz, lambda q, ids: [ids[3]])
    html = response.content.decode()
    assert "答错了" in html and "部分正确" not in html


def test_the_result_folds_each_question_and_shows_the_share_card_inline(client, fixed_quiz):
    result = answer_all(client, fixed_quiz, pick=wrong_choice)
    html = client.get(result).content.decode()
    assert html.count("<details") == 3 and "<details open" not in html
    image_url = result.replace("/result/", "/image/")
    assert f'<img src="{image_url}"' in html and "长按图片" in html
    assert "http://testserver" + fixed_quiz.url in html or fixed_quiz.full_url in html


def test_without_explanations_after_each_answer_the_wrong_ones_open_in_the_result(client, bank):
    quiz = make_quiz(bank, explain_each=False)
    result = answer_all(client, quiz, pick=wrong_choice)
    assert client.get(result).content.decode().count("<details open") == 3
    client.cookies["elder"] = "1"  # elder mode keeps the result short
    assert "<details open" not in client.get(result).content.decode()


def test_the_share_card_carries_a_qr_code_of_the_quiz_address(client, fixed_quiz):
    zxingcpp = pytest.importorskip("zxingcpp")
    result = answer_all(client, fixed_quiz)
    response = client.get(result.replace("/result/", "/image/"))
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (1200, 630)
    (code,) = zxingcpp.read_barcodes(image)
    assert code.text == fixed_quiz.get_full_url()
