"""Builders for leads, screening filings and region contacts."""

import datetime
import itertools
from decimal import Decimal

from website.leads.models import Lead, LeadSettings, RegionContact, ScreeningFiling
from website.taxonomy.models import Region

_counter = itertools.count(1)
NOV = datetime.date(2026, 11, 1)
VILLAGES = ["430922100001", "430922100201", "430922101201"]  # under 桃江县


def region(code="430922100201"):
    return Region.objects.get(code=code)


def lead(period=NOV, code="430922100201", **fields):
    n = next(_counter)
    values = {
        "firm_name": f"示范理财咨询有限公司{n}",
        "industry": "投资咨询",
        "scheme": "高息借款",
        "internet": Lead.Internet.BOTH,
        "amount": Decimal("120.50"),
        "people": 35,
        "unpaid": Decimal("80.25"),
        "cross_region": False,
        "measures": "约谈负责人，责令停止宣传",
        "outcome": "停业整改",
    }
    values.update(fields)
    obj = Lead(period=period, region=region(code), **values)
    obj.full_clean()
    obj.save()
    return obj


def screen_villages_under(code="430922", level=Region.Level.VILLAGE, due_day=23, days=3):
    """Make the regions under ``code`` at ``level`` the ones that file each month."""
    config = LeadSettings.load()
    config.screening_root = region(code)
    config.screening_level = level
    config.due_day = due_day
    config.reminder_days = days
    config.save()
    return config


def contact(code, phone="13812345678", name="联络员", users=()):
    obj = RegionContact(region=region(code), name=name, phone=phone)
    obj.full_clean()
    obj.save()
    obj.users.set(users)
    return obj


def filing(code, period=NOV, nothing_found=True, summary="", **fields):
    return ScreeningFiling.objects.create(
        region=region(code), period=period, nothing_found=nothing_found, summary=summary, **fields
    )
