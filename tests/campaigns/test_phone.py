"""Keys derived from phone numbers: keyed, salted for their purpose, never the number."""

import hashlib

from django.utils.crypto import salted_hmac

from campaigns.phone import PHONE_KEY_SALT, phone_key

E164 = "+8613912345678"


def test_phone_key_is_a_salted_hmac_of_the_number():
    key = phone_key(E164)
    assert len(key) == 24 and int(key, 16) >= 0
    assert "13912345678" not in key
    assert key == salted_hmac(PHONE_KEY_SALT, E164, algorithm="sha256").hexdigest()[:24]
    assert phone_key(E164) == key  # stable: rate-limit counters find it again


def test_phone_key_depends_on_the_secret_key(settings):
    before = phone_key(E164)
    settings.SECRET_KEY = "another-secret-another-secret-another-secret-xyz"
    assert phone_key(E164) != before


def test_phone_key_cannot_be_guessed_from_the_number_alone():
    # Without SECRET_KEY, hashing every mobile number would reverse an unkeyed hash.
    assert phone_key(E164) != hashlib.sha256(E164.encode()).hexdigest()[:24]
