"""Receipts and official documents: the 数电发票 through the 诺诺 sandbox (issue, query, failure,
retry, reversal), the 会费票据 finance records, and what the payer sees."""
import base64
import datetime as dt
import hashlib
import hmac
import io
import socket
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core.downloads import file_url
from core.models import OutboxJob
from membership.models import Member
from payments import services
from payments.exceptions import InvoiceRefused, RefundRefused
from payments.invoicing import nuonuo, nuonuo_sandbox
from payments.invoicing import services as invoicing
from payments.invoicing.backend import InvoiceLine, InvoiceRequest, ProviderUnavailable
from payments.invoicing.documents import invoice_line
from payments.models import Invoice, Order, Receipt, SandboxFapiao, SandboxRedConfirm
from tests.accounts.factories import UserFactory
from tests.core.files import upload
from tests.core.provider_servers import serving
from tests.evaluation.helpers import paid
from tests.membership.factories import UnitMemberFactory
from tests.payments.helpers import dues_order, login, pay_by_wechat

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _finance():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="财务"))
    return user


@pytest.fixture
def member():
    return UnitMemberFactory(state=Member.State.APPROVED)


@pytest.fixture
def e_invoiced_dues(settings):
    """Dues with a 数电发票, so one member's payment exercises the provider."""
    settings.INVOICE_DOCUMENTS = {}


@pytest.fixture
def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/open/v1/services"


def _paid_dues(client, member, capture, *, execute=True) -> Order:
    order = dues_order(member)
    with capture(execute=execute):
        pay_by_wechat(client, order)
    order.refresh_from_db()
    return order


def test_the_receipt_says_what_it_is_and_never_calls_itself_an_invoice(client, member,
                                                                     django_capture_on_commit_callbacks):
    order = _paid_dues(client, member, django_capture_on_commit_callbacks)
    receipt = Receipt.objects.get(order=order)
    with receipt.pdf.open("rb") as fh:
        text = _pdf_text(fh.read())
    assert "缴费凭证" in text and receipt.number in text and member.name in text and member.credit_code in text
    assert "发票" not in text
    login(client, member.user)
    page = client.get(reverse("membership:payments")).content.decode()
    assert file_url(receipt, "pdf") in page


def test_an_evaluation_fee_gets_a_digital_invoice_issued_through_the_provider(client, mailoutbox,
                                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        evaluation = paid()
    order = evaluation.member.user.orders.get()
    invoice = Invoice.objects.get(order=order)
    assert invoice.kind == Invoice.Kind.E_INVOICE and invoice.state == Invoice.State.ISSUED
    assert invoice.request_no == order.out_trade_no and invoice.serial_no
    assert len(invoice.number) == 20 and invoice.number.isdigit()
    sent = SandboxFapiao.objects.get(order_no=order.out_trade_no).payload
    assert sent["buyerName"] == evaluation.member.name and sent["buyerTaxNum"] == evaluation.member.credit_code
    assert sent["salerTaxNum"] == nuonuo_sandbox.SANDBOX_CONFIG["SELLER_TAX_NUM"]
    assert sent["invoiceDetail"][0]["taxIncludedAmount"] == f"{order.amount:.2f}"
    assert sent["invoiceDetail"][0]["taxRate"] == "0.06" and sent["invoiceLine"] == "pc"
    with invoice.official_file.open("rb") as fh:
        assert invoice.number in _pdf_text(fh.read())
    mail = [m for m in mailoutbox if invoice.number in m.subject]
    assert len(mail) == 1 and mail[0].attachments[0][0] == f"数电发票{invoice.number}.pdf"
    login(client, evaluation.member.user)
    page = client.get(reverse("payments:order_detail", args=[order.out_trade_no])).content.decode()
    assert invoice.number in page and file_url(invoice, "official_file") in page


def test_dues_wait_for_the_dues_receipt_finance_records_and_the_member_then_sees_its_number(
        client, member, mailoutbox, django_capture_on_commit_callbacks):
    order = _paid_dues(client, member, django_capture_on_commit_callbacks)
    invoice = Invoice.objects.get(order=order)
    assert invoice.kind == Invoice.Kind.DUES_RECEIPT and invoice.state == Invoice.State.PENDING
    assert not SandboxFapiao.objects.exists()  # no provider is asked for dues

    finance = _finance()
    login(client, finance)
    url = reverse("admin:payments_invoice_transition", args=[invoice.pk, "record"])
    refused = client.post(url, {"number": "no", "file": upload("票据.pdf", nuonuo_sandbox.sandbox_pdf("1"))})
    assert refused.status_code == 422 and "号码应为" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"number": "1101202600012345", "file": upload("票据.pdf", nuonuo_sandbox.sandbox_pdf("X"))})
    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.ISSUED and invoice.number == "1101202600012345"
    assert any("社会团体会费票据已开具" in m.subject for m in mailoutbox)
    client.logout()
    login(client, member.user)
    page = client.get(reverse("membership:payments")).content.decode()
    assert "1101202600012345" in page and "社会团体会费票据" in page


