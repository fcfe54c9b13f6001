"""Every write about receipts and official documents. Provider calls are made outside any
transaction (no row stays locked while the provider answers); the rows are locked before and
after, and each step is idempotent, so the outbox may run a task twice."""
import datetime as dt
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.roles import FINANCE, notify_role
from core.calendar import add_working_days
from core.notifications import Attachment, notification_send
from core.outbox import job_enqueue
from core.pdf import render_pdf

from ..exceptions import InvoiceRefused
from ..models import Invoice, Order, Receipt
from .backend import BlueInvoice, InvoiceRequest, ProviderRefused, ProviderUnavailable, backend_name, invoice_backend
from .documents import document_kind, invoice_line

logger = logging.getLogger(__name__)
# A submission under way is left alone this long by a second runner (its answer may be coming).
SUBMIT_LEASE = dt.timedelta(minutes=2)
OPEN_AT_PROVIDER = (Invoice.State.REQUESTED, Invoice.State.REVERSING)


def _locked(invoice_id: int) -> Invoice:
    return Invoice.objects.select_for_update(of=("self",)).select_related("order").get(pk=invoice_id)


def _order_url(invoice: Invoice) -> str:
    return reverse("payments:order_detail", args=[invoice.order.out_trade_no])


def invoice_open(*, order: Order) -> Invoice:
    """Inside the paying transaction: the receipt and the official document a paid order is
    owed, the document due within INVOICE_DUE_WORKING_DAYS; their work is queued."""
    receipt = Receipt.objects.create(order=order, number=f"SJ{order.out_trade_no.removeprefix('P')}")
    due = add_working_days(timezone.localdate(order.paid_at), settings.INVOICE_DUE_WORKING_DAYS)
    kind = document_kind(order)
    invoice = Invoice.objects.create(
        order=order, kind=kind, title=order.invoice_title, tax_id=order.invoice_tax_id, email=order.invoice_email,
        mobile=order.invoice_mobile, amount=order.amount, item=order.description,
        due_on=due.date, due_provisional=due.provisional,
        provider=backend_name() if kind == Invoice.Kind.E_INVOICE else "",
    )
    job_enqueue("payments.tasks.make_receipt", receipt.pk)
    if kind == Invoice.Kind.E_INVOICE:
        job_enqueue("payments.tasks.submit_invoice", invoice.pk)
    return invoice


def receipt_make(*, receipt_id: int) -> Receipt:
    """Draw the payment receipt's PDF (once)."""
    with transaction.atomic():
        receipt = Receipt.objects.select_for_update(of=("self",)).select_related("order").get(pk=receipt_id)
        if not receipt.pdf:
            pdf = render_pdf("payments/receipt_pdf.html", {"receipt": receipt, "order": receipt.order})
            receipt.pdf.save(f"{receipt.number}.pdf", ContentFile(pdf), save=False)
            receipt.save(update_fields=["pdf"])
    return receipt


def _next_request_no(invoice: Invoice) -> str:
    """One provider order number per attempt: the order's number, then "-2", "-3"... after a refusal."""
    base = invoice.order.out_trade_no
    if not invoice.request_no:
        return base
    attempt = int(invoice.request_no.rpartition("-")[2]) if invoice.request_no != base else 1
    return f"{base}-{attempt + 1}"


def _record_error(invoice_id: int, exc: Exception) -> None:
    Invoice.objects.filter(pk=invoice_id).update(last_error=str(exc)[:500], submitting_since=None)
    logger.warning("invoice %s: provider unavailable, will retry: %s", invoice_id, exc)


