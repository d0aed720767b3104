import pytest
from django.test import override_settings

from tests.campaigns.outreach.print_fixtures import make_content, storage_settings


@pytest.fixture
def print_storage(tmp_path):
    """A private print storage of this test's own."""
    with override_settings(STORAGES=storage_settings(tmp_path / "print")):
        yield tmp_path / "print"


@pytest.fixture
def print_content(print_storage):
    return make_content()
