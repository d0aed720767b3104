"""Impressions per partner site (referring host) per day and widget; no personal data."""


def record(request, widget):
    """Count one view of ``widget`` for the host that framed it."""