def invoice_submit(*, invoice_id: int, by=None) -> Invoice:
    """Hand a pending (or refused, then corrected) 数电发票 to the provider. A request that may
    already have reached the provider is looked up before it is sent again, so a retry never
    issues twice. ProviderUnavailable propagates (the task retries it); a refusal is stored."""
    with transaction.atomic():
        invoice = _locked(invoice_id)
        if invoice.kind != Invoice.Kind.E_INVOICE or invoice.state not in (Invoice.State.PENDING, Invoice.State.FAILED):
            return invoice
        now = timezone.now()
        if invoice.submitting_since and now - invoice.submitting_since < SUBMIT_LEASE:
            return invoice
        if invoice.state == Invoice.State.FAILED or not invoice.request_no:
            invoice.request_no = _next_request_no(invoice)
        invoice.submitting_since, invoice.attempts = now, invoice.attempts + 1
        invoice.save(update_fields=["request_no", "submitting_since", "attempts"])
    request = InvoiceRequest(request_no=invoice.request_no, buyer_name=invoice.title, buyer_tax_id=invoice.tax_id,
                             email=invoice.email, mobile=invoice.mobile, line=invoice_line(invoice.order),
                             remark=f"订单号 {invoice.order.out_trade_no}")
    try:
        backend = invoice_backend()
        serial = backend.find(request.request_no) or backend.issue(request)
    except ProviderUnavailable as exc:
        _record_error(invoice_id, exc)
        raise
    except ProviderRefused as exc:
        return _refused(invoice_id, reason=f"开票平台拒绝：{exc}", by=by)
    with transaction.atomic():
        invoice = _locked(invoice_id)
        if invoice.state in (Invoice.State.PENDING, Invoice.State.FAILED):
            invoice.request(serial_no=serial, by=by, description=f"提交开票（开票单号 {invoice.request_no}，流水号 {serial}）")
            invoice.submitting_since, invoice.last_error = None, ""
            invoice.save()
            job_enqueue("payments.tasks.check_invoice", invoice.pk)
    logger.info("invoice %s submitted as %s, serial %s", invoice_id, invoice.request_no, serial)
    return invoice


def _refused(invoice_id: int, *, reason: str, by=None) -> Invoice:
    with transaction.atomic():
        invoice = _locked(invoice_id)
        if invoice.state in (Invoice.State.PENDING, Invoice.State.REQUESTED):
            invoice.fail(reason=reason, by=by, description=reason)
            invoice.submitting_since = None
            invoice.save()
            notify_role(FINANCE, template="invoice_failed", context={"invoice": invoice},
                        url=reverse("admin:payments_invoice_change", args=[invoice.pk]))
    logger.warning("invoice %s refused: %s", invoice_id, reason)
    return invoice


def invoice_resubmit(*, invoice_id: int, by) -> Invoice:
    """Finance asks for a refused (or not yet sent) 数电发票 to be issued again, now."""
    with transaction.atomic():
        invoice = _locked(invoice_id)
        if invoice.kind != Invoice.Kind.E_INVOICE or invoice.state not in (Invoice.State.PENDING, Invoice.State.FAILED):
            raise InvoiceRefused("只有待开票或开票失败的数电发票可以重新提交。")
        invoice.submitting_since = None
        invoice.save(update_fields=["submitting_since"])
        job_enqueue("payments.tasks.submit_invoice", invoice.pk)
    logger.info("invoice %s: resubmission asked by %s", invoice_id, by.pk)
    return invoice


def _delivered(invoice: Invoice, content: bytes, *, red: bool) -> None:
    """Email the document (attached) and SMS a link to the payer's invoice contact, after commit."""
    url = _order_url(invoice)
    template = "invoice_reversed" if red else "invoice_issued"
    number = invoice.red_number if red else invoice.number
    name = f"{'红字' if red else ''}{invoice.get_kind_display()}{number}.pdf"
    transaction.on_commit(lambda: notification_send(
        template=template, user=invoice.order.payer, email=invoice.email, mobile=invoice.mobile, url=url,
        context={"invoice": invoice, "url": settings.SITE_URL + url},
        attachment=Attachment(name, content) if content else None,
    ))


