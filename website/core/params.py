"""Reading query-string parameters that may hold anything a visitor or a bot types."""

import unicodedata


def clean_param(value, max_length=100):
    """Return ``value`` stripped of control characters (NUL breaks PostgreSQL) and cut to
    ``max_length``; None or a non-string gives "".
    """
    if not isinstance(value, str):
        return ""
    cleaned = "".join(ch for ch in value if unicodedata.category(ch)[0] != "C")
    return cleaned.strip()[:max_length]
