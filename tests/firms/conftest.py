"""Firms fixtures: entities made as editors make them, through revisions."""

import datetime

from website.firms.codes import check_character
from website.firms.models import Entity, EntityKind


def kind(name):
    return EntityKind.objects.get(name=name)


def code(body17):
    """Return the valid credit code whose first 17 characters are ``body17``."""
    return body17 + check_character(body17)


def make_entity(name, list_name="警示名单", publish=True, **fields):
    """Create an entity on the list ``list_name``; published unless ``publish`` is false."""
    values = {
        "reason": "未经批准以养老服务为名吸收公众资金",
        "source": "示范市处非办风险提示",
        "source_date": datetime.date(2026, 3, 15),
    }
    values.update(fields)
    entity = Entity(name=name, kind=kind(list_name), live=False, **values)
    entity.save()
    revision = entity.save_revision()
    if publish:
        revision.publish()
        entity.refresh_from_db()
    return entity