def invoice_check(*, invoice_id: int) -> Invoice:
    """Ask the provider how a requested invoice (or a reversal) stands and record the answer:
    issued (number and file kept, the payer told), failed (the reason kept), or not yet."""
    invoice = Invoice.objects.select_related("order").get(pk=invoice_id)
    if invoice.state == Invoice.State.REVERSING and invoice.kind == Invoice.Kind.E_INVOICE:
        return _reversal_step(invoice)
    if invoice.state != Invoice.State.REQUESTED:
        return invoice
    try:
        backend = invoice_backend()
        result = backend.query(invoice.serial_no)
        content = backend.download(result.pdf_url) if result.status == "issued" and result.pdf_url else b""
    except ProviderUnavailable as exc:
        _record_error(invoice_id, exc)
        raise
    if result.status == "failed":
        return _refused(invoice_id, reason=f"开票失败：{result.failure_reason}")
    if result.status != "issued":
        return invoice
    with transaction.atomic():
        invoice = _locked(invoice_id)
        if invoice.state != Invoice.State.REQUESTED:
            return invoice
        if content:
            invoice.official_file.save(f"{result.number}.pdf", ContentFile(content), save=False)
        invoice.issue(number=result.number, at=timezone.now(), description=f"开票平台已开具，发票号码 {result.number}")
        invoice.last_error = ""
        invoice.save()
        _delivered(invoice, content, red=False)
    logger.info("invoice %s issued: %s", invoice_id, result.number)
    return invoice


def _reversal_step(invoice: Invoice) -> Invoice:
    """Take the provider's reversal steps as far as they go now; finish once the red invoice is issued."""
    progress = dict(invoice.reversal_progress)
    blue = BlueInvoice(request_no=invoice.request_no or "", serial_no=invoice.serial_no, number=invoice.number or "",
                       buyer_name=invoice.title, buyer_tax_id=invoice.tax_id,
                       red_request_no=f"{invoice.request_no}H", reason=invoice.reversal_reason)
    try:
        backend = invoice_backend()
        red_serial = backend.reverse(blue, progress)
        result = backend.query(red_serial) if red_serial else None
        if result and result.status == "failed":
            raise ProviderRefused(f"红字发票开具失败：{result.failure_reason}")
        content = backend.download(result.pdf_url) if result and result.status == "issued" and result.pdf_url else b""
    except ProviderUnavailable as exc:
        Invoice.objects.filter(pk=invoice.pk).update(reversal_progress=progress, last_error=str(exc)[:500])
        raise
    except ProviderRefused as exc:
        Invoice.objects.filter(pk=invoice.pk).update(reversal_progress=progress,
                                                     failure_reason=f"红冲未完成：{exc}"[:500])
        notify_role(FINANCE, template="invoice_failed", context={"invoice": invoice},
                    url=reverse("admin:payments_invoice_change", args=[invoice.pk]))
        return invoice
    with transaction.atomic():
        invoice = _locked(invoice.pk)
        invoice.reversal_progress, invoice.last_error = progress, ""
        if invoice.state != Invoice.State.REVERSING or not result or result.status != "issued":
            invoice.save(update_fields=["reversal_progress", "last_error"])
            return invoice
        if content:
            invoice.red_file.save(f"{result.number}.pdf", ContentFile(content), save=False)
        invoice.finish_reversal(red_number=result.number, at=timezone.now(),
                                description=f"开票平台已开具红字发票 {result.number}")
        invoice.save()
        _delivered(invoice, content, red=True)
    logger.info("invoice %s reversed by red invoice %s", invoice.pk, result.number)
    return invoice


def invoice_record(*, invoice_id: int, by, number: str, file) -> Invoice:
    """Finance records a document issued outside the provider: the 会费票据 from the 财政电子
    票据 platform, or a 数电发票 issued by hand while the provider was refusing."""
    with transaction.atomic():
        invoice = _locked(invoice_id)
        if invoice.state not in (Invoice.State.PENDING, Invoice.State.FAILED):
            raise InvoiceRefused("该票据已开具、正在开具或已作废，不能再登记。")
        if Invoice.objects.filter(number=number).exclude(pk=invoice.pk).exists():
            raise InvoiceRefused(f"号码 {number} 已登记在其他票据上。")
        invoice.official_file.save(file.name, file, save=False)
        invoice.issue(number=number, at=timezone.now(), by=by, description=f"财务登记{invoice.get_kind_display()} {number}")
        invoice.save()
        file.seek(0)
        _delivered(invoice, file.read(), red=False)
    logger.info("invoice %s recorded as %s by %s", invoice_id, number, by.pk)
    return invoice