def test_a_provider_refusal_is_kept_for_finance_who_resubmits_under_a_new_order_number(
        client, e_invoiced_dues, member, django_capture_on_commit_callbacks):
    order = _paid_dues(client, member, django_capture_on_commit_callbacks, execute=False)
    invoice = Invoice.objects.get(order=order)
    # The provider takes the request, then reports it failed.
    invoicing.invoice_submit(invoice_id=invoice.pk)
    SandboxFapiao.objects.filter(order_no=order.out_trade_no).update(status="22", fail_cause="购方税号校验不通过")
    finance = _finance()
    with django_capture_on_commit_callbacks(execute=True):
        invoicing.invoice_check(invoice_id=invoice.pk)
    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.FAILED and "购方税号校验不通过" in invoice.failure_reason
    assert finance.messages.filter(subject__contains="开具失败").count() == 1

    login(client, finance)
    change = client.get(reverse("admin:payments_invoice_change", args=[invoice.pk])).content.decode()
    assert "重新开票" in change and "购方税号校验不通过" in change
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:payments_invoice_transition", args=[invoice.pk, "submit"]))
    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.ISSUED and invoice.request_no == f"{order.out_trade_no}-2"
    assert SandboxFapiao.objects.count() == 2  # the failed request stays on the provider's side too


def test_an_unreachable_provider_is_retried_and_the_error_kept_until_it_answers(
        client, e_invoiced_dues, member, settings, closed_port, django_capture_on_commit_callbacks):
    order = _paid_dues(client, member, django_capture_on_commit_callbacks, execute=False)
    invoice = Invoice.objects.get(order=order)
    settings.INVOICE_SANDBOX = False
    settings.INVOICE_NUONUO = {**nuonuo_sandbox.SANDBOX_CONFIG, "URL": closed_port, "TIMEOUT": 2}
    with pytest.raises(ProviderUnavailable):  # an OSError: the outbox task retries it with backoff
        invoicing.invoice_submit(invoice_id=invoice.pk)
    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.PENDING and "ConnectionError" in invoice.last_error
    assert invoice.submitting_since is None  # the next attempt need not wait

    settings.INVOICE_SANDBOX = True
    with django_capture_on_commit_callbacks(execute=True):
        invoicing.invoice_submit(invoice_id=invoice.pk)
    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.ISSUED and invoice.last_error == "" and invoice.attempts == 2


def test_a_retry_after_a_lost_answer_finds_the_request_instead_of_issuing_twice(
        client, e_invoiced_dues, member, django_capture_on_commit_callbacks):
    order = _paid_dues(client, member, django_capture_on_commit_callbacks, execute=False)
    invoice = Invoice.objects.get(order=order)
    # The provider took the request, but the worker died before it could record the answer.
    backend = nuonuo.NuonuoBackend()
    Invoice.objects.filter(pk=invoice.pk).update(request_no=order.out_trade_no)
    invoice.refresh_from_db()
    serial = backend.issue(InvoiceRequest(request_no=order.out_trade_no, buyer_name=invoice.title,
                                          buyer_tax_id=invoice.tax_id, email=invoice.email, mobile=invoice.mobile,
                                          line=invoice_line(order)))
    with django_capture_on_commit_callbacks(execute=True):
        invoicing.invoice_submit(invoice_id=invoice.pk)
    invoice.refresh_from_db()
    assert invoice.serial_no == serial and invoice.state == Invoice.State.ISSUED
    assert SandboxFapiao.objects.count() == 1


def test_a_forged_signature_or_wrong_key_is_refused_by_the_platform():
    client = nuonuo.NuonuoClient({**nuonuo_sandbox.SANDBOX_CONFIG, "APP_SECRET": "not-the-secret"})
    with pytest.raises(ProviderUnavailable, match="070301"):
        client.call("nuonuo.OpeMplatform.queryInvoiceResult", {"serialNos": ["1"]})
    client = nuonuo.NuonuoClient({**nuonuo_sandbox.SANDBOX_CONFIG, "ACCESS_TOKEN": "stolen"})
    with pytest.raises(ProviderUnavailable, match="070101"):
        client.call("nuonuo.OpeMplatform.queryInvoiceResult", {"serialNos": ["1"]})


