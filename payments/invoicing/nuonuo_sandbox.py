"""An offline stand-in for 诺诺开放平台, on only when settings.INVOICE_SANDBOX is set (demo, tests).

It is mounted as the transport of the real client's ``requests`` session, so the production
code builds, signs and parses every message: the sandbox checks the app key, token, seller tax
number and signature, keeps invoices and red-letter confirmations in its own tables, issues an
invoice by the time it is first asked about (as the platform does within seconds), and serves
a small PDF for each at the address it gave.
"""
import json
import secrets
from urllib.parse import parse_qsl, urlsplit

import requests
from django.db import IntegrityError, transaction
from django.utils import timezone
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from ..models import SandboxFapiao, SandboxRedConfirm
from .nuonuo_protocol import SIGNATURE_REFUSED, SUCCESS, sign

HOST = "https://nuonuo-sandbox.invalid"
SANDBOX_CONFIG = {
    "URL": f"{HOST}/open/v1/services",
    "APP_KEY": "SandboxAppKey",
    "APP_SECRET": "SandboxAppSecret0123456789",
    "ACCESS_TOKEN": "sandbox-access-token",
    "SELLER_TAX_NUM": "339902999999789113",  # the platform's own sandbox seller
    "SELLER_NAME": "中国非公立医疗机构协会",
    "SELLER_ADDRESS": "北京市（沙箱）",
    "SELLER_PHONE": "010-00000000",
    "CLERK": "沙箱开票员",
    "TIMEOUT": 5,
}


def _answer(code: str, describe: str, result=None) -> dict:
    return {"code": code, "describe": describe, "result": result}


def _digits(count: int) -> str:
    return "".join(str(secrets.randbelow(10)) for _ in range(count))


def _number() -> str:
    """A 20-digit 数电 number: year, region (11 Beijing), then a sequence."""
    return f"{timezone.localdate():%y}11{_digits(16)}"


def _pdf_url(serial_no: str) -> str:
    return f"{HOST}/sandbox/files/{serial_no}.pdf"


def _request_billing(payload: dict, seller: str) -> dict:
    order = payload.get("order") if isinstance(payload.get("order"), dict) else {}
    details = order.get("invoiceDetail") if isinstance(order.get("invoiceDetail"), list) else []
    problems = [text for missing, text in [
        (not order.get("orderNo"), "订单号不能为空"),
        (not order.get("buyerName"), "购方名称不能为空"),
        (order.get("salerTaxNum") != seller, "销方税号与授权税号不一致"),
        (not details, "发票明细不能为空"),
    ] if missing]
    if problems:
        return _answer("E9106", "；".join(problems))
    serial = f"{timezone.localtime():%y%m%d%H%M%S}{_digits(8)}"
    try:
        with transaction.atomic():
            SandboxFapiao.objects.create(serial_no=serial, order_no=str(order["orderNo"]), payload=order)
    except IntegrityError:
        return _answer("E9108", "订单编号重复")
    return _answer(SUCCESS, "开票提交成功", {"invoiceSerialNum": serial})


def _describe(fapiao: SandboxFapiao) -> dict:
    if fapiao.status == "20":  # issued by the time anyone asks
        fapiao.status, fapiao.number = "2", _number()
        fapiao.save(update_fields=["status", "number"])
    issued = fapiao.status == "2"
    return {
        "serialNo": fapiao.serial_no, "orderNo": fapiao.order_no, "status": fapiao.status,
        "statusMsg": {"2": "开票完成（最终状态）", "22": "开票失败"}.get(fapiao.status, "开票中"),
        "failCause": fapiao.fail_cause, "pdfUrl": _pdf_url(fapiao.serial_no) if issued else "",
        "invoiceNo": fapiao.number if issued else "", "allElectronicInvoiceNumber": fapiao.number if issued else "",
        "invoiceType": "2" if fapiao.red else "1", "invoiceLine": "pc",
    }


def _query_result(payload: dict) -> dict:
    serials = payload.get("serialNos") if isinstance(payload.get("serialNos"), list) else []
    orders = payload.get("orderNos") if isinstance(payload.get("orderNos"), list) else []
    found = list(SandboxFapiao.objects.filter(serial_no__in=[str(s) for s in serials]))
    found += list(SandboxFapiao.objects.filter(order_no__in=[str(o) for o in orders]))
    if not found:
        return _answer("E9500", "未查询到发票")
    return _answer(SUCCESS, "获取成功", [_describe(fapiao) for fapiao in found])


def _save_red_confirm(payload: dict) -> dict:
    blue = SandboxFapiao.objects.filter(number=str(payload.get("blueElecInvoiceNumber") or ""), red=False,
                                        status="2").first()
    if blue is None:
        return _answer("E9901", "蓝字发票不存在或未开具成功")
    bill_id = str(payload.get("billId") or _digits(20))
    confirm, _ = SandboxRedConfirm.objects.get_or_create(bill_id=bill_id, defaults={
        "bill_no": _digits(20), "bill_uuid": secrets.token_hex(16), "blue_number": blue.number, "payload": payload,
    })
    return _answer(SUCCESS, "申请成功", confirm.bill_id)


