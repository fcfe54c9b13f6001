"""诺诺开放平台 (Nuonuo open platform): 数电发票 through its 诺税通 SaaS interface.

Every call is a POST to ``/open/v1/services`` with ``senid``, ``nonce``, ``timestamp`` and
``appkey`` in the query string, the API method, access token and seller tax number in headers,
and ``X-Nuonuo-Sign``: base64(HMAC-SHA1(app secret, "a=services&l=v1&p=open&k=<appkey>&i=<senid>
&n=<nonce>&t=<timestamp>&f=<body>")) over the exact body bytes. Answers are
``{"code": "E0000", "describe": ..., "result": ...}``; any other code is an error.

Methods used: requestBillingNew (issue, returns invoiceSerialNum), queryInvoiceResult (status,
number, PDF address), and for a reversal saveInvoiceRedConfirm → queryInvoiceRedConfirm →
fastInvoiceRed (the red-letter confirmation, then the red invoice).

With ``settings.INVOICE_SANDBOX`` on, the same requests go to the offline sandbox
(``nuonuo_sandbox``), which checks the signature and answers in the platform's format.
"""
import json
import secrets
import time
import uuid
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils import timezone

from . import nuonuo_sandbox
from .backend import BlueInvoice, InvoiceRequest, InvoiceResult, ProviderRefused, ProviderUnavailable
from .nuonuo_protocol import SUCCESS, sign

MAX_FILE_BYTES = 10 * 1024 * 1024
# The platform's own codes for a bad key, secret, token or signature, and for throttling: the
# invoice is fine, the connection is not, so these are retried rather than shown as a refusal.
UNAVAILABLE_CODES = {"070101", "070301", "070302", "070303", "070304", "070305", "070306", "070307", "E9999"}
# queryInvoiceResult's status: 2 issued; 20 issuing, 21 issued and being signed, 24 signing
# failed (the platform signs again); 22 failed.
ISSUED, FAILED = {"2"}, {"22"}
# queryInvoiceRedConfirm's billStatus: 01 no confirmation needed, 04 both sides confirmed;
# 02/03 waiting for the other side; anything else (withdrawn, refused, expired) ends it.
RED_CONFIRMED, RED_WAITING = {"01", "04"}, {"02", "03"}
INVOICE_LINE = "pc"  # 数电普票
RED_REASON_SERVICE_STOPPED = "3"  # 冲红原因：服务中止 (the fee was refunded)


def config() -> dict:
    if settings.INVOICE_SANDBOX:
        return nuonuo_sandbox.SANDBOX_CONFIG
    conf = settings.INVOICE_NUONUO
    missing = [key for key in ("APP_KEY", "APP_SECRET", "ACCESS_TOKEN", "SELLER_TAX_NUM") if not conf.get(key)]
    if missing:
        raise ProviderUnavailable(f"诺诺开放平台未配置：{', '.join(missing)}")
    return conf


def _session() -> requests.Session:
    session = requests.Session()
    if settings.INVOICE_SANDBOX:
        nuonuo_sandbox.mount(session)
    return session


class NuonuoClient:
    def __init__(self, conf: dict | None = None):
        self.conf = conf or config()
        self.session = _session()

    def call(self, method: str, payload: dict):
        """One signed call; the ``result`` of a successful answer."""
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        senid, nonce, timestamp = uuid.uuid4().hex, str(10_000_000 + secrets.randbelow(90_000_000)), str(int(time.time()))
        url = self.conf["URL"]
        headers = {
            "Content-Type": "application/json; charset=UTF-8",
            "X-Nuonuo-Sign": sign(app_secret=self.conf["APP_SECRET"], app_key=self.conf["APP_KEY"], senid=senid,
                                  nonce=nonce, timestamp=timestamp, body=body, path=urlsplit(url).path),
            "accessToken": self.conf["ACCESS_TOKEN"],
            "userTax": self.conf["SELLER_TAX_NUM"],
            "method": method,
        }
        try:
            response = self.session.post(url, params={"senid": senid, "nonce": nonce, "timestamp": timestamp,
                                                      "appkey": self.conf["APP_KEY"]},
                                         data=body.encode(), headers=headers, timeout=self.conf.get("TIMEOUT", 15))
            response.raise_for_status()
            answer = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise ProviderUnavailable(f"诺诺开放平台请求失败（{method}）：{type(exc).__name__}") from exc
        code, describe = str(answer.get("code") or ""), str(answer.get("describe") or "")
        if code in UNAVAILABLE_CODES:
            raise ProviderUnavailable(f"诺诺开放平台拒绝连接（{code}：{describe}）")
        if code != SUCCESS:
            raise ProviderRefused(f"{describe}（{code}）")
        return answer.get("result")


def _amount(value) -> str:
    return f"{value:.2f}"