@pytest.mark.django_db(transaction=True)  # the server's threads write through their own connections
def test_the_client_speaks_the_platform_over_http_to_a_local_server(settings):
    """The same exchange over a real socket: a local server answers as the sandbox does, from the
    exact bytes received (so the signature is checked on what actually went over the wire)."""
    def platform(request):
        try:
            return 200, nuonuo_sandbox.service_answer(url=request["path"], headers=request["headers"],
                                                      body=request["raw"].encode())
        finally:
            connection.close()

    with serving(platform, ensure_ascii=False) as (address, server):
        settings.INVOICE_SANDBOX = False
        settings.INVOICE_NUONUO = {**nuonuo_sandbox.SANDBOX_CONFIG, "URL": f"{address}/open/v1/services"}
        backend = nuonuo.NuonuoBackend()
        request = InvoiceRequest(request_no="P-HTTP-1", buyer_name="北京某某口腔医院有限公司", buyer_tax_id="",
                                 email="a@b.cn", mobile="13700000000",
                                 line=InvoiceLine(name="评价费", amount=Decimal("8000.00"), goods_code="3049900000000000000",
                                                  tax_rate=Decimal("0.06")))
        serial = backend.issue(request)
        result = backend.query(serial)
        assert backend.find("P-HTTP-1") == serial
    assert result.status == "issued" and len(result.number) == 20
    sent = server.requests[0]
    assert sent["headers"]["method"] == "nuonuo.OpeMplatform.requestBillingNew" and sent["query"]["appkey"] == "SandboxAppKey"
    assert sent["json"]["order"]["buyerName"] == "北京某某口腔医院有限公司"


def test_the_signature_is_hmac_sha1_over_the_canonical_string():
    signature = nuonuo.sign(app_secret="secret", app_key="key", senid="abc", nonce="12345678", timestamp="1700000000",
                            body='{"a":1}', path="/open/v1/services")
    message = 'a=services&l=v1&p=open&k=key&i=abc&n=12345678&t=1700000000&f={"a":1}'
    assert signature == base64.b64encode(hmac.new(b"secret", message.encode(), hashlib.sha1).digest()).decode()


def test_a_refund_reverses_the_issued_invoice_with_a_red_invoice_and_both_stay(
        client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        evaluation = paid()
    order = evaluation.member.user.orders.get()
    invoice = Invoice.objects.get(order=order)
    finance = _finance()
    login(client, finance)
    url = reverse("admin:payments_order_transition", args=[order.pk, "refund"])
    assert client.post(url, {"reason": ""}).status_code == 422  # a refund needs its reason
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "机构撤回申请，评价费原路退回"})
    order.refresh_from_db()
    invoice.refresh_from_db()
    assert order.state == Order.State.REFUNDED and order.refund_reason == "机构撤回申请，评价费原路退回"
    assert invoice.state == Invoice.State.REVERSED and invoice.number and invoice.red_number != invoice.number
    confirm = SandboxRedConfirm.objects.get()
    assert confirm.blue_number == invoice.number and confirm.payload["redReason"] == "3"
    red = SandboxFapiao.objects.get(red=True)
    assert red.payload["elecInvoiceNumber"] == invoice.number and red.payload["billNo"] == confirm.bill_no
    assert invoice.reversal_progress["red_serial_no"] == red.serial_no
    assert invoice.official_file and invoice.red_file  # the blue one is kept
    assert any(invoice.number in m.subject and "红冲" in m.subject for m in mailoutbox)
    client.logout()
    login(client, evaluation.member.user)
    page = client.get(reverse("payments:order_detail", args=[order.out_trade_no])).content.decode()
    assert "已红冲" in page and invoice.red_number in page and invoice.number in page
    assert 'data-testid="refunded"' in page and "机构撤回申请，评价费原路退回" in page and "待支付" not in page


