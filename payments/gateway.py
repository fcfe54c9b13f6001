"""Which WeChat Pay the portal talks to: the merchant API, or the in-process sandbox when
settings.WECHATPAY_SANDBOX is on (the default on a developer's machine and in tests)."""
from django.conf import settings

from . import sandbox, wechat


def config() -> wechat.WechatConfig:
    return sandbox.sandbox_config() if settings.WECHATPAY_SANDBOX else wechat.merchant_config()


def api():
    conf = config()
    return sandbox.SandboxApi(conf) if conf.sandbox else wechat.WechatApi(conf)


def verify_notification(meta: dict, body: bytes) -> dict:
    """The decrypted transaction of a genuine notification; raises NotificationRejected."""
    return wechat.verify_notification(meta, body, config())
