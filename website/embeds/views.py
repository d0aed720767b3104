"""The framable widgets under /embed/."""

from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404("not built yet")


notices = kiosk = page_card = quiz_start = quiz_question = quiz_result = _todo