def invoice_record_reversal(*, invoice_id: int, by, number: str, file) -> Invoice:
    """Finance records the red-letter document it issued itself, ``number`` being its red
    number (a 会费票据's 冲红, or a 数电发票 the provider would not reverse)."""
    with transaction.atomic():
        invoice = _locked(invoice_id)
        if invoice.state != Invoice.State.REVERSING:
            raise InvoiceRefused("只有红冲中的票据可以登记红字票据。")
        if Invoice.objects.filter(red_number=number).exclude(pk=invoice.pk).exists():
            raise InvoiceRefused(f"红字号码 {number} 已登记在其他票据上。")
        invoice.red_file.save(file.name, file, save=False)
        invoice.finish_reversal(red_number=number, at=timezone.now(), by=by,
                                description=f"财务登记红字{invoice.get_kind_display()} {number}")
        invoice.save()
        file.seek(0)
        _delivered(invoice, file.read(), red=True)
    return invoice


def invoice_reverse_for_refund(*, order: Order, by, reason: str) -> Invoice | None:
    """Inside the refunding transaction: nothing issued is cancelled outright; an issued
    document is reversed (by the provider for a 数电发票, by finance for a 会费票据)."""
    invoice = Invoice.objects.select_for_update(of=("self",)).filter(order=order).first()
    if invoice is None:
        return None
    if invoice.state == Invoice.State.REQUESTED or invoice.submitting_since:
        raise InvoiceRefused("发票正在开具中，请待开具完成（通常几分钟）后再登记退款。")
    if invoice.state in (Invoice.State.PENDING, Invoice.State.FAILED):
        invoice.cancel(by=by, description=f"退款，未开具的票据取消：{reason}")
        invoice.save()
    elif invoice.state == Invoice.State.ISSUED:
        invoice.start_reversal(reason=reason, by=by, description=f"退款，红冲：{reason}")
        invoice.save()
        if invoice.kind == Invoice.Kind.E_INVOICE:
            job_enqueue("payments.tasks.check_invoice", invoice.pk)
    return invoice


def invoices_poll(*, now=None) -> int:
    """Ask again about every invoice the provider is still working on (issuing or reversing):
    each check goes through the outbox, so an outage only delays it."""
    ids = list(Invoice.objects.filter(state__in=OPEN_AT_PROVIDER, kind=Invoice.Kind.E_INVOICE)
               .exclude(state=Invoice.State.REVERSING, failure_reason__gt="")  # stopped: finance records it
               .values_list("pk", flat=True)[:500])
    with transaction.atomic():
        for pk in ids:
            job_enqueue("payments.tasks.check_invoice", pk)
    return len(ids)


def invoices_escalate_overdue(*, now=None) -> int:
    """Documents still not issued after their due date go to finance, once."""
    now = now or timezone.now()
    with transaction.atomic():
        overdue = list(
            Invoice.objects.select_for_update(skip_locked=True, of=("self",)).select_related("order")
            .filter(state__in=[Invoice.State.PENDING, Invoice.State.REQUESTED, Invoice.State.FAILED],
                    due_on__lt=timezone.localdate(now), escalated_at__isnull=True)[:200]
        )
        Invoice.objects.filter(pk__in=[invoice.pk for invoice in overdue]).update(escalated_at=now)
        if overdue:
            notify_role(FINANCE, template="invoice_overdue", context={"invoices": overdue},
                        url=reverse("admin:payments_invoice_changelist") + "?overdue=1")
    return len(overdue)
