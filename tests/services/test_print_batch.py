"""A campaign's print batch built by a real Celery worker (PostgreSQL, Redis broker): the
admin starts it, polls its progress, downloads one zip of every event's pieces; every PDF in
it carries its event's Chinese title and a QR code that a real decoder reads and that leads,
counted, through our short link. A second batch reuses every stored piece. Every material
of every subject is also rendered to PNG under test-artifacts/print/ for people to look at."""

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pypdf
import pypdfium2
import pytest
import zxingcpp
from django.conf import settings
from django.test import override_settings

from campaigns.models import PrintBatch
from campaigns.outreach import materials
from tests import factories
from tests.campaigns.outreach import factories as of
from tests.campaigns.outreach.print_fixtures import make_content, storage_settings
from tests.services.harness import ARTIFACTS, Cluster, wait_for
from website.shortlinks import service as shortlinks

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PRINT_ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "print"


@pytest.fixture(autouse=True)
def services_only():
    if not os.environ.get("FANGFEI_SERVICES"):
        pytest.skip("services tier only")


@pytest.fixture
def print_dir():
    folder = ARTIFACTS / "var-print-batch" / "print"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with override_settings(STORAGES=storage_settings(folder)):
        yield folder


def qr_of(pdf_bytes):
    document = pypdfium2.PdfDocument(pdf_bytes)
    image = document[len(document) - 1].render(scale=150 / 72).to_pil()
    found = zxingcpp.read_barcodes(image)
    assert found, "no QR code found"
    return found[0].text


def test_a_worker_builds_a_campaign_batch_and_its_qr_codes_count(print_dir, client):
    content = make_content()
    campaign = content["campaign"]
    events = [content["event"], of.event(campaign, title="桃江一中防非讲座", channel_name="学校")]
    client.force_login(factories.staff("bianji", "编辑"))

    with Cluster("print-batch", FANGFEI_PRINT_DIR=str(print_dir)) as cluster:
        cluster.start_worker()
        response = client.post(f"/admin/outreach-tools/print/campaign/{campaign.pk}/batch/")
        batch = PrintBatch.objects.get()
        assert response["Location"].endswith(f"/print/batches/{batch.pk}/")
        progress_url = f"/admin/outreach-tools/print/batches/{batch.pk}/progress/"
        # Generous: on a busy two-core CI machine one A4 page can take a minute to set.
        assert wait_for(lambda: client.get(progress_url).json()["finished"], timeout=1800)
        progress = client.get(progress_url).json()
        assert progress["status"] == "done" and progress["percent"] == 100
        assert progress["done"] == progress["total"] == 2 * len(materials.batch_materials())

        download = client.get(f"/admin/outreach-tools/print/batches/{batch.pk}/download/")
        archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
        names = archive.namelist()
        assert len(names) == progress["total"]
        for event in events:
            posters = [n for n in names if f"-{event.pk}-" in n and n.endswith("poster-a4.pdf")]
            data = archive.read(posters[0])
            text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
            assert event.title in text.replace("\n", "")
            url = qr_of(data)
            followed = client.get(urlsplit(url).path)
            assert followed.status_code == 302 and followed["Location"] == campaign.url
        assert shortlinks.counts("event", [e.pk for e in events]) == {e.pk: 1 for e in events}

        # Every piece is stored by content version: a second batch renders nothing new.
        stored = sorted(p.name for p in print_dir.rglob("*.pdf"))
        for event in events:
            subject = materials.for_event(event)
            # The page pieces; the paper quiz has its own tests (tests/campaigns/outreach).
            pieces = [m for m in materials.batch_materials() if m.template]
            assert all(materials.is_cached(subject, m) for m in pieces)
        client.post(f"/admin/outreach-tools/print/campaign/{campaign.pk}/batch/")
        second = PrintBatch.objects.exclude(pk=batch.pk).get()
        assert wait_for(lambda: PrintBatch.objects.get(pk=second.pk).finished, timeout=600)
        assert sorted(p.name for p in print_dir.rglob("*.pdf")) == stored


def test_every_material_renders_for_people_to_look_at(print_dir):
    """Writes test-artifacts/print/<subject>-<material>.pdf and its pages as PNG."""
    content = make_content()
    PRINT_ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for kind in materials.ALL_KINDS:
        subject = materials.subject_for(kind, content[kind].pk)
        for key, material in materials.MATERIALS.items():
            # The page pieces; the paper quiz has its own tests (tests/campaigns/outreach).
            if kind not in material.kinds or not material.template:
                continue
            data = materials.pdf_for(subject, material)
            text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
            assert subject.title in text.replace("\n", "")
            assert qr_of(data) == shortlinks.short_url(subject.link)
            target = PRINT_ARTIFACTS / f"{kind}-{key}.pdf"
            target.write_bytes(data)
            if shutil.which("pdftoppm"):
                subprocess.run(
                    ["pdftoppm", "-r", "60", "-png", str(target), str(target.with_suffix(""))],
                    check=True,
                )