class NuonuoBackend:
    name = "nuonuo"

    def __init__(self):
        self.client = NuonuoClient()
        self.conf = self.client.conf

    def issue(self, request: InvoiceRequest) -> str:
        line = request.line
        order = {
            "buyerName": request.buyer_name, "buyerTaxNum": request.buyer_tax_id,
            "buyerPhone": request.mobile, "email": request.email,
            "salerTaxNum": self.conf["SELLER_TAX_NUM"], "salerTel": self.conf.get("SELLER_PHONE", ""),
            "salerAddress": self.conf.get("SELLER_ADDRESS", ""), "salerAccount": self.conf.get("SELLER_ACCOUNT", ""),
            "orderNo": request.request_no,
            "invoiceDate": timezone.localtime().strftime("%Y-%m-%d %H:%M:%S"),
            "clerk": self.conf.get("CLERK", ""),
            "invoiceType": "1",  # 蓝票
            "invoiceLine": INVOICE_LINE,
            "pushMode": "-1",  # the portal delivers it itself (email and SMS)
            "remark": request.remark,
            "invoiceDetail": [{
                "goodsName": line.name, "goodsCode": line.goods_code, "num": "1", "withTaxFlag": "1",
                "price": _amount(line.amount), "taxIncludedAmount": _amount(line.amount),
                "taxRate": str(line.tax_rate), "invoiceLineProperty": "0",
            }],
        }
        result = self.client.call("nuonuo.OpeMplatform.requestBillingNew", {"order": order})
        serial = (result or {}).get("invoiceSerialNum") if isinstance(result, dict) else None
        if not serial:
            raise ProviderUnavailable("诺诺开放平台未返回开票流水号")
        return str(serial)

    def _results(self, **query) -> list[dict]:
        result = self.client.call("nuonuo.OpeMplatform.queryInvoiceResult", {**query, "isOfferInvoiceDetail": "0"})
        return [item for item in (result or []) if isinstance(item, dict)]

    def find(self, request_no: str) -> str | None:
        try:
            found = self._results(orderNos=[request_no])
        except ProviderRefused:  # "not found" is an error code at the platform
            return None
        serial = str(found[0].get("serialNo") or "") if found else ""
        return serial or None

    def query(self, serial_no: str) -> InvoiceResult:
        found = [item for item in self._results(serialNos=[serial_no]) if str(item.get("serialNo")) == serial_no]
        if not found:
            return InvoiceResult(status="issuing")
        item = found[0]
        status = str(item.get("status") or "")
        if status in ISSUED:
            number = str(item.get("allElectronicInvoiceNumber") or item.get("invoiceNo") or "")
            if not number:
                return InvoiceResult(status="issuing")
            return InvoiceResult(status="issued", number=number, pdf_url=str(item.get("pdfUrl") or ""))
        if status in FAILED:
            return InvoiceResult(status="failed",
                                 failure_reason=str(item.get("failCause") or item.get("statusMsg") or "开票失败"))
        return InvoiceResult(status="issuing")

    def reverse(self, blue: BlueInvoice, progress: dict) -> str | None:
        """The red-letter confirmation, then the red invoice; ``progress`` keeps each answer."""
        if not progress.get("bill_id"):
            result = self.client.call("nuonuo.OpeMplatform.saveInvoiceRedConfirm", {
                "billId": blue.red_request_no, "blueInvoiceLine": INVOICE_LINE, "applySource": "0",
                "blueElecInvoiceNumber": blue.number, "sellerTaxNo": self.conf["SELLER_TAX_NUM"],
                "sellerName": self.conf.get("SELLER_NAME", ""), "buyerName": blue.buyer_name,
                "buyerTaxNo": blue.buyer_tax_id, "redReason": RED_REASON_SERVICE_STOPPED,
            })
            progress["bill_id"] = str(result.get("billId") if isinstance(result, dict) else result or blue.red_request_no)
        if not progress.get("bill_no"):
            result = self.client.call("nuonuo.OpeMplatform.queryInvoiceRedConfirm",
                                      {"identity": "0", "billId": progress["bill_id"]})
            items = result.get("list") or [] if isinstance(result, dict) else []
            if not items:
                return None
            status = str(items[0].get("billStatus") or "")
            if status in RED_WAITING:
                progress["bill_status"] = status
                return None
            if status not in RED_CONFIRMED:
                raise ProviderRefused(f"红字确认单未通过（状态 {status}）")
            progress.update(bill_no=str(items[0].get("billNo") or ""), bill_uuid=str(items[0].get("billUuid") or ""),
                            bill_status=status)
        if not progress.get("red_serial_no"):
            result = self.client.call("nuonuo.OpeMplatform.fastInvoiceRed", {
                "orderNo": blue.red_request_no, "taxNum": self.conf["SELLER_TAX_NUM"],
                "orderTime": timezone.localtime().strftime("%Y-%m-%d %H:%M:%S"),
                "elecInvoiceNumber": blue.number, "invoiceId": blue.serial_no,
                "billNo": progress["bill_no"], "billUuid": progress["bill_uuid"], "invoiceLine": INVOICE_LINE,
            })
            serial = (result or {}).get("invoiceSerialNum") if isinstance(result, dict) else None
            if not serial:
                raise ProviderUnavailable("诺诺开放平台未返回红字发票流水号")
            progress["red_serial_no"] = str(serial)
        return progress["red_serial_no"]

    def download(self, url: str) -> bytes:
        """The issued file, at most 10 MB, and a PDF."""
        try:
            with self.client.session.get(url, timeout=self.conf.get("TIMEOUT", 15), stream=True) as response:
                response.raise_for_status()
                data = b""
                for chunk in response.iter_content(64 * 1024):
                    data += chunk
                    if len(data) > MAX_FILE_BYTES:
                        raise ProviderRefused("发票文件超过 10 MB")
        except requests.RequestException as exc:
            raise ProviderUnavailable(f"下载发票文件失败：{type(exc).__name__}") from exc
        if not data.startswith(b"%PDF"):
            raise ProviderUnavailable("发票文件不是 PDF，稍后重试")
        return data

