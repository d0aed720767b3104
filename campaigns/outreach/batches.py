"""Batches of print materials: every event of a campaign (not cancelled) × every material
marked ``batch`` (campaigns.outreach.materials), built by a Celery worker into one zip in
the private print storage. Each piece comes from the content-version store, so a second
batch of an unchanged campaign only zips files already made."""

import re
import tempfile
import zipfile

from django.core.files import File
from django.core.files.storage import storages
from django.db.models import F
from django.utils import timezone

from campaigns.models import OutreachEvent, PrintBatch
from campaigns.outreach import materials


def batch_events(campaign):
    """Return the campaign's events a batch prints: all but the cancelled, by start."""
    return (
        OutreachEvent.objects.filter(campaign=campaign)
        .exclude(status=OutreachEvent.Status.CANCELLED)
        .select_related("channel", "campaign")
        .order_by("start_at", "pk")
    )


def start(campaign, user=None):
    """Create a queued batch for ``campaign`` and hand it to a worker once the transaction
    commits; return the PrintBatch."""
    from campaigns.outreach.tasks import build_print_batch

    batch = PrintBatch.objects.create(campaign=campaign, requested_by=user)
    build_print_batch.delay_on_commit(batch.pk)
    return batch


def _folder(event):
    title = re.sub(r'[\\/:*?"<>|\s]+', "_", event.title)[:40]
    return f"{event.local_start:%Y%m%d}-{event.pk}-{title}"


def build(batch_id):
    """Build batch ``batch_id``: every piece, then the zip; progress is saved after each
    piece. Return the batch. A batch already done is left alone (a redelivered task does
    nothing twice); a failure marks it failed with the error and re-raises."""
    batch = PrintBatch.objects.select_related("campaign").get(pk=batch_id)
    if batch.status == PrintBatch.Status.DONE:
        return batch
    campaign = batch.campaign.specific
    events = list(batch_events(campaign))
    kinds = materials.batch_materials()
    PrintBatch.objects.filter(pk=batch.pk).update(
        status=PrintBatch.Status.RUNNING, total=len(events) * len(kinds), done=0, error=""
    )
    try:
        with tempfile.TemporaryFile() as spool:
            with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
                for event in events:
                    subject = materials.for_event(event)
                    for material in kinds:
                        if material.prepare is not None:
                            material.prepare(subject)
                        try:
                            data = materials.pdf_for(subject, material)
                        except materials.Unavailable as why:
                            # One missing piece (no quiz to draw from) must not sink the
                            # batch: the zip says what is missing and why.
                            name = f"{_folder(event)}/{material.key}-未生成.txt"
                            archive.writestr(name, f"{material.label}：{why}\n")
                        else:
                            archive.writestr(f"{_folder(event)}/{material.filename(subject)}", data)
                        PrintBatch.objects.filter(pk=batch.pk).update(done=F("done") + 1)
            spool.seek(0)
            name = f"batches/campaign-{campaign.pk}-batch-{batch.pk}.zip"
            storage = storages[materials.STORAGE]
            if storage.exists(name):
                storage.delete(name)
            name = storage.save(name, File(spool))
    except Exception as exc:
        PrintBatch.objects.filter(pk=batch.pk).update(
            status=PrintBatch.Status.FAILED, error=str(exc)[:200], finished_at=timezone.now()
        )
        raise
    PrintBatch.objects.filter(pk=batch.pk).update(
        status=PrintBatch.Status.DONE, file_name=name, finished_at=timezone.now()
    )
    batch.refresh_from_db()
    return batch


def open_zip(batch):
    """Return the batch's zip opened for reading from the print storage."""
    return storages[materials.STORAGE].open(batch.file_name, "rb")
