import pytest
from django.urls import reverse

from core.downloads import file_url
from core.notifications import Attachment, notification_send
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def message(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return notification_send(
            template="announcement", context={"title": "发票", "text": "见附件", "recipient_name": "甲"},
            user=user, channels=["site"], attachment=Attachment("2026年会费发票.pdf", b"%PDF-1.7 invoice"),
        )


def _login(client, user):
    client.post(reverse("account_login"), {"login": user.mobile, "password": PASSWORD})


def test_recipient_downloads_the_attachment_with_safe_headers(client, user, message):
    _login(client, user)
    response = client.get(file_url(message, "attachment"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 invoice"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''2026%E5%B9%B4" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


def test_another_user_gets_not_found(client, other_user, message):
    _login(client, other_user)
    assert client.get(file_url(message, "attachment")).status_code == 404


def test_anonymous_is_sent_to_login(client, message):
    response = client.get(file_url(message, "attachment"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_unregistered_models_and_fields_are_not_served(client, user, message):
    _login(client, user)
    assert client.get(reverse("core:download", args=["core.message", message.pk, "body"])).status_code == 404
    assert client.get(reverse("core:download", args=["accounts.user", user.pk, "password"])).status_code == 404


def test_staff_with_the_view_permission_may_download(client, message):
    from django.contrib.auth.models import Permission

    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_message"))
    _login(client, staff)
    assert client.get(file_url(message, "attachment")).status_code == 200


def test_production_hands_the_body_to_nginx(client, user, message, settings):
    settings.PRIVATE_MEDIA_X_ACCEL_PREFIX = "/protected/"
    _login(client, user)
    response = client.get(file_url(message, "attachment"))
    assert response["X-Accel-Redirect"] == f"/protected/{message.attachment.name}"
    assert response.content == b""
    assert response["Content-Disposition"].startswith("attachment;")


def test_there_is_no_direct_url_to_stored_files(client, user, message):
    _login(client, user)
    assert client.get(f"/media/{message.attachment.name}").status_code == 404
