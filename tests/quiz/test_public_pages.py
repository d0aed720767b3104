"""What a visitor sees: the quiz page, the result with feedback and related content, the
share image, and links to quizzes from the home and audience pages."""

import io
import re

import pytest
from PIL import Image

from quiz.models import Attempt
from tests import factories

from .conftest import make_question, make_quiz
from .helpers import answer_all, start, wrong_choice

pytestmark = pytest.mark.django_db


def test_the_quiz_page_offers_an_optional_profile_without_name_or_phone(client, fixed_quiz):
    html = client.get(fixed_quiz.url).content.decode()
    assert "开始答题" in html and "都可以不填" in html
    assert 'name="age_band"' in html and 'name="region"' in html
    fields = set(re.findall(r'<(?:input|select|textarea)[^>]* name="([^"]+)"', html))
    assert fields == {"csrfmiddlewaretoken", "age_band", "audience", "region", "q"}
    assert 'type="tel"' not in html


def test_one_question_per_screen_with_a_hidden_read_aloud_button(client, fixed_quiz):
    html = client.get(start(client, fixed_quiz)).content.decode()
    assert html.count('name="choice"') == 3
    assert "第 1 题，共 3 题" in html
    assert 'data-read-aloud="q-read" hidden' in html
    assert "/static/js/read-aloud.js" in html


def test_the_result_shows_feedback_explanation_and_related_content(client):
    case = factories.case(title="养老院骗局案", tags=["养老服务"])
    notice = factories.notice(title="警惕养老投资", tags=["养老服务"])
    factories.case(title="无关的案例", tags=["林业"])
    q = make_question(tags=["养老服务"])
    quiz = make_quiz([q])
    result = answer_all(client, quiz, pick=wrong_choice)
    html = client.get(result).content.decode()
    assert "答错了" in html
    assert "反馈B" in html  # the chosen wrong choice's feedback
    assert "反馈A" not in html  # feedback is for what the person chose
    assert "（正确答案）" in html and "测试解析" in html
    assert case.title in html and notice.title in html
    assert "无关的案例" not in html


def test_the_share_image_is_a_png_of_the_result(client, fixed_quiz):
    result = answer_all(client, fixed_quiz)
    response = client.get(result.replace("/result/", "/image/"))
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (1200, 630)


def test_no_share_image_before_the_attempt_is_finished(client, fixed_quiz):
    location = start(client, fixed_quiz)
    assert client.get(location.replace("/1/", "/image/")).status_code == 404


def test_quizzes_are_linked_from_the_home_and_audience_pages(client, bank):
    from website.taxonomy.models import Audience

    general = make_quiz(bank, title="大家来测")
    elderly = make_quiz(bank, title="长辈专场")
    elderly.draw_audiences.set(Audience.objects.filter(slug="elderly"))
    elderly.save_revision().publish()
    home = client.get("/").content.decode()
    assert general.title in home and elderly.title in home
    audience = client.get("/for/elderly/").content.decode()
    assert elderly.title in audience and general.title not in audience


def test_quiz_pages_only_live_under_the_home_page(fixed_quiz):
    from quiz.models import QuizPage

    assert QuizPage.can_create_at(factories.home_page())
    assert not QuizPage.can_create_at(factories.notice_index())


def test_the_leaderboard_is_cacheable_but_attempts_are_not(client, fixed_quiz):
    first = client.get(fixed_quiz.url + "leaderboard/")
    second = client.get(fixed_quiz.url + "leaderboard/")
    assert first.status_code == 200
    assert second["X-Cache"] == "HIT"
    assert Attempt.objects.count() == 0