def _query_red_confirm(payload: dict) -> dict:
    confirms = SandboxRedConfirm.objects.filter(bill_id=str(payload.get("billId") or ""))
    return _answer(SUCCESS, "查询成功", {"total": len(confirms), "list": [
        {"billId": c.bill_id, "billNo": c.bill_no, "billUuid": c.bill_uuid, "billStatus": c.status,
         "blueInvoiceNumber": c.blue_number, "redReason": c.payload.get("redReason", "")} for c in confirms]})


def _fast_red(payload: dict) -> dict:
    confirm = SandboxRedConfirm.objects.filter(bill_no=str(payload.get("billNo") or ""),
                                               bill_uuid=str(payload.get("billUuid") or "")).first()
    if confirm is None or confirm.status not in {"01", "04"}:
        return _answer("E9902", "红字确认单不存在或未确认")
    if confirm.blue_number != str(payload.get("elecInvoiceNumber") or ""):
        return _answer("E9903", "红字确认单与蓝字发票不符")
    existing = SandboxFapiao.objects.filter(order_no=str(payload.get("orderNo") or "")).first()
    if existing:
        return _answer("E9108", "订单编号重复")
    serial = f"{timezone.localtime():%y%m%d%H%M%S}{_digits(8)}"
    SandboxFapiao.objects.create(serial_no=serial, order_no=str(payload.get("orderNo") or serial), red=True,
                                 payload=payload)
    return _answer(SUCCESS, "冲红提交成功", {"invoiceSerialNum": serial})


METHODS = {
    "nuonuo.OpeMplatform.requestBillingNew": lambda payload, seller: _request_billing(payload, seller),
    "nuonuo.OpeMplatform.queryInvoiceResult": lambda payload, seller: _query_result(payload),
    "nuonuo.OpeMplatform.saveInvoiceRedConfirm": lambda payload, seller: _save_red_confirm(payload),
    "nuonuo.OpeMplatform.queryInvoiceRedConfirm": lambda payload, seller: _query_red_confirm(payload),
    "nuonuo.OpeMplatform.fastInvoiceRed": lambda payload, seller: _fast_red(payload),
}


def service_answer(*, url: str, headers, body: bytes) -> dict:
    """The platform's answer to one signed call."""
    conf = SANDBOX_CONFIG
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    if query.get("appkey") != conf["APP_KEY"] or headers.get("accessToken") != conf["ACCESS_TOKEN"]:
        return _answer("070101", "appKey或accessToken无效")
    text = body.decode("utf-8", errors="replace")
    expected = sign(app_secret=conf["APP_SECRET"], app_key=conf["APP_KEY"], senid=query.get("senid", ""),
                    nonce=query.get("nonce", ""), timestamp=query.get("timestamp", ""), body=text, path=parts.path)
    if not secrets.compare_digest(expected, headers.get("X-Nuonuo-Sign", "")):
        return _answer(SIGNATURE_REFUSED, "签名验证失败")
    handler = METHODS.get(headers.get("method", ""))
    if handler is None:
        return _answer("070201", "API方法不存在")
    try:
        payload = json.loads(text)
    except ValueError:
        return _answer("E9100", "报文格式错误")
    return handler(payload if isinstance(payload, dict) else {}, headers.get("userTax", ""))


def sandbox_pdf(number: str) -> bytes:
    """A one-page PDF naming the invoice (the platform's file in the sandbox)."""
    text = f"SANDBOX e-invoice (not valid for tax) No. {number}"
    stream = f"BT /F1 16 Tf 60 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
        b"<</Length %d>>stream\n" % len(stream) + stream + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for index, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % index + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def _response(request, status: int, content: bytes, content_type: str) -> requests.Response:
    response = requests.Response()
    response.status_code, response.url, response.request = status, request.url, request
    response.headers = CaseInsensitiveDict({"Content-Type": content_type, "Content-Length": str(len(content))})
    response._content, response._content_consumed, response.encoding = content, True, "utf-8"
    return response


class SandboxAdapter(BaseAdapter):
    """The sandbox as a requests transport: nothing leaves the machine."""

    def send(self, request, **kwargs):
        path = urlsplit(request.url).path
        if path.startswith("/sandbox/files/"):
            fapiao = SandboxFapiao.objects.filter(serial_no=path.rsplit("/", 1)[-1].removesuffix(".pdf"),
                                                  status="2").first()
            if fapiao is None:
                return _response(request, 404, b"not found", "text/plain")
            return _response(request, 200, sandbox_pdf(fapiao.number), "application/pdf")
        body = request.body or b""
        answer = service_answer(url=request.url, headers=request.headers,
                                body=body.encode() if isinstance(body, str) else body)
        return _response(request, 200, json.dumps(answer, ensure_ascii=False).encode(), "application/json")

    def close(self):
        pass


def mount(session: requests.Session) -> None:
    session.mount(HOST + "/", SandboxAdapter())
