"""Where evidence files live: a private directory outside MEDIA_ROOT, never served by the
web server. Staff read them through a permission-checked view (``evidence_file``)."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class EvidenceStorage(FileSystemStorage):
    """FileSystemStorage rooted at ``TIPOFF_EVIDENCE_ROOT``, read on every use (so a changed
    setting, e.g. in tests, takes effect), with no public URL."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.TIPOFF_EVIDENCE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("evidence files have no public URL")


def evidence_storage():
    """Return the private storage for evidence (a callable, so migrations stay free of it)."""
    return EvidenceStorage()
