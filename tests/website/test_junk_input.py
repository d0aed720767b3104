"""Every public filter and query parameter fed junk: never a server error."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories

pytestmark = pytest.mark.django_db

junk = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=50),
    st.sampled_from(["\x00", "%00", "' OR 1=1 --", "../../etc/passwd", "9" * 40, "-1", "🙂"]),
)
fuzz = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def content():
    factories.notice("提示", audiences=["elderly"], tags=["养老服务"], region="430922")
    factories.case("案例", audiences=["students"], tags=["投资理财"])


@fuzz
@given(audience=junk, tag=junk, region=junk, page=junk, status=junk)
@pytest.mark.parametrize("url", ["/notices/", "/cases/"])
def test_listing_filters_never_fail(client, content, url, audience, tag, region, page, status):
    response = client.get(
        url, {"audience": audience, "tag": tag, "region": region, "page": page, "status": status}
    )
    assert response.status_code == 200


@fuzz
@given(q=junk, page=junk)
def test_search_never_fails(client, content, q, page):
    assert client.get("/search/", {"q": q, "page": page}).status_code == 200


@fuzz
@given(state=st.text(min_size=1, max_size=20).filter(lambda s: "/" not in s), target=junk)
def test_elder_switch_never_fails(client, state, target):
    response = client.get(f"/mode/elder/{state}/", {"next": target})
    assert response.status_code < 500
    if response.status_code == 302:
        assert response["Location"].startswith("/")
