"""Encryption of reporters' identities at rest: ``cryptography``'s Fernet, keys from settings.

``TIPOFF_ENCRYPTION_KEYS`` lists Fernet keys, newest first. MultiFernet encrypts with the
first and decrypts with any, so a new key is added in front, ``rotate_tipoff_keys`` re-encrypts
every stored token with it, and the old key is removed afterwards (README, "Tip-off key
rotation"). Without keys (the embedded default) one key is derived from SECRET_KEY so
``make run`` works; production settings refuse to start without real keys.
"""

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _keys():
    keys = [k for k in getattr(settings, "TIPOFF_ENCRYPTION_KEYS", []) if k]
    if keys:
        return keys
    digest = hashlib.sha256(f"fangfei-tipoffs:{settings.SECRET_KEY}".encode()).digest()
    return [base64.urlsafe_b64encode(digest).decode()]


def fernet():
    """Return the MultiFernet of the configured keys (newest first)."""
    return MultiFernet([Fernet(k) for k in _keys()])


def seal(identity):
    """Return ``identity`` (a dict of short strings) as a Fernet token ("" for an empty one)."""
    clean = {k: v for k, v in (identity or {}).items() if v}
    if not clean:
        return ""
    return fernet().encrypt(json.dumps(clean, ensure_ascii=False).encode()).decode()


def unseal(token):
    """Return the identity dict inside ``token`` ({} for "" ).

    Raises InvalidToken when no configured key opens it (a key removed too early).
    """
    if not token:
        return {}
    return json.loads(fernet().decrypt(token.encode()).decode())


def rotate(token):
    """Return ``token`` re-encrypted with the newest key ("" stays "")."""
    return fernet().rotate(token.encode()).decode() if token else ""


__all__ = ["InvalidToken", "fernet", "rotate", "seal", "unseal"]
