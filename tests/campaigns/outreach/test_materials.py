"""Print materials: every piece for every subject is a PDF with the Chinese title in it, a
QR code a real decoder reads and that leads, counted, through our short link; pieces are
cached by content version; staff download them with permission only."""

import dataclasses
import io
import zipfile
from urllib.parse import urlsplit

import pypdf
import pypdfium2
import pytest
import zxingcpp
from django.core.files.storage import storages
from django.test import Client

from campaigns.models import PrintBatch
from campaigns.outreach import materials, planning
from tests import factories
from website.shortlinks import service as shortlinks

pytestmark = pytest.mark.django_db

# One piece per subject kind, each material once (the whole matrix is rendered, to PNG too,
# by tests/services/test_print_batch.py).
PAIRS = [
    ("notice", "board"),
    ("case", "leaflet"),
    ("campaign", "poster-a3"),
    ("event", "poster-a4"),
]


def pdf_text(data):
    reader = pypdf.PdfReader(io.BytesIO(data))
    return reader, "".join(page.extract_text() for page in reader.pages)


def decode_qr(data):
    """Return the text of the QR code on the PDF's last page, rendered at 150 dpi."""
    document = pypdfium2.PdfDocument(data)
    image = document[len(document) - 1].render(scale=150 / 72).to_pil()
    found = zxingcpp.read_barcodes(image)
    assert found, "no QR code found"
    return found[0].text


def subject(content, kind):
    obj = content[kind]
    return materials.subject_for(kind, obj.pk)


@pytest.mark.parametrize("kind,key", PAIRS)
def test_each_material_is_a_pdf_with_its_chinese_title(print_content, kind, key):
    piece = subject(print_content, kind)
    data = materials.pdf_for(piece, materials.MATERIALS[key])
    reader, text = pdf_text(data)
    assert data.startswith(b"%PDF")
    assert piece.title in text.replace("\n", "")
    assert reader.metadata.title == piece.title
    assert "0737-1234567" in text
    # A real decoder reads the QR code, and following it is counted and redirected.
    url = decode_qr(data)
    assert url == shortlinks.short_url(piece.link)
    response = Client().get(urlsplit(url).path)
    assert response.status_code == 302
    assert response["Location"] == (
        print_content[kind].url if kind != "event" else print_content["campaign"].url
    )
    label = {"notice": "page", "case": "page"}.get(kind, kind)
    assert shortlinks.counts(label, [piece.obj.pk]) == {piece.obj.pk: 1}


def test_a_campaign_piece_for_a_channel_counts_for_that_channel(print_content):
    piece = materials.subject_for("campaign", print_content["campaign"].pk, "xuexiao")
    assert piece.link.channel == "xuexiao"
    shortlinks.record_visit(piece.link.code)
    assert shortlinks.channel_counts("campaign", piece.obj.pk) == {"xuexiao": 1}


def test_a_second_download_comes_from_the_store_and_an_edit_makes_a_new_one(print_content):
    rendered = []

    def counting(piece, material):
        rendered.append(piece.key)
        return f"%PDF-fake {piece.version} {piece.facts}".encode()

    material = dataclasses.replace(materials.MATERIALS["leaflet"], render=counting)
    event = print_content["event"]
    first = materials.pdf_for(materials.for_event(event), material)
    again = materials.pdf_for(materials.for_event(event), material)
    assert first == again and len(rendered) == 1
    event.venue = "桃花江镇文化站"
    event.save()
    changed = materials.for_event(event)
    assert not materials.is_cached(changed, material)
    assert "桃花江镇文化站".encode() in materials.pdf_for(changed, material)
    assert len(rendered) == 2
    # Only the current version is kept.
    assert len(storages["print"].listdir(changed.key)[1]) == 1


def test_chinese_lines_never_start_with_closing_punctuation(print_content):
    piece = subject(print_content, "case")
    piece.story = "合作社以入股分红为名，向村民吸收资金。" * 12
    data = materials.render_pdf(
        materials.MATERIALS["leaflet"].template,
        materials.context_for(piece, materials.MATERIALS["leaflet"]),
    )
    lines = pdf_text(data)[1].splitlines()
    assert len(lines) > 10
    assert not [line for line in lines if line[:1] in "，。、；：！？）」"]


# -- staff pages --------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def quick_render(request, monkeypatch):
    """The staff pages' tests need the bytes, not the typesetting (tested above and in the
    services tier): skip WeasyPrint there."""
    if "editor_client" in request.fixturenames or "client" in request.fixturenames:
        monkeypatch.setattr(
            materials, "render_pdf", lambda name, context: f"%PDF-fake {name}".encode()
        )


