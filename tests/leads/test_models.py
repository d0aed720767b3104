"""The ledger's rules: amounts in 万元 to two decimals, a refund percentage only while funds
are being returned, a month per lead, one filing per region and month."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from tests.leads import factories as lf
from website.leads.models import Lead, ScreeningFiling

pytestmark = pytest.mark.django_db


def errors_of(**fields):
    with pytest.raises(ValidationError) as caught:
        lf.lead(**fields)
    return caught.value.message_dict


def test_amounts_take_at_most_two_decimals():
    assert "amount" in errors_of(amount=Decimal("12.345"))
    assert "unpaid" in errors_of(unpaid=Decimal("0.001"))
    assert lf.lead(amount=Decimal("120.34")).amount == Decimal("120.34")


def test_amounts_cannot_be_negative_and_unpaid_not_above_the_amount():
    assert "amount" in errors_of(amount=Decimal("-1"))
    assert errors_of(amount=Decimal("10"), unpaid=Decimal("10.01"))["unpaid"] == [
        "未兑付资金不能大于涉及金额。"
    ]


def test_percentage_only_while_refunding():
    assert errors_of(refund_status="", refund_percent=Decimal("30"))["refund_percent"] == [
        "只有“正在清退”时才填写清退比例。"
    ]
    assert "refund_percent" in errors_of(refund_status="done", refund_percent=Decimal("100"))
    assert "refund_percent" in errors_of(refund_status="refunding")  # how much, then?
    assert "refund_percent" in errors_of(refund_status="refunding", refund_percent=Decimal("100"))
    assert "refund_percent" in errors_of(
        refund_status="refunding", refund_percent=Decimal("35.555")
    )


def test_refund_cell_reads_as_the_form_asks():
    refunding = lf.lead(refund_status="refunding", refund_percent=Decimal("35.5"))
    assert refunding.refund_text == "正在清退（已清退35.50%）"
    assert lf.lead(refund_status="done").refund_text == "清退完毕（100.00%）"
    assert lf.lead().refund_text == ""


def test_a_lead_belongs_to_a_month():
    lead = lf.lead(period=datetime.date(2026, 11, 17))
    assert lead.period == datetime.date(2026, 11, 1)
    assert str(lead).endswith("（2026年11月）")


def test_internet_takes_the_three_answers_of_the_form():
    assert [label for _, label in Lead.Internet.choices] == ["线上", "线下", "线上线下"]
    assert "internet" in errors_of(internet="maybe")


def test_a_filing_says_what_was_found_or_is_a_zero_report():
    filing = ScreeningFiling(region=lf.region(), period=lf.NOV, nothing_found=False, summary="")
    with pytest.raises(ValidationError) as caught:
        filing.full_clean()
    assert "零报送" in caught.value.message_dict["summary"][0]
    ScreeningFiling(region=lf.region(), period=lf.NOV, nothing_found=True).full_clean()


def test_one_filing_per_region_and_month():
    lf.filing("430922100201", period=datetime.date(2026, 11, 5))
    with pytest.raises(IntegrityError):
        lf.filing("430922100201", period=datetime.date(2026, 11, 20))


def test_contact_phone_is_checked_and_masked():
    contact = lf.contact("430922100201", phone="138 1234 5678")
    assert contact.phone == "13812345678"
    assert contact.masked_phone == "138****5678"
    with pytest.raises(ValidationError):
        lf.contact("430922100001", phone="12345")
