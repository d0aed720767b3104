"""Junk in every field, parameter and upload of the public tip-off pages: never a 500, and a
refused submission stores nothing."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.tipoffs.helpers import NEW, PHONE_URL, STATUS
from website.tipoffs.models import Evidence, Report

pytestmark = pytest.mark.django_db

FIELDS = [
    "what_happened",
    "firm_name",
    "credit_code",
    "pitch",
    "amount_yuan",
    "people_count",
    "region",
    "place_detail",
    "channel",
    "pretext",
    "page",
    "anonymous",
    "name",
    "phone",
    "contact",
]
junk = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["", "0", "-1", "1e309", "NaN", "\x00", "99999999999999999999"]),
)
SLOW = hsettings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SLOW
@given(
    data=st.fixed_dictionaries({}, optional={name: junk for name in FIELDS}),
    blob=st.binary(max_size=300),
    filename=st.text(max_size=40),
)
def test_junk_submissions_never_error_and_store_nothing(
    client, settings, tmp_path, data, blob, filename
):
    settings.TIPOFF_EVIDENCE_ROOT = tmp_path / "evidence"
    cache.clear()
    before = Report.objects.count()
    # The multipart parser strips any path from a file name; the test file must have one.
    name = filename.replace("/", "").replace("\\", "").strip(".") or "x"
    upload = SimpleUploadedFile(name, blob)
    response = client.post(NEW, {**data, "evidence": [upload]})
    assert response.status_code in (302, 400, 429)
    if response.status_code != 302:
        assert Report.objects.count() == before
        assert Evidence.objects.filter(report__isnull=True).count() == 0


@SLOW
@given(params=st.dictionaries(st.sampled_from(["pretext", "page", "handover", "pitch", "x"]), junk))
def test_junk_query_parameters_and_handover_never_error(client, params):
    assert client.get(NEW, params).status_code == 200
    response = client.post(NEW, {**params, "handover": "1"})
    assert response.status_code == 200
    assert Report.objects.count() == 0


@SLOW
@given(reference=junk, secret=junk, action=junk, code=junk, answer=junk)
def test_junk_status_and_phone_posts_never_error(client, reference, secret, action, code, answer):
    cache.clear()
    response = client.post(STATUS, {"reference": reference, "secret": secret})
    assert response.status_code in (200, 400, 429)
    response = client.post(PHONE_URL, {"action": action, "code": code, "human_answer": answer})
    assert response.status_code == 200  # no pending report in this session: the expired page
