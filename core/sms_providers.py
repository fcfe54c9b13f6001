"""SMS through Alibaba Cloud (阿里云短信, ``alibabacloud-dysmsapi20170525``) and Tencent Cloud
(腾讯云短信, ``tencentcloud-sdk-python-sms``), their official SDKs. Both send only templates
approved under the sign name ``SMS_SIGN_NAME``; ``SMS_TEMPLATES`` says which template carries
which notification and how its parameters are filled (core.sms).

Set ``SMS_BACKEND`` to ``core.sms_providers.AliyunSmsBackend`` or ``…TencentSmsBackend`` with the
keys in the environment. Each provider's errors become SmsError (retried: throttling, network,
the provider's own faults) or SmsRejected (not retried: a template, sign or number it refuses).
"""
import json
import logging

from alibabacloud_dysmsapi20170525 import models as aliyun_models
from alibabacloud_dysmsapi20170525.client import Client as AliyunClient
from alibabacloud_tea_openapi import models as openapi_models
from alibabacloud_tea_util import models as tea_util_models
from django.conf import settings
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.sms.v20210111 import models as tencent_models
from tencentcloud.sms.v20210111 import sms_client

from .sms import SmsError, SmsMessage, SmsRejected, TemplateSmsBackend

logger = logging.getLogger("core.sms")

# Provider answers that a later attempt may cure; anything else is refused for good.
ALIYUN_RETRYABLE = {"isv.BUSINESS_LIMIT_CONTROL", "isv.DAY_LIMIT_CONTROL", "SignatureNonceUsed", "Throttling",
                    "ServiceUnavailable", "InternalError"}
TENCENT_RETRYABLE_PREFIXES = ("LimitExceeded", "InternalError", "RequestLimitExceeded", "FailedOperation.InsufficientBalance")


def _scheme_and_host(endpoint: str) -> tuple[str, str]:
    """``http://127.0.0.1:9000`` (a local test server) or a bare host (https)."""
    if "://" in endpoint:
        scheme, host = endpoint.split("://", 1)
        return scheme, host.rstrip("/")
    return "https", endpoint


class AliyunSmsBackend(TemplateSmsBackend):
    def __init__(self):
        scheme, host = _scheme_and_host(settings.SMS_ALIYUN_ENDPOINT)
        self.client = AliyunClient(openapi_models.Config(
            access_key_id=settings.SMS_ALIYUN_ACCESS_KEY_ID, access_key_secret=settings.SMS_ALIYUN_ACCESS_KEY_SECRET,
            endpoint=host, protocol=scheme))

    def send(self, message: SmsMessage) -> str:
        request = aliyun_models.SendSmsRequest(
            phone_numbers=message.mobile, sign_name=settings.SMS_SIGN_NAME, template_code=self.template_code(message),
            template_param=json.dumps(message.params, ensure_ascii=False))
        timeout = settings.SMS_PROVIDER_TIMEOUT * 1000
        runtime = tea_util_models.RuntimeOptions(read_timeout=timeout, connect_timeout=timeout, autoretry=False)
        try:
            body = self.client.send_sms_with_options(request, runtime).body
        except Exception as exc:  # the SDK raises TeaException and the HTTP client's errors
            code = getattr(exc, "code", "") or ""
            raise (SmsRejected if code and code not in ALIYUN_RETRYABLE else SmsError)(
                f"阿里云短信：{code or type(exc).__name__} {getattr(exc, 'message', exc)}") from exc
        if body.code != "OK":
            raise (SmsError if body.code in ALIYUN_RETRYABLE else SmsRejected)(f"阿里云短信：{body.code} {body.message}")
        logger.info("SMS %s to %s via Alibaba Cloud: %s", message.template, message.mobile, body.biz_id)
        return body.biz_id or ""


class TencentSmsBackend(TemplateSmsBackend):
    def __init__(self):
        scheme, host = _scheme_and_host(settings.SMS_TENCENT_ENDPOINT)
        profile = ClientProfile(httpProfile=HttpProfile(endpoint=host, protocol=scheme,
                                                        reqTimeout=settings.SMS_PROVIDER_TIMEOUT))
        self.client = sms_client.SmsClient(
            credential.Credential(settings.SMS_TENCENT_SECRET_ID, settings.SMS_TENCENT_SECRET_KEY),
            settings.SMS_TENCENT_REGION, profile)

    def send(self, message: SmsMessage) -> str:
        request = tencent_models.SendSmsRequest()
        request.SmsSdkAppId = settings.SMS_TENCENT_SDK_APP_ID
        request.SignName = settings.SMS_SIGN_NAME
        request.TemplateId = self.template_code(message)
        request.TemplateParamSet = [str(value) for value in message.params.values()]  # in the template's order
        request.PhoneNumberSet = [f"+86{message.mobile}"]
        try:
            status = self.client.SendSms(request).SendStatusSet[0]
        except TencentCloudSDKException as exc:
            code = exc.get_code() or ""
            retry = not code or code.startswith(TENCENT_RETRYABLE_PREFIXES) or code.startswith("ClientNetworkError")
            raise (SmsError if retry else SmsRejected)(f"腾讯云短信：{code} {exc.get_message()}") from exc
        if status.Code != "Ok":
            retry = status.Code.startswith(TENCENT_RETRYABLE_PREFIXES)
            raise (SmsError if retry else SmsRejected)(f"腾讯云短信：{status.Code} {status.Message}")
        logger.info("SMS %s to %s via Tencent Cloud: %s", message.template, message.mobile, status.SerialNo)
        return status.SerialNo or ""
