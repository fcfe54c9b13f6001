"""The SMS providers through their official SDKs, against local stand-ins that speak each API
(tests/core/provider_servers.py): a notification goes out as the configured template with its
parameters and the provider's id is kept; a refusal is recorded and not retried; throttling is
recorded and retried; a notification without a template is refused."""
import json

import pytest

from core import notifications, sms
from core.models import Delivery
from core.sms_providers import AliyunSmsBackend
from tests.accounts.factories import UserFactory

from . import provider_servers

pytestmark = pytest.mark.django_db

TEMPLATES = {
    "member_certificate": {"code": "SMS_468210001", "params": {"no": "{{ term.certificate_no }}",
                                                               "end": "{{ term.end }}"}},
    "verification_code": {"code": "SMS_468210002", "params": {"code": ""}},
}


class Term:
    certificate_no, end = "DW2026000123-01", "2027-12-04"


def _notify(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        notifications.notification_send(template="member_certificate", user=user, channels=["sms"],
                                        context={"member": user, "term": Term()})
    return Delivery.objects.get(channel="sms")


@pytest.fixture
def provider_aliyun(settings):
    """Alibaba Cloud's SDK pointed at its stand-in; the test sets the stand-in's answer."""
    with provider_servers.serving(provider_servers.aliyun_ok) as (address, provider):
        settings.SMS_BACKEND = "core.sms_providers.AliyunSmsBackend"
        settings.SMS_TEMPLATES = TEMPLATES
        settings.SMS_ALIYUN_ACCESS_KEY_ID, settings.SMS_ALIYUN_ACCESS_KEY_SECRET = "LTAI-test", "secret-test"
        settings.SMS_ALIYUN_ENDPOINT = address
        yield provider


@pytest.fixture
def provider_tencent(settings):
    with provider_servers.serving(provider_servers.tencent_ok) as (address, provider):
        settings.SMS_BACKEND = "core.sms_providers.TencentSmsBackend"
        settings.SMS_TEMPLATES = TEMPLATES
        settings.SMS_TENCENT_SECRET_ID, settings.SMS_TENCENT_SECRET_KEY = "AKID-test", "secret-test"
        settings.SMS_TENCENT_SDK_APP_ID = "1400000001"
        settings.SMS_TENCENT_ENDPOINT = address
        yield provider


def test_alibaba_cloud_sends_the_template_with_its_parameters(provider_aliyun, django_capture_on_commit_callbacks):
    user = UserFactory()
    delivery = _notify(user, django_capture_on_commit_callbacks)
    assert delivery.params == {"no": "DW2026000123-01", "end": "2027-12-04"}
    assert notifications.delivery_send(delivery_id=delivery.pk) is True
    request = provider_aliyun.requests[0]
    sent = request["query"]
    assert request["headers"]["x-acs-action"] == "SendSms" and sent["PhoneNumbers"] == user.mobile
    assert sent["SignName"] == "中国非公立医疗机构协会" and sent["TemplateCode"] == "SMS_468210001"
    assert json.loads(sent["TemplateParam"]) == {"no": "DW2026000123-01", "end": "2027-12-04"}
    assert request["headers"]["Authorization"].startswith("ACS3-HMAC-SHA256 Credential=LTAI-test,")  # signed
    delivery.refresh_from_db()
    assert (delivery.status, delivery.provider_id) == ("sent", "900619746936498440^0")


def test_alibaba_cloud_refusal_is_final_and_throttling_is_retried(provider_aliyun, django_capture_on_commit_callbacks):
    provider_aliyun.answer = provider_servers.aliyun_refused
    delivery = _notify(UserFactory(), django_capture_on_commit_callbacks)
    assert notifications.delivery_send(delivery_id=delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.status == "failed" and "isv.SMS_TEMPLATE_ILLEGAL" in delivery.last_error
    provider_aliyun.answer = provider_servers.aliyun_throttled
    Delivery.objects.all().delete()
    delivery = _notify(UserFactory(), django_capture_on_commit_callbacks)
    with pytest.raises(notifications.DeliveryError):
        notifications.delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.attempts == 1 and "BUSINESS_LIMIT_CONTROL" in delivery.last_error


def test_tencent_cloud_sends_the_template_with_its_parameters_in_order(provider_tencent, django_capture_on_commit_callbacks):
    user = UserFactory()
    delivery = _notify(user, django_capture_on_commit_callbacks)
    assert notifications.delivery_send(delivery_id=delivery.pk) is True
    request = provider_tencent.requests[0]
    assert request["headers"]["X-TC-Action"] == "SendSms" and "TC3-HMAC-SHA256" in request["headers"]["Authorization"]
    assert request["json"]["PhoneNumberSet"] == [f"+86{user.mobile}"]
    assert request["json"]["TemplateId"] == "SMS_468210001" and request["json"]["SmsSdkAppId"] == "1400000001"
    assert request["json"]["TemplateParamSet"] == ["DW2026000123-01", "2027-12-04"]
    delivery.refresh_from_db()
    assert delivery.provider_id == "5000:1045710669157053657849499619"


def test_tencent_cloud_refusal_is_final_and_a_rate_limit_is_retried(provider_tencent, django_capture_on_commit_callbacks):
    provider_tencent.answer = provider_servers.tencent_refused
    delivery = _notify(UserFactory(), django_capture_on_commit_callbacks)
    assert notifications.delivery_send(delivery_id=delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.status == "failed" and "TemplateIncorrectOrUnapproved" in delivery.last_error
    provider_tencent.answer = provider_servers.tencent_limited
    Delivery.objects.all().delete()
    delivery = _notify(UserFactory(), django_capture_on_commit_callbacks)
    with pytest.raises(notifications.DeliveryError):
        notifications.delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "pending" and "PhoneNumberOneHourLimit" in delivery.last_error


def test_a_notification_without_a_template_is_refused_not_retried(provider_aliyun, settings, django_capture_on_commit_callbacks):
    settings.SMS_TEMPLATES = {}
    delivery = _notify(UserFactory(), django_capture_on_commit_callbacks)
    assert notifications.delivery_send(delivery_id=delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.status == "failed" and "member_certificate" in delivery.last_error and not provider_aliyun.requests


def test_the_verification_code_goes_out_as_its_own_template(provider_aliyun, django_capture_on_commit_callbacks):
    from accounts.verification import mobile_code_send

    with django_capture_on_commit_callbacks(execute=True):
        mobile_code_send(mobile="13912345678")
    sent = provider_aliyun.requests[0]["query"]
    assert sent["TemplateCode"] == "SMS_468210002" and sent["PhoneNumbers"] == "13912345678"
    assert json.loads(sent["TemplateParam"])["code"].isdigit()
    with pytest.raises(sms.SmsRejected, match="nothing"):
        AliyunSmsBackend().send(sms.SmsMessage(mobile="13912345678", text="", template="nothing"))