def test_a_reversal_waiting_for_the_buyer_is_asked_about_again_until_confirmed(
        client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        evaluation = paid()
    order = evaluation.member.user.orders.get()
    invoice = Invoice.objects.get(order=order)
    with django_capture_on_commit_callbacks(execute=False):
        services.order_refund(order_id=order.pk, by=_finance(), reason="重复缴费")
    # The buyer booked the invoice, so the platform files the confirmation as waiting for them.
    SandboxRedConfirm.objects.create(bill_id=f"{invoice.request_no}H", bill_no="1" * 20, bill_uuid="u" * 32,
                                     blue_number=invoice.number, status="02", payload={"redReason": "3"})
    invoicing.invoice_check(invoice_id=invoice.pk)
    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.REVERSING and invoice.reversal_progress["bill_status"] == "02"
    SandboxRedConfirm.objects.update(status="04")
    with django_capture_on_commit_callbacks(execute=True):
        assert invoicing.invoices_poll() == 1
    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.REVERSED


def test_a_refund_before_anything_was_issued_cancels_the_invoice_and_a_dues_receipt_is_reversed_by_finance(
        client, member, django_capture_on_commit_callbacks):
    order = _paid_dues(client, member, django_capture_on_commit_callbacks)
    invoice = Invoice.objects.get(order=order)
    finance = _finance()
    with pytest.raises(RefundRefused):
        services.order_refund(order_id=order.pk, by=finance, reason="  ")
    invoicing.invoice_record(invoice_id=invoice.pk, by=finance, number="1101202600012345",
                             file=upload("票据.pdf", nuonuo_sandbox.sandbox_pdf("1")))
    services.order_refund(order_id=order.pk, by=finance, reason="会员退会，会费退回")
    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.REVERSING
    login(client, finance)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:payments_invoice_transition", args=[invoice.pk, "record_reversal"]),
                    {"number": "1101202600019999", "file": upload("红字.pdf", nuonuo_sandbox.sandbox_pdf("2"))})
    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.REVERSED and invoice.red_number == "1101202600019999"

    other = _paid_dues(client, UnitMemberFactory(state=Member.State.APPROVED), django_capture_on_commit_callbacks)
    services.order_refund(order_id=other.pk, by=finance, reason="重复缴费")
    assert Invoice.objects.get(order=other).state == Invoice.State.CANCELLED

    third = _paid_dues(client, UnitMemberFactory(state=Member.State.APPROVED), django_capture_on_commit_callbacks)
    third_invoice = Invoice.objects.get(order=third)
    invoicing.invoice_record(invoice_id=third_invoice.pk, by=finance, number="1101202600020000",
                             file=upload("票据.pdf", nuonuo_sandbox.sandbox_pdf("3")))
    services.order_refund(order_id=third.pk, by=finance, reason="会员退会")
    refused = client.post(reverse("admin:payments_invoice_transition", args=[third_invoice.pk, "record_reversal"]),
                          {"number": "1101202600019999", "file": upload("红字.pdf", nuonuo_sandbox.sandbox_pdf("4"))})
    assert refused.status_code == 422 and "已登记在其他票据上" in refused.content.decode()  # a number used already


def test_a_refund_waits_while_the_provider_is_issuing(client, e_invoiced_dues, member,
                                                      django_capture_on_commit_callbacks):
    order = _paid_dues(client, member, django_capture_on_commit_callbacks, execute=False)
    invoice = Invoice.objects.get(order=order)
    with django_capture_on_commit_callbacks(execute=False):
        invoicing.invoice_submit(invoice_id=invoice.pk)
    with pytest.raises(InvoiceRefused, match="正在开具"):
        services.order_refund(order_id=order.pk, by=_finance(), reason="重复缴费")
    order.refresh_from_db()
    assert order.state == Order.State.PAID


def test_the_poll_finishes_an_invoice_whose_check_was_lost(client, e_invoiced_dues, member,
                                                             django_capture_on_commit_callbacks):
    order = _paid_dues(client, member, django_capture_on_commit_callbacks, execute=False)
    invoice = Invoice.objects.get(order=order)
    with django_capture_on_commit_callbacks(execute=False):  # the check job is never sent
        invoicing.invoice_submit(invoice_id=invoice.pk)
    assert Invoice.objects.get(pk=invoice.pk).state == Invoice.State.REQUESTED
    with django_capture_on_commit_callbacks(execute=True):
        assert invoicing.invoices_poll() == 1
    assert Invoice.objects.get(pk=invoice.pk).state == Invoice.State.ISSUED
    assert OutboxJob.objects.filter(task="payments.tasks.check_invoice").exists()


def test_overdue_documents_are_escalated_to_finance_once(client, member, django_capture_on_commit_callbacks):
    finance = _finance()
    order = _paid_dues(client, member, django_capture_on_commit_callbacks)
    later = timezone.now() + dt.timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True):
        assert invoicing.invoices_escalate_overdue(now=later) == 1
        assert invoicing.invoices_escalate_overdue(now=later) == 0
    invoice = Invoice.objects.get(order=order)
    assert invoice.state == Invoice.State.PENDING and invoice.escalated_at
    assert finance.messages.filter(subject__contains="逾期").count() == 1
    login(client, finance)
    listing = client.get(reverse("admin:payments_invoice_changelist") + "?overdue=1").content.decode()
    assert order.out_trade_no in listing
