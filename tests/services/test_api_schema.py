"""The read-only API against its own OpenAPI description (/api/v2/openapi.json), driven by
schemathesis on PostgreSQL and the Redis cache: every operation, a bounded number of
generated requests each, no server error, and every answer as described (status codes,
content types, JSON shapes)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests import factories
from tests.campaigns.outreach import factories as of

pytestmark = [pytest.mark.services, pytest.mark.django_db]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(db):
    from django.core import signals
    from django.core.cache import cache
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    # As Django's test client does: requests run inside the test's transaction, which
    # closing "old" connections at each request's end would break.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    cache.clear()
    factories.notice(
        "养老院预售床位", audiences=["elderly"], tags=["养老服务"], region="430922", level="severe"
    )
    factories.case("以房养老骗局", audiences=["elderly"], region="430922", victims=37)
    of.event(of.campaign("防范非法集资宣传月"))
    yield schemathesis.openapi.from_wsgi("/api/v2/openapi.json", get_wsgi_application())
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_answers_as_its_openapi_description_says(case):
    case.call_and_validate(checks=CHECKS)