@pytest.fixture
def editor_client(client):
    client.force_login(factories.staff("bianji", "编辑"))
    return client


def test_staff_download_a_piece_and_see_scans_beside_attendance(print_content, editor_client):
    event = print_content["event"]
    event.attendance = 45
    event.save()
    piece = materials.for_event(event)
    for _ in range(3):
        shortlinks.record_visit(piece.link.code)
    page = editor_client.get(f"/admin/outreach-tools/print/event/{event.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and "<svg" in text
    assert "<dd data-scans>3</dd>" in text and "45" in text
    pdf = editor_client.get(f"/admin/outreach-tools/print/event/{event.pk}/poster-a4.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    # The event's edit page offers the pieces.
    edit = editor_client.get(f"/admin/outreach/events/edit/{event.pk}/").content.decode()
    assert f"/admin/outreach-tools/print/event/{event.pk}/" in edit


def test_the_page_header_menu_offers_the_pieces_of_a_notice(print_content, editor_client):
    notice = print_content["notice"]
    edit = editor_client.get(f"/admin/pages/{notice.pk}/edit/").content.decode()
    assert f"/admin/outreach-tools/print/notice/{notice.pk}/" in edit
    listing = editor_client.get(f"/admin/outreach-tools/print/notice/{notice.pk}/")
    assert listing.status_code == 200 and notice.title in listing.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/outreach-tools/print/event/999999/",
        "/admin/outreach-tools/print/notice/999999/",
        "/admin/outreach-tools/print/planet/1/",
        "/admin/outreach-tools/print/event/{event}/nothing.pdf",
        "/admin/outreach-tools/print/campaign/{campaign}/?channel=%00junk",
        "/admin/outreach-tools/print/batches/999999/",
    ],
)
def test_junk_addresses_are_refused_not_errors(print_content, editor_client, path):
    path = path.format(event=print_content["event"].pk, campaign=print_content["campaign"].pk)
    assert editor_client.get(path).status_code in (403, 404)


def test_people_without_the_permission_get_nothing(print_content, client):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("outsider", password="x-123456789", is_staff=True))
    event, notice = print_content["event"], print_content["notice"]
    for path in (
        f"/admin/outreach-tools/print/event/{event.pk}/poster-a4.pdf",
        f"/admin/outreach-tools/print/notice/{notice.pk}/board.pdf",
    ):
        assert client.get(path).status_code in (302, 403)


def test_the_campaign_report_shows_scans_beside_attendance(print_content, editor_client):
    event = print_content["event"]
    for _ in range(2):
        shortlinks.record_visit(materials.for_event(event).link.code)
    cov = planning.campaign_coverage(print_content["campaign"])
    assert cov.grand_total().scans == 2
    table = planning.report_table(cov)
    assert "扫码次数" in table.rows[1]
    report = editor_client.get(f"/admin/outreach-tools/reports/{print_content['campaign'].pk}/")
    assert "扫码 2 次" in report.content.decode()


def test_a_batch_zips_every_event_piece(
    print_content, editor_client, django_capture_on_commit_callbacks, monkeypatch
):
    from django.db import transaction

    from campaigns.outreach import tasks

    # The task runs here, after the commit as the view asks, in both tiers (the services
    # tier's Celery is not eager; a real worker builds a batch in tests/services).
    monkeypatch.setattr(
        tasks.build_print_batch,
        "delay_on_commit",
        lambda pk: transaction.on_commit(lambda: tasks.build_print_batch.apply(args=[pk])),
    )
    campaign = print_content["campaign"]
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(f"/admin/outreach-tools/print/campaign/{campaign.pk}/batch/")
    batch = PrintBatch.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/batches/{batch.pk}/")
    assert batch.status == "done" and batch.done == batch.total == len(materials.batch_materials())
    progress = editor_client.get(f"/admin/outreach-tools/print/batches/{batch.pk}/progress/").json()
    assert progress["percent"] == 100 and progress["finished"]
    download = editor_client.get(f"/admin/outreach-tools/print/batches/{batch.pk}/download/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = archive.namelist()
    assert len(names) == batch.total
    # The campaign has no quiz, so its event's paper quiz cannot be drawn: the zip says so
    # instead of failing the whole batch.
    missing = [n for n in names if not n.endswith(".pdf")]
    assert [n.rsplit("/", 1)[1] for n in missing] == ["paper-quiz-未生成.txt"]
    assert "纸质测试卷" in archive.read(missing[0]).decode()
