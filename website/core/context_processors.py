from .display_mode import is_elder_mode


def display_mode(request):
    """Expose ``elder_mode`` to every template."""
    return {"elder_mode": is_elder_mode(request)}
