"""Builders for subscribers and blasts."""

import itertools

from django.contrib.auth.models import User
from django.utils import timezone

from campaigns.models import SmsBlast, Subscriber
from tests.factories import staff  # noqa: F401 - part of this module's vocabulary
from website.taxonomy.models import Audience, Region

_numbers = itertools.count(13800000000)


def subscriber(audiences=("elderly",), region="430922100201", status="active", phone=None):
    person = Subscriber.objects.create(
        phone=phone or f"+86{next(_numbers)}",
        status=status,
        region=Region.objects.get(code=region) if region else None,
        confirmed_at=timezone.now() if status == "active" else None,
    )
    person.audiences.set(Audience.objects.filter(slug__in=audiences))
    return person


def blast(
    author=None,
    approver=None,
    audiences=(),
    regions=(),
    body="警惕以养老服务为名的非法集资。",
    status=None,
    **kw,
):
    author = author or User.objects.filter(username="author").first() or staff("author", "编辑")
    b = SmsBlast.objects.create(title="测试群发", body=body, created_by=author, **kw)
    b.audiences.set(Audience.objects.filter(slug__in=audiences))
    b.regions.set(Region.objects.filter(code__in=regions))
    if status:
        SmsBlast.objects.filter(pk=b.pk).update(status=status, approved_by=approver)
        b.refresh_from_db()
    return b


def many_subscribers(n, audience="elderly", region="430922100201", start=13900000000):
    """Create ``n`` active subscribers fast (bulk inserts); return their phones in id order."""
    from campaigns.models.subscribers import new_unsubscribe_token

    region_obj = Region.objects.get(code=region)
    now = timezone.now()
    people = Subscriber.objects.bulk_create(
        [
            Subscriber(
                phone=f"+86{start + i}",
                status="active",
                region=region_obj,
                confirmed_at=now,
                unsubscribe_token=new_unsubscribe_token(),
            )
            for i in range(n)
        ],
        batch_size=1000,
    )
    through = Subscriber.audiences.through
    audience_id = Audience.objects.get(slug=audience).pk
    ids = list(
        Subscriber.objects.filter(phone__in=[p.phone for p in people]).values_list("pk", flat=True)
    )
    through.objects.bulk_create(
        [through(subscriber_id=i, audience_id=audience_id) for i in ids], batch_size=1000
    )
    return [p.phone for p in people]


def approved_blast_for(audience="elderly", body="警惕以养老服务为名的非法集资。"):
    """A blast approved under the two-person rule, as the admin would leave it."""
    from campaigns.sms import blast_actions

    author = User.objects.filter(username="author").first() or staff("author", "编辑")
    reviewer = User.objects.filter(username="reviewer").first() or staff("reviewer", "审核员")
    b = blast(author=author, audiences=[audience], body=body)
    blast_actions.submit(b, author)
    return blast_actions.approve(b, reviewer, fingerprint=b.fingerprint())
