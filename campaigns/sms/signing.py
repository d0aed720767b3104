"""HMAC signatures for requests to the gateway and for the gateway's webhooks to us.

The signed string is ``"{timestamp}.{body}"``; a timestamp outside the tolerance is refused,
so a captured request cannot be replayed later.
"""

import hashlib
import hmac
import time

TIMESTAMP_HEADER = "X-Fangfei-Timestamp"
SIGNATURE_HEADER = "X-Fangfei-Signature"


def sign(body, secret, timestamp=None):
    """Return the headers that sign ``body`` (bytes) with ``secret``."""
    timestamp = str(int(timestamp if timestamp is not None else time.time()))
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: digest.hexdigest()}


def verify(body, timestamp, signature, secret, tolerance=300, now=None):
    """Return True when ``signature`` is valid for ``body`` and the timestamp is fresh."""
    if not (secret and timestamp and signature):
        return False
    try:
        age = abs((now if now is not None else time.time()) - int(timestamp))
    except (TypeError, ValueError):
        return False
    if age > tolerance:
        return False
    expected = sign(body, secret, timestamp)[SIGNATURE_HEADER]
    # Bytes, not str: compare_digest refuses non-ASCII strings with a TypeError.
    return hmac.compare_digest(expected.encode(), str(signature).encode("utf-8", "replace"))
