"""Local stand-ins for outside services' HTTP APIs (the SMS providers, WeChat sign-in), speaking
their request and response formats, so the real clients are exercised end to end without the
network. The SMS providers: Alibaba Cloud's OpenAPI
(``x-acs-action: SendSms``, the parameters in the query, an ACS3-HMAC-SHA256 signature, a JSON
answer with ``Code``) and Tencent Cloud's API 3.0 (a TC3-HMAC-SHA256-signed JSON POST with
``X-TC-Action: SendSms``, an answer under ``Response``)."""
import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


class ProviderServer:
    def __init__(self, answer, content_type="application/json", ensure_ascii=True):
        self.answer = answer  # (request dict) -> (status, body dict)
        self.content_type, self.ensure_ascii = content_type, ensure_ascii
        self.requests: list[dict] = []

    def handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                query = dict(parse_qsl(urlsplit(self.path).query))
                form = dict(parse_qsl(raw)) if "form" in (self.headers.get("Content-Type") or "") else {}
                body = json.loads(raw) if raw.startswith("{") else {}
                request = {"path": self.path, "query": query, "form": form, "json": body, "raw": raw,
                           "headers": dict(self.headers)}
                server.requests.append(request)
                status, answer = server.answer(request)
                payload = json.dumps(answer, ensure_ascii=server.ensure_ascii).encode()
                self.send_response(status)
                self.send_header("Content-Type", server.content_type)  # exactly: Tencent's SDK checks it
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _handle

            def log_message(self, *args):
                pass

        return Handler


@contextmanager
def serving(answer, **options):
    """A provider stand-in on a free local port: yields (its address, the ProviderServer)."""
    provider = ProviderServer(answer, **options)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), provider.handler())
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", provider
    finally:
        httpd.shutdown()
        httpd.server_close()


def aliyun_ok(request):
    return 200, {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "F655A8D5-B967-440B"}


def aliyun_refused(request):
    return 200, {"Code": "isv.SMS_TEMPLATE_ILLEGAL", "Message": "该账号下找不到对应模板", "RequestId": "A1"}


def aliyun_throttled(request):
    return 200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发号码天级流控", "RequestId": "A2"}


def tencent_ok(request):
    phone = request["json"].get("PhoneNumberSet", ["+86"])[0]
    return 200, {"Response": {"SendStatusSet": [{"SerialNo": "5000:1045710669157053657849499619", "PhoneNumber": phone,
                                                 "Fee": 1, "SessionContext": "", "Code": "Ok",
                                                 "Message": "send success", "IsoCode": "CN"}],
                              "RequestId": "a0aabda6-cf91-4f3e-a81f-9198114a2279"}}


def tencent_refused(request):
    return 200, {"Response": {"Error": {"Code": "FailedOperation.TemplateIncorrectOrUnapproved",
                                        "Message": "模板未审批或内容不匹配"}, "RequestId": "b1"}}


def tencent_limited(request):
    phone = request["json"].get("PhoneNumberSet", ["+86"])[0]
    return 200, {"Response": {"SendStatusSet": [{"SerialNo": "", "PhoneNumber": phone, "Fee": 0, "SessionContext": "",
                                                 "Code": "LimitExceeded.PhoneNumberOneHourLimit",
                                                 "Message": "单个手机号1小时内下发短信条数超过设定的上限", "IsoCode": "CN"}],
                              "RequestId": "b2"}}
