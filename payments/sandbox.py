"""A stand-in for WeChat Pay's side, on only when WECHATPAY_SANDBOX is set (demo, tests).

It keeps its own merchant and platform key pairs and APIv3 key under ``var/``, answers the
merchant API from the SandboxTrade table, and, when a payer "scans" the code, signs and
encrypts a notification in WeChat's exact format and POSTs it to the portal's notify URL,
so the verification code that runs in production runs in the demo too.
"""
import base64
import json
import os
import secrets
import uuid
from functools import lru_cache
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wechatpayv3.utils import load_private_key, rsa_sign

from .models import SandboxTrade
from .wechat import SIGNATURE_TYPE, WechatConfig

SANDBOX_MCHID = "1900000001"
SANDBOX_APPID = "wx0000000000sandbox"
SANDBOX_PUBLIC_KEY_ID = "PUB_KEY_ID_0000SANDBOX"


def _new_private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


@lru_cache(maxsize=4)
def public_pem(private_pem: str) -> str:
    """The public half, derived once per key: parsing the private key costs about 50 ms, which
    every notification the sandbox signs would otherwise pay twice."""
    key = load_private_key(private_pem)
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def _credentials_path() -> Path:
    return Path(settings.VAR_DIR) / "wechatpay-sandbox" / "credentials.json"


@lru_cache(maxsize=1)
def credentials() -> dict:
    """Load the sandbox's keys, creating them once (atomically, so processes agree)."""
    path = _credentials_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "merchant_private_key": _pem(_new_private_key()),
            "platform_private_key": _pem(_new_private_key()),
            "apiv3_key": secrets.token_hex(16),  # 32 characters, as WeChat's APIv3 key
        }
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                json.dump(data, fh)
    return json.loads(path.read_text())


def sandbox_config() -> WechatConfig:
    creds = credentials()
    return WechatConfig(
        mchid=SANDBOX_MCHID, appid=SANDBOX_APPID, apiv3_key=creds["apiv3_key"],
        merchant_private_key=creds["merchant_private_key"], merchant_serial_no="SANDBOXMERCHANTSERIAL",
        platform_public_key=public_pem(creds["platform_private_key"]),
        platform_public_key_id=SANDBOX_PUBLIC_KEY_ID, notify_url=settings.WECHATPAY_NOTIFY_URL, sandbox=True,
    )


class SandboxApi:
    """The merchant API as the sandbox answers it."""

    def __init__(self, conf: WechatConfig):
        self.conf = conf

    def create_native(self, *, out_trade_no, description, total_fen, expires_at) -> str:
        SandboxTrade.objects.get_or_create(
            out_trade_no=out_trade_no, defaults={"description": description, "total_fen": total_fen}
        )
        return f"weixin://wxpay/bizpayurl?pr=sandbox{out_trade_no}"

    def query(self, *, out_trade_no) -> dict | None:
        trade = SandboxTrade.objects.filter(out_trade_no=out_trade_no).first()
        return transaction_resource(trade) if trade else None

    def close(self, *, out_trade_no) -> None:
        SandboxTrade.objects.filter(out_trade_no=out_trade_no, trade_state="NOTPAY").update(trade_state="CLOSED")


def transaction_resource(trade: SandboxTrade, **overrides) -> dict:
    """A transaction as WeChat describes it in a notification or a query answer."""
    resource = {
        "mchid": SANDBOX_MCHID,
        "appid": SANDBOX_APPID,
        "out_trade_no": trade.out_trade_no,
        "transaction_id": trade.transaction_id or None,
        "trade_type": "NATIVE",
        "trade_state": trade.trade_state,
        "trade_state_desc": {"SUCCESS": "支付成功", "NOTPAY": "未支付", "CLOSED": "已关闭"}.get(trade.trade_state, ""),
        "bank_type": "OTHERS",
        "attach": "",
        "success_time": timezone.localtime().isoformat(timespec="seconds") if trade.trade_state == "SUCCESS" else None,
        "payer": {"openid": "oSandboxPayer000000000000000"},
        "amount": {"total": trade.total_fen, "payer_total": trade.total_fen, "currency": "CNY", "payer_currency": "CNY"},
    }
    resource.update(overrides)
    return resource


def sandbox_pay(*, out_trade_no: str) -> SandboxTrade:
    """The payer scanned the code and paid: WeChat's record of the trade becomes SUCCESS."""
    with transaction.atomic():
        trade = SandboxTrade.objects.select_for_update().get(out_trade_no=out_trade_no)
        if trade.trade_state == "NOTPAY":
            trade.trade_state = "SUCCESS"
            trade.transaction_id = f"4200{timezone.localtime():%Y%m%d}{secrets.randbelow(10**12):012d}"
            trade.save(update_fields=["trade_state", "transaction_id"])
    return trade


def encrypt_resource(resource: dict, apiv3_key: str) -> dict:
    nonce = secrets.token_hex(6)  # 12 characters
    associated_data = "transaction"
    ciphertext = AESGCM(apiv3_key.encode()).encrypt(
        nonce.encode(), json.dumps(resource, ensure_ascii=False).encode(), associated_data.encode()
    )
    return {
        "original_type": "transaction", "algorithm": "AEAD_AES_256_GCM",
        "ciphertext": base64.b64encode(ciphertext).decode(), "associated_data": associated_data, "nonce": nonce,
    }


def build_notification(resource: dict, *, timestamp: int | None = None, private_key_pem: str | None = None,
                       serial: str = SANDBOX_PUBLIC_KEY_ID, apiv3_key: str | None = None) -> tuple[dict, bytes]:
    """(HTTP headers, raw body) of a TRANSACTION.SUCCESS notification, signed and encrypted
    as WeChat does it. The keyword arguments exist so tests can forge bad ones."""
    creds = credentials()
    body = json.dumps({
        "id": str(uuid.uuid4()),
        "create_time": timezone.localtime().isoformat(timespec="seconds"),
        "resource_type": "encrypt-resource",
        "event_type": "TRANSACTION.SUCCESS",
        "summary": "支付成功",
        "resource": encrypt_resource(resource, apiv3_key or creds["apiv3_key"]),
    }, ensure_ascii=False)
    timestamp = int(timezone.now().timestamp()) if timestamp is None else timestamp
    nonce = secrets.token_hex(16)
    key = load_private_key(private_key_pem or creds["platform_private_key"])
    signature = rsa_sign(key, f"{timestamp}\n{nonce}\n{body}\n")
    headers = {
        "Wechatpay-Timestamp": str(timestamp),
        "Wechatpay-Nonce": nonce,
        "Wechatpay-Signature": signature,
        "Wechatpay-Serial": serial,
        "Wechatpay-Signature-Type": SIGNATURE_TYPE,
    }
    return headers, body.encode()


def deliver_notification(*, out_trade_no: str) -> int:
    """POST the paid trade's notification to the portal, as WeChat would. Returns the status."""
    trade = SandboxTrade.objects.get(out_trade_no=out_trade_no)
    headers, body = build_notification(transaction_resource(trade))
    response = requests.post(settings.WECHATPAY_NOTIFY_URL, data=body,
                             headers={**headers, "Content-Type": "application/json"}, timeout=10)
    return response.status_code
