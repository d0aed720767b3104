import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _isolated_cache_and_outbox():
    """Each test starts with an empty cache and an empty SMS outbox (as Django empties
    ``mail.outbox``)."""
    from campaigns.sms.sending.backends import locmem

    cache.clear()
    locmem.outbox.clear()
    yield
    cache.clear()
    locmem.outbox.clear()
