"""The read-only API against its own OpenAPI description (/api/v2/openapi.json), driven by
schemathesis on PostgreSQL and the Redis cache: every operation, a bounded number of
generated requests each, no server error, and every answer as described (status codes,
content types, JSON shapes)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
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


EXAMPLES_PER_OPERATION = 15


def test_the_api_answers_as_its_openapi_description_says(api_schema):
    # One test walking the operations (schemathesis' lazy pytest fixtures do not run on this
    # pytest); hypothesis still shrinks and reports the failing request of each.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 15

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            # The in-process WSGI client does not undo gzip (tested in tests/api).
            case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})

        check()
