"""WeChat Pay API v3 (Native): credentials, the notification check, and the merchant API.

Public-key mode: the platform's public key and its id are configured, so nothing is
downloaded at start-up. Notifications are verified here in full before anything trusts them
(SECURITY.md 1-3): required headers, the configured key id, no SIGNTEST signatures, a
timestamp within 300 seconds, the RSA signature over the raw body, then AES-GCM decryption
with the APIv3 key (both by wechatpayv3).

``api()`` is the real merchant API, or the sandbox (payments.sandbox) when
WECHATPAY_SANDBOX is on; both are used the same way.
"""
import datetime as dt
import json
import logging
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils import timezone
from wechatpayv3 import WeChatPay, WeChatPayType

from .exceptions import GatewayError, NotificationRejected

logger = logging.getLogger(__name__)

TIMESTAMP_TOLERANCE_SECONDS = 300
SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048"


@dataclass(frozen=True)
class WechatConfig:
    mchid: str
    appid: str
    apiv3_key: str
    merchant_private_key: str
    merchant_serial_no: str
    platform_public_key: str
    platform_public_key_id: str
    notify_url: str
    sandbox: bool


def merchant_config() -> WechatConfig:
    """The real merchant account from settings.WECHATPAY (payments.gateway picks it or the sandbox)."""
    w = settings.WECHATPAY
    return WechatConfig(
        mchid=w["MCHID"], appid=w["APPID"], apiv3_key=w["APIV3_KEY"],
        merchant_private_key=w["MERCHANT_PRIVATE_KEY"], merchant_serial_no=w["MERCHANT_SERIAL_NO"],
        platform_public_key=w["PLATFORM_PUBLIC_KEY"], platform_public_key_id=w["PLATFORM_PUBLIC_KEY_ID"],
        notify_url=settings.WECHATPAY_NOTIFY_URL, sandbox=False,
    )


@lru_cache(maxsize=4)
def _sdk(conf: WechatConfig) -> WeChatPay:
    return WeChatPay(
        wechatpay_type=WeChatPayType.NATIVE, mchid=conf.mchid, private_key=conf.merchant_private_key,
        cert_serial_no=conf.merchant_serial_no, appid=conf.appid, apiv3_key=conf.apiv3_key,
        notify_url=conf.notify_url, public_key=conf.platform_public_key,
        public_key_id=conf.platform_public_key_id, timeout=(5, 10), logger=logger,
    )


def verify_notification(meta: dict, body: bytes, conf: WechatConfig) -> dict:
    """Return the decrypted transaction of a genuine notification, or raise NotificationRejected."""
    headers = {name: meta.get(f"HTTP_WECHATPAY_{name}", "") for name in
               ("SIGNATURE", "TIMESTAMP", "NONCE", "SERIAL", "SIGNATURE_TYPE")}
    missing = [name for name, value in headers.items() if not value and name != "SIGNATURE_TYPE"]
    if missing:
        raise NotificationRejected(f"missing headers: {', '.join(missing)}")
    if headers["SERIAL"] != conf.platform_public_key_id:
        raise NotificationRejected(f"unknown serial {headers['SERIAL']!r}")
    if headers["SIGNATURE"].startswith("WECHATPAY/SIGNTEST/"):
        raise NotificationRejected("signature probe (SIGNTEST)")
    try:
        sent = int(headers["TIMESTAMP"])
    except ValueError:
        raise NotificationRejected("timestamp is not a number") from None
    if abs(timezone.now().timestamp() - sent) > TIMESTAMP_TOLERANCE_SECONDS:
        raise NotificationRejected(f"timestamp {sent} is more than {TIMESTAMP_TOLERANCE_SECONDS}s off")
    # The SDK requires the signature-type header; WeChat always sends this one.
    meta = {**meta, "HTTP_WECHATPAY_SIGNATURE_TYPE": headers["SIGNATURE_TYPE"] or SIGNATURE_TYPE}
    try:
        data = _sdk(conf).callback(meta, body)
    except Exception as exc:  # the SDK raises bare Exceptions for malformed input
        raise NotificationRejected(f"verification failed: {exc}") from exc
    if not data or not isinstance(data.get("resource"), dict):
        raise NotificationRejected("bad signature or undecryptable resource")
    return data["resource"]


class WechatApi:
    """The real merchant API through wechatpayv3."""

    def __init__(self, conf: WechatConfig):
        self.conf = conf
        self.sdk = _sdk(conf)

    def create_native(self, *, out_trade_no: str, description: str, total_fen: int, expires_at: dt.datetime) -> str:
        code, message = self.sdk.pay(
            description=description, out_trade_no=out_trade_no,
            amount={"total": total_fen, "currency": "CNY"},
            time_expire=timezone.localtime(expires_at).isoformat(timespec="seconds"),
        )
        body = _json(message)
        if code != 200 or not body.get("code_url"):
            raise GatewayError(f"下单失败（{code}）：{body.get('message', message)}")
        return body["code_url"]

    def query(self, *, out_trade_no: str) -> dict | None:
        code, message = self.sdk.query(out_trade_no=out_trade_no)
        if code == 404:
            return None
        if code != 200:
            raise GatewayError(f"查单失败（{code}）：{message}")
        return _json(message)

    def close(self, *, out_trade_no: str) -> None:
        code, message = self.sdk.close(out_trade_no=out_trade_no)
        if code not in (200, 204):
            raise GatewayError(f"关单失败（{code}）：{message}")


def _json(message) -> dict:
    try:
        return json.loads(message) if message else {}
    except ValueError:
        return {}
