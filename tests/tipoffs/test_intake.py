"""The public 我要举报 form: intake, prefill contract, evidence checks, receipt and status."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image
from taggit.models import Tag

from campaigns.models import Subscriber, VerificationCode
from campaigns.sms.sending.backends import locmem
from tests.factories import notice
from tests.tipoffs.helpers import (
    DONE,
    NEW,
    PHONE_URL,
    STATUS,
    form_data,
    jpeg_with_gps,
    make_report,
    pdf,
)
from website.tipoffs import services
from website.tipoffs.models import Evidence, Report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_evidence(settings, tmp_path):
    settings.TIPOFF_EVIDENCE_ROOT = tmp_path / "evidence"


def test_form_page_renders_every_field_without_javascript(client):
    response = client.get(NEW)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in html
    for name in ("what_happened", "firm_name", "pitch", "region", "channel", "evidence", "phone"):
        assert f'name="{name}"' in html
    assert "<script" not in html.split("<main", 1)[1]


def test_prefill_by_pretext_and_page(client):
    tag, _ = Tag.objects.get_or_create(name="养老服务", defaults={"slug": "yang-lao"})
    page = notice("以养老为名的集资")
    html = client.get(NEW, {"pretext": tag.slug, "page": page.pk}).content.decode()
    assert f'<option value="{tag.slug}" selected>' in html
    assert page.title in html
    assert f'name="page" value="{page.pk}"' in html


@pytest.mark.parametrize(
    "query",
    [{"pretext": "nope", "page": "99999"}, {"page": "abc"}, {"page": "-1"}, {"pretext": "x" * 500}],
)
def test_unknown_prefill_values_are_ignored(client, query):
    response = client.get(NEW, query)
    assert response.status_code == 200


def test_handover_from_checker_prefills_pitch_and_saves_nothing(client):
    response = client.post(NEW, {"handover": "1", "pitch": "月息三分，保本保息，拉人有奖"})
    assert response.status_code == 200
    assert "月息三分，保本保息，拉人有奖" in response.content.decode()
    assert "error-summary" not in response.content.decode()
    assert Report.objects.count() == 0


def test_handover_needs_csrf(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(NEW, {"handover": "1", "pitch": "x"}).status_code == 403


def test_happy_path_gives_reference_and_secret_once(client):
    response = client.post(NEW, form_data(evidence=[pdf()]))
    assert response.status_code == 302 and response.url == DONE
    html = client.get(DONE).content.decode()
    ref = re.search(r"JB-\d{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", html).group()
    secret = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}(?!-)", html.split("查询密码", 1)[1])
    report = Report.objects.get()
    assert report.reference == ref
    assert secret.group() not in report.secret_digest
    assert report.evidence.count() == 1
    # Shown once: a reload no longer shows the secret.
    assert secret.group() not in client.get(DONE).content.decode()


def test_missing_fields_give_chinese_errors_and_store_nothing(client):
    response = client.post(NEW, {"anonymous": "0", "evidence": [pdf()]})
    html = response.content.decode()
    assert response.status_code == 400
    assert "请写一写发生了什么" in html and "请选择对方接触您的方式" in html
    assert "实名举报请填写姓名" in html
    assert Report.objects.count() == 0 and Evidence.objects.count() == 0


def test_disguised_file_is_refused_and_nothing_is_kept(client, settings):
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/jpeg")
    response = client.post(NEW, form_data(evidence=[pdf(), fake]))
    assert response.status_code == 400
    assert "不是能接收的图片、PDF 或录音" in response.content.decode()
    assert Report.objects.count() == 0
    root = settings.TIPOFF_EVIDENCE_ROOT
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))


def test_oversized_file_is_refused_with_the_cap_in_the_message(client, settings):
    settings.TIPOFF_MAX_FILE_BYTES = 1024 * 1024
    big = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10))
    response = client.post(NEW, form_data(evidence=[big]))
    assert response.status_code == 400
    assert "不能超过 1 MB" in response.content.decode()
    assert Report.objects.count() == 0


def test_too_many_files_are_refused(client, settings):
    settings.TIPOFF_MAX_FILES = 2
    response = client.post(NEW, form_data(evidence=[pdf(), pdf(), pdf()]))
    assert "最多只能上传 2 个文件" in response.content.decode()
    assert Report.objects.count() == 0


def test_images_lose_exif_and_gps_on_upload(client):
    client.post(NEW, form_data(evidence=[jpeg_with_gps()]))
    item = Evidence.objects.get()
    with item.file.open("rb") as fh:
        data = fh.read()
    assert b"SecretCam" not in data
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        assert not exif.get(0x010F)
        assert not exif.get_ifd(0x8825)
    assert item.kind == "image"


def test_evidence_is_stored_outside_public_media(client, settings):
    client.post(NEW, form_data(evidence=[pdf()]))
    path = Evidence.objects.get().file.path
    assert str(settings.TIPOFF_EVIDENCE_ROOT) in path
    assert str(settings.MEDIA_ROOT) not in path
    assert "contract" not in path  # the reporter's file name is not kept


def test_identity_is_encrypted_in_the_raw_row():
    report, _secret = make_report(
        anonymous=False, name="王秀英", phone="+8613912345678", contact="wxy@example.cn"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM tipoffs_report WHERE id = %s", [report.pk])
        raw = " ".join(str(v) for v in cursor.fetchone())
    for clear in ("王秀英", "13912345678", "wxy@example.cn", "\\u738b"):
        assert clear not in raw
    assert services.identity_of(Report.objects.get()) == {
        "name": "王秀英",
        "phone": "+8613912345678",
        "contact": "wxy@example.cn",
    }


def test_status_page_shows_only_status_and_date(client):
    report, secret = make_report(pitch="内部细节不应出现")
    html = client.post(STATUS, {"reference": report.reference.lower(), "secret": secret}).content
    html = html.decode()
    assert "受理登记" in html
    assert "内部细节不应出现" not in html and report.firm_name not in html


def _body(response):
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'value="[^"]*"', "", html)


def test_status_page_answers_the_same_for_wrong_reference_and_wrong_secret(client):
    report, secret = make_report()
    other, _ = make_report()
    wrong_secret = client.post(STATUS, {"reference": report.reference, "secret": "2222-2222-2222"})
    wrong_ref = client.post(STATUS, {"reference": "JB-2026-2222-2222", "secret": secret})
    crossed = client.post(STATUS, {"reference": other.reference, "secret": secret})
    assert wrong_secret.status_code == wrong_ref.status_code == crossed.status_code == 400
    assert _body(wrong_secret) == _body(wrong_ref) == _body(crossed)
    assert "举报编号或查询密码不对" in wrong_ref.content.decode()


def test_status_checks_are_rate_limited(client, settings):
    settings.TIPOFF_RATES = {"status-ip": (3, 3600), "status-session": (100, 3600)}
    for _ in range(3):
        client.post(STATUS, {"reference": "JB-2026-2222-2222", "secret": "x"})
    response = client.post(STATUS, {"reference": "JB-2026-2222-2222", "secret": "x"})
    assert response.status_code == 429 and "Retry-After" in response


def test_a_flood_is_throttled_without_blocking_an_honest_reporter_elsewhere(client, settings):
    from django.test import Client

    settings.TIPOFF_RATES = {"submit-ip": (3, 3600), "submit-session": (100, 3600)}
    for _ in range(3):
        assert client.post(NEW, form_data(), REMOTE_ADDR="10.1.1.1").status_code == 302
    flood = client.post(NEW, form_data(), REMOTE_ADDR="10.1.1.1")
    assert flood.status_code == 429
    assert "提交得太频繁" in flood.content.decode()
    assert Client().post(NEW, form_data(), REMOTE_ADDR="10.2.2.2").status_code == 302
    assert Report.objects.count() == 4


def test_phone_is_confirmed_by_code_without_subscribing(client):
    client.post(NEW, form_data(phone="139 1234 5678"))
    client.get(DONE)
    assert client.post(PHONE_URL, {"action": "send"}).status_code == 200
    (message,) = locmem.outbox
    assert message.to == "+8613912345678" and "举报" in message.text
    code = re.search(r"\d{6}", message.text).group()
    wrong = client.post(
        PHONE_URL, {"action": "verify", "code": "000000" if code != "000000" else "111111"}
    )
    assert wrong.status_code == 400
    done = client.post(PHONE_URL, {"action": "verify", "code": code})
    assert "手机号已确认" in done.content.decode()
    assert Report.objects.get().phone_confirmed
    assert not Subscriber.objects.exists()
    assert VerificationCode.objects.get().payload == {"purpose": "tipoff"}


def test_a_tipoff_code_cannot_confirm_a_subscription(client):
    client.post(NEW, form_data(phone="13912345678"))
    client.get(DONE)
    client.post(PHONE_URL, {"action": "send"})
    code = re.search(r"\d{6}", locmem.outbox[-1].text).group()
    client.session["campaigns_sms_signup"] = {"phone": "+8613912345678"}
    from campaigns.sms import subscriptions

    outcome = subscriptions.confirm_code("+8613912345678", code, "10.0.0.1")
    assert not outcome.ok and not Subscriber.objects.exists()


def test_one_number_cannot_flood_reports_from_many_addresses(settings):
    from django.test import Client

    settings.TIPOFF_RATES = {"submit-phone": (2, 86400)}
    for i in range(2):
        response = Client().post(NEW, form_data(phone="13912345678"), REMOTE_ADDR=f"10.9.0.{i}")
        assert response.status_code == 302
    response = Client().post(NEW, form_data(phone="13912345678"), REMOTE_ADDR="10.9.0.9")
    assert response.status_code == 429
    assert Report.objects.count() == 2
