"""Where evidence files live: a private directory outside MEDIA_ROOT, never served by the
web server. Staff read them through a permission-checked view (``evidence_file``)."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def evidence_storage():
    """Return the private storage for evidence (``TIPOFF_EVIDENCE_ROOT``, under ``var/``).

    A callable, so the path is read from settings at run time and migrations stay free of it.
    """
    return FileSystemStorage(location=settings.TIPOFF_EVIDENCE_ROOT, base_url=None)
