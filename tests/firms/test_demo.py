"""The demo lists: a few dozen fictional entries on each list, findable by the lookup."""

import pytest

from website.demo.firms import build_demo_firms
from website.firms.codes import is_valid
from website.firms.lookup import find_in_text, lookup
from website.firms.models import Entity, EntityKind

pytestmark = pytest.mark.django_db


def test_demo_lists_are_fictional_valid_and_findable():
    made = build_demo_firms()
    assert made == Entity.objects.count()
    for kind in EntityKind.objects.all():
        assert kind.entities.filter(live=True).count() >= 24, kind.name
    assert all(e.name.startswith("示范") for e in Entity.objects.all())
    codes = [c for c in Entity.objects.values_list("credit_code", flat=True) if c]
    assert codes and all(is_valid(c) for c in codes)
    assert Entity.objects.filter(status=Entity.Status.LIFTED).exists()
    drafts = Entity.objects.filter(live=False)
    assert drafts.exists() and lookup(drafts[0].name).matches == []

    live = Entity.objects.filter(live=True, kind__name="警示名单").order_by("pk").first()
    assert lookup(live.name).matches[0].entity == live
    assert find_in_text(f"朋友推荐我投资{live.name}的产品")[0].entity == live
    assert build_demo_firms() == 0  # once only
