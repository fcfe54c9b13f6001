"""Private files on S3-compatible object storage (PRIVATE_STORAGE_URL), against a real S3 server
(SeaweedFS, tests/s3_server.py): an upload through a page lands in the bucket, a generated PDF
too; a download is answered only after the permission check, by a redirect to a short-lived
signed URL; the bucket refuses unsigned and expired requests."""
import time

import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from config.settings.storage import s3_storage
from core.models import Message
from purchasing.models import Licence
from purchasing.suppliers.tests.helpers import application_fields
from tests import s3_server
from tests.accounts.factories import UserFactory
from tests.core.files import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def s3():
    with s3_server.seaweedfs() as running:
        yield running


@pytest.fixture
def on_s3(settings, s3):
    settings.PRIVATE_STORAGE_URL = s3.url
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(s3.url, expire=settings.PRIVATE_URL_SECONDS)}
    return s3


def _message_with_pdf(user) -> Message:
    message = Message(recipient=user, subject="会员证书", body="附件为会员证书。")
    message.attachment_name = "会员证书.pdf"
    message.attachment.save("certificate.pdf", ContentFile(pdf_bytes()), save=False)
    message.save()
    return message


def test_a_generated_file_is_in_the_bucket_and_downloads_through_a_signed_redirect(on_s3):
    owner = UserFactory()
    message = _message_with_pdf(owner)
    stored = on_s3.client().get_object(Bucket=on_s3.bucket, Key=message.attachment.name)
    assert stored["Body"].read() == pdf_bytes()
    client = Client()
    client.force_login(owner)
    response = client.get(reverse("core:download", args=["core.message", message.pk, "attachment"]))
    assert response.status_code == 302 and response["Cache-Control"] == "private, no-store"
    signed = response["Location"]
    assert signed.startswith(on_s3.endpoint) and "X-Amz-Signature=" in signed and "X-Amz-Expires=60" in signed
    fetched = requests.get(signed, timeout=10)
    assert fetched.status_code == 200 and fetched.content == pdf_bytes()
    assert "attachment" in fetched.headers["Content-Disposition"] and fetched.headers["Content-Type"] == "application/pdf"


def test_no_one_else_gets_a_url_and_the_bucket_refuses_unsigned_and_expired_requests(on_s3, settings):
    owner = UserFactory()
    message = _message_with_pdf(owner)
    url = reverse("core:download", args=["core.message", message.pk, "attachment"])
    stranger = Client()
    stranger.force_login(UserFactory())
    refused = stranger.get(url)
    assert refused.status_code == 404 and "Location" not in refused
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
    assert requests.get(f"{on_s3.endpoint}/{on_s3.bucket}/{message.attachment.name}", timeout=10).status_code == 403
    settings.PRIVATE_URL_SECONDS = 1
    client = Client()
    client.force_login(owner)
    signed = client.get(url)["Location"]
    time.sleep(2.5)
    assert requests.get(signed, timeout=10).status_code == 403


def test_an_upload_through_a_page_lands_in_the_bucket_and_a_preview_is_streamed(on_s3):
    user = UserFactory()
    client = Client()
    client.force_login(user)
    response = client.post(reverse("purchasing:supplier_apply"), application_fields(
        business_file=SimpleUploadedFile("营业执照.pdf", pdf_bytes()),
        device_permit_file=SimpleUploadedFile("许可证.pdf", pdf_bytes())))
    assert response.status_code == 302, response.content.decode()[:1000]
    licence = Licence.objects.get(supplier__user=user, kind="business")
    objects = on_s3.client().list_objects_v2(Bucket=on_s3.bucket, Prefix="purchasing/")["Contents"]
    assert licence.file.name in {o["Key"] for o in objects}
    preview = client.get(reverse("core:download", args=["purchasing.licence", licence.pk, "file"]) + "?inline=1")
    assert preview.status_code == 200 and b"".join(preview.streaming_content) == pdf_bytes()
