"""The one sending layer: blasts, verification codes and reminders all go through here.

A gateway backend is chosen by a settings path (``SMS_BACKEND``), as Django chooses an
e-mail backend: ``console``, ``outbox`` (a file a person can read; the embedded default),
``locmem`` (tests), ``http`` (a real provider speaking JSON).
"""

import functools

from django.conf import settings
from django.utils.module_loading import import_string

from campaigns.sms.sending.base import Message, Result  # noqa: F401
from campaigns.sms.sending.ratelimit import acquire


@functools.cache
def _backend(path):
    return import_string(path)(**getattr(settings, "SMS_BACKEND_OPTIONS", {}))


def get_backend():
    """Return the configured gateway backend (one instance per process)."""
    return _backend(settings.SMS_BACKEND)


def send(messages):
    """Submit ``messages`` through the global rate limit; return one Result per message.

    Never raises for gateway trouble: transport errors come back as ``retry`` results.
    """
    backend = get_backend()
    results = []
    for start in range(0, len(messages), backend.batch_size):
        chunk = messages[start : start + backend.batch_size]
        acquire(len(chunk))
        results.extend(backend.send_batch(chunk))
    return results
