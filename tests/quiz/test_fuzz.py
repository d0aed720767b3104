"""Junk in every public quiz form and every admin report parameter: never a server error,
and nothing saved that should not be."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.models import AnswerChoice, Attempt

from .helpers import start

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_throttling(settings):
    """Hypothesis sends far more requests than one visitor may; throttling has its own tests."""
    settings.QUIZ_THROTTLE_RATES = {"ip": (10**6, 60), "token": (10**6, 60), "start": (10**6, 60)}


junk = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.sampled_from(["\x00", "1\x00", "-1", "9" * 30, "1e9", "' OR 1=1 --", "１", "0x10", " 1 "]),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(values=st.lists(junk, max_size=5))
def test_junk_answers_never_error_and_record_nothing(fixed_quiz, values):
    client = Client()
    location = start(client, fixed_quiz)
    response = client.post(location, {"choice": values})
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert not AnswerChoice.objects.filter(
            answer__attempt__token__in=[location.split("/")[-3]]
        ).exists()


@FUZZ
@given(age=junk, audience=junk, region=junk)
def test_junk_profiles_never_error(fixed_quiz, age, audience, region):
    client = Client()
    before = Attempt.objects.count()
    response = client.post(
        fixed_quiz.url, {"age_band": age, "audience": audience, "region": region}
    )
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert Attempt.objects.count() == before


@FUZZ
@given(token=junk, number=junk)
def test_junk_urls_never_error(fixed_quiz, token, number):
    from urllib.parse import quote

    client = Client()
    for path in (f"a/{quote(token)}/{quote(number)}/", f"a/{quote(token)}/result/"):
        response = client.get(fixed_quiz.url + path)
        assert response.status_code in (200, 302, 404)


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "quiz",
                "date_from",
                "date_to",
                "min_count",
                "start",
                "end",
                "baseline_from",
                "audiences",
                "regions",
                "export",
            ]
        ),
        junk,
        max_size=6,
    )
)
def test_junk_report_parameters_never_error(admin_client, params):
    for url in (
        "/admin/quiz/reports/",
        "/admin/quiz/reports/items/",
        "/admin/quiz/reports/effect/",
    ):
        response = admin_client.get(url, params)
        assert response.status_code == 200, (url, params)
