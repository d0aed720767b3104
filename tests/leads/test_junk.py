"""Junk in every parameter of the ledger's staff pages and every field of the lead and filing
forms: never a 500, and a refused form stores nothing."""

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests.factories import logged_in, staff
from tests.leads import factories as lf
from website.leads.models import Lead, ScreeningFiling

pytestmark = pytest.mark.django_db

junk = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "0", "-1", "1e309", "NaN", "\x00", "2026-02-30", "99999999999999999"]),
)
SLOW = hsettings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
LEAD_FIELDS = [
    "period",
    "region",
    "firm_name",
    "internet",
    "amount",
    "people",
    "unpaid",
    "refund_status",
    "refund_percent",
    "outcome",
    "cross_region",
]


@pytest.fixture
def keeper():
    lf.screen_villages_under("430922")
    return logged_in(staff("keeper", "风险线索管理"))


@SLOW
@given(params=st.dictionaries(st.sampled_from(["start", "end", "region", "month"]), junk))
def test_junk_parameters_never_error(keeper, params):
    for url in ("/admin/leads-tools/export/", "/admin/leads-tools/screening/status/"):
        assert keeper.get(url, params).status_code == 200


@SLOW
@given(data=st.fixed_dictionaries({}, optional={name: junk for name in LEAD_FIELDS}))
def test_junk_lead_and_filing_forms_never_error(keeper, data):
    leads, filings = Lead.objects.count(), ScreeningFiling.objects.count()
    response = keeper.post("/admin/leads/ledger/new/", data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert Lead.objects.count() == leads
    filing = {
        "region": data.get("region", ""),
        "period": data.get("period", ""),
        "summary": data.get("firm_name", ""),
        "leads": data.get("people", ""),
    }
    response = keeper.post("/admin/leads/screening/new/", filing)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert ScreeningFiling.objects.count() == filings
