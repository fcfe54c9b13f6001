"""Every write in payments. Each function is atomic, locks the row it moves, logs the
transition (django-fsm-log) and leaves side effects (PDFs, emails, SMS) to on_commit."""
import datetime as dt
import logging
import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.notifications import notification_send
from core.outbox import resend_stale, task_send
from core.uploads import original_name

from . import gateway
from .exceptions import GatewayError, NothingToPay, OrderNotOpen, RefundRefused, TransferRefused
from .forms import same_payer
from .invoicing.services import invoice_open, invoice_reverse_for_refund
from .models import BankTransfer, Order, PaymentAnomaly, ReceivedNotification, WechatNotification
from .payable import Payable, payable_paid, payment_due

logger = logging.getLogger(__name__)
APPLY_TASK, APPLY_ALL_TASK = "payments.tasks.apply_notification", "payments.tasks.apply_notifications"
SOURCES = {"notify": "支付通知", "query": "主动查询"}  # how a WeChat payment reached the portal


def _new_out_trade_no() -> str:
    return f"P{timezone.localtime():%Y%m%d%H%M%S}{secrets.randbelow(10**8):08d}"


def _locked(order_id: int) -> Order:
    return Order.objects.select_for_update().get(pk=order_id)


def _locked_with_payable(order_id: int | None) -> Order | None:
    """Lock the order's payable, then the order: the same order as opening an order takes
    (payable first), so paying and opening at once never deadlock."""
    if order_id is None:
        return None
    order = Order.objects.select_related("content_type").get(pk=order_id)
    order.content_type.model_class().objects.select_for_update(of=("self",)).filter(pk=order.object_id).first()
    return _locked(order_id)


def order_for_payable(*, payable: Payable, invoice_email: str, invoice_mobile: str) -> Order:
    """The open order for ``payable``, created with its invoice information if there is
    none. The payable's row is locked first and a database constraint allows one open order
    per payable, so concurrent clicks share one order and nothing is paid for twice.
    Raises NothingToPay when the payable does not wait for a payment."""
    content_type = ContentType.objects.get_for_model(payable)
    with transaction.atomic():
        payable = type(payable).objects.select_for_update(of=("self",)).get(pk=payable.pk)
        existing = _open_order(content_type, payable.pk)
        if existing:
            if existing.state == Order.State.UNPAID:
                existing.invoice_email, existing.invoice_mobile = invoice_email, invoice_mobile
                existing.save(update_fields=["invoice_email", "invoice_mobile"])
            return existing
        if not payment_due(payable):
            raise NothingToPay("当前无需缴费（可能已缴纳，或尚未到缴费阶段）。")
        party = payable.invoice_party()
        order = Order.objects.create(
            out_trade_no=_new_out_trade_no(),
            payer=payable.payment_payer(),
            content_type=content_type,
            object_id=payable.pk,
            description=payable.payment_description()[:120],
            amount=payable.payment_amount(),
            invoice_title=party.title,
            invoice_tax_id=party.tax_id,
            invoice_email=invoice_email,
            invoice_mobile=invoice_mobile,
            expires_at=timezone.now() + dt.timedelta(hours=settings.ORDER_EXPIRE_HOURS),
        )
    logger.info("order %s created for %s #%s: %s yuan", order.out_trade_no, content_type.model, payable.pk, order.amount)
    return order


def _open_order(content_type, object_id) -> Order | None:
    return (Order.objects.select_for_update()
            .filter(content_type=content_type, object_id=object_id,
                    state__in=[Order.State.UNPAID, Order.State.AWAITING_VERIFICATION])
            .first())


def order_start_wechat(*, order_id: int) -> Order:
    """Get the Native code_url for an unpaid order (reused while the order is open)."""
    order = Order.objects.get(pk=order_id)
    if order.state != Order.State.UNPAID:
        raise OrderNotOpen("该订单当前不能使用微信支付。")
    if order.wechat_code_url:
        return order
    # The gateway call is outside any transaction: no row stays locked while WeChat answers.
    code_url = gateway.api().create_native(
        out_trade_no=order.out_trade_no, description=order.description,
        total_fen=order.amount_fen, expires_at=order.expires_at,
    )
    with transaction.atomic():
        order = _locked(order_id)
        if order.state != Order.State.UNPAID:
            raise OrderNotOpen("该订单当前不能使用微信支付。")
        order.wechat_code_url = code_url
        order.save(update_fields=["wechat_code_url"])
    return order


def _record_anomaly(kind, *, order=None, resource=None, **detail) -> None:
    resource = resource or {}
    try:
        with transaction.atomic():
            PaymentAnomaly.objects.create(
                kind=kind, order=order, out_trade_no=str(resource.get("out_trade_no") or "")[:64],
                transaction_id=str(resource.get("transaction_id") or "")[:64],
                detail={"resource": resource, **detail},
            )
    except IntegrityError:
        return  # the same transaction was already reported
    logger.warning("payment anomaly %s for %s", kind, resource.get("out_trade_no"))


def wechat_notification_receive(*, resource: dict) -> ReceivedNotification:
    """A verified notification, kept, then applied by a worker; WeChat is answered once it is
    kept (it retries anything not acknowledged). The row is its own outbox entry, written by
    one statement (which commits by itself: a burst of payments costs one round trip each),
    and an acknowledged notification is applied however long the broker is away
    (``received_notifications_resend``)."""
    received = ReceivedNotification.objects.create(resource=resource)
    transaction.on_commit(_apply_soon)
    return received


# A burst of payments (a dues deadline, WeChat retrying) is answered first and applied just
# after: one task applies every notification kept by then, sent by the first notification of the
# burst (the key says one is on its way) and run a second later, so answering WeChat never
# waits behind applying. The payment page asks every two seconds.
APPLY_SCHEDULED_KEY = "payments:apply-notifications-scheduled"
APPLY_DELAY_SECONDS = 1
# How long the key holds back further runs: short, so a run whose message is lost holds back the
# next one for seconds (what it would have applied goes to the next run or to the resend
# scanner); a run sent again meanwhile does no harm, applying is idempotent.
APPLY_SCHEDULED_SECONDS = 10


def _apply_soon() -> None:
    # False: a run is on its way and will see this row (it clears the key before it looks);
    # None: the cache is unreachable, so send one anyway.
    if cache.add(APPLY_SCHEDULED_KEY, True, timeout=APPLY_SCHEDULED_SECONDS) is not False:
        task_send(APPLY_ALL_TASK, countdown=APPLY_DELAY_SECONDS)


def received_notifications_apply(*, limit: int = 200) -> int:
    """Apply every kept notification not applied yet, oldest first (at most ``limit``; the rest
    in another run). One that fails is logged and left for the resend scanner, so it never holds
    up the others' payments. Returns how many were applied."""
    cache.delete(APPLY_SCHEDULED_KEY)  # first: a notification kept from now on sends another run
    pending = list(ReceivedNotification.objects.filter(applied_at__isnull=True).order_by("pk")
                   .values_list("pk", flat=True)[:limit])
    applied = 0
    for received_id in pending:
        try:
            received_notification_apply(received_id=received_id)
        except Exception:  # each notification is its own payment: the next one must still be applied
            logger.exception("WeChat notification %s not applied; the resend scanner retries it", received_id)
        else:
            applied += 1
    if len(pending) == limit:
        _apply_soon()
    return applied


def received_notifications_resend(*, now=None) -> int:
    """Send the task again for every kept notification still not applied a while after it was
    last sent (a lost broker message, a worker that died). Returns how many."""
    return resend_stale(ReceivedNotification.objects.filter(applied_at__isnull=True),
                        lambda pk: task_send(APPLY_TASK, pk), now=now)


def received_notification_apply(*, received_id: int) -> str:
    """Apply a kept notification (idempotent: the transaction is applied once, whoever runs it)."""
    received = ReceivedNotification.objects.get(pk=received_id)
    if received.applied_at:
        return received.outcome
    outcome = wechat_transaction_apply(resource=received.resource, source="notify")
    ReceivedNotification.objects.filter(pk=received_id, applied_at__isnull=True).update(
        applied_at=timezone.now(), outcome=outcome)
    logger.info("WeChat notification for %s: %s", received.resource.get("out_trade_no"), outcome)
    return outcome


def wechat_transaction_apply(*, resource: dict, source: str) -> str:
    """Apply a verified WeChat transaction (from a notification or a query).

    Marks the order paid only when trade_state is SUCCESS and mchid, appid, out_trade_no,
    amount (fen) and currency all match; anything else is recorded for finance. A
    transaction already applied changes nothing. Returns "paid", "duplicate", "ignored"
    or "anomaly".
    """
    conf = gateway.config()
    transaction_id = resource.get("transaction_id") or ""
    if not isinstance(transaction_id, str):
        transaction_id = ""
    if resource.get("trade_state") != "SUCCESS":
        return "ignored"  # NOTPAY, USERPAYING... nothing has happened yet
    # Signed does not mean well-formed: a field of the wrong type is a mismatch, not a crash.
    amount = resource.get("amount") if isinstance(resource.get("amount"), dict) else {}
    checks = [
        (PaymentAnomaly.Kind.MCHID, resource.get("mchid") == conf.mchid),
        (PaymentAnomaly.Kind.APPID, resource.get("appid") == conf.appid),
        (PaymentAnomaly.Kind.CURRENCY, amount.get("currency") == "CNY"),
    ]
    with transaction.atomic():
        order = _locked_with_payable(Order.objects.filter(out_trade_no=str(resource.get("out_trade_no") or ""))
                                     .values_list("pk", flat=True).first())
        if order is None:
            _record_anomaly(PaymentAnomaly.Kind.UNKNOWN_ORDER, resource=resource)
            return "anomaly"
        if order.transaction_id == transaction_id or WechatNotification.objects.filter(
            transaction_id=transaction_id
        ).exists():
            return "duplicate"
        total = amount.get("total")
        checks.append((PaymentAnomaly.Kind.AMOUNT, type(total) is int and total == order.amount_fen))
        failed = [kind for kind, ok in checks if not ok]
        if not transaction_id:
            failed.append(PaymentAnomaly.Kind.NOT_SUCCESS)
        if failed:
            for kind in failed:
                _record_anomaly(kind, order=order, resource=resource, expected_fen=order.amount_fen)
            return "anomaly"
        WechatNotification.objects.create(transaction_id=transaction_id, out_trade_no=order.out_trade_no,
                                          order=order, resource=resource, source=source)
        if order.state == Order.State.CLOSED:
            _record_anomaly(PaymentAnomaly.Kind.PAID_AFTER_CLOSE, order=order, resource=resource)
            return "anomaly"
        if order.state != Order.State.UNPAID:
            _record_anomaly(PaymentAnomaly.Kind.DOUBLE_PAYMENT, order=order, resource=resource,
                            state=order.state)
            return "anomaly"
        order.pay_by_wechat(transaction_id=transaction_id, paid_at=timezone.now(),
                            description=f"微信支付 {transaction_id}（{SOURCES.get(source, source)}）")
        order.save()
        _order_paid(order)
    logger.info("order %s paid by WeChat transaction %s (%s)", order.out_trade_no, transaction_id, source)
    return "paid"


def _order_paid(order: Order, by=None) -> None:
    """Inside the paying transaction: open the receipt and invoice, tell the payable, queue the rest.
    Money for a payable that no longer waits for it (paid already by another order) is an
    anomaly for finance to return: no second invoice, term or fee."""
    payable = type(order.payable).objects.select_for_update(of=("self",)).get(pk=order.object_id)
    if not payment_due(payable):
        _record_anomaly(PaymentAnomaly.Kind.NOT_DUE, order=order,
                        resource={"out_trade_no": order.out_trade_no, "transaction_id": order.transaction_id or ""},
                        reason="付款对象已无需缴费（已缴纳或状态已变化），款项待退回")
        return
    invoice_open(order=order)
    payable_paid(payable, order=order, by=by)


def order_submit_transfer(*, order_id: int, by, voucher, account_name: str, amount: Decimal,
                          transferred_on: dt.date, registered_name: str) -> BankTransfer:
    """Record a bank-transfer voucher and send the order to finance. Only the registered
    unit's own account may pay (paying on another's behalf is refused)."""
    if not same_payer(account_name, registered_name):
        raise TransferRefused(f"付款账户名称须与注册名称“{registered_name}”一致，不支持其它单位代缴。")
    with transaction.atomic():
        order = _locked(order_id)
        if order.state != Order.State.UNPAID:
            raise OrderNotOpen("该订单已支付、已关闭或正在核实，不能再提交转账凭证。")
        transfer = BankTransfer(
            order=order, voucher_name=original_name(voucher), account_name=account_name.strip(),
            amount=amount, transferred_on=transferred_on, submitted_by=by,
            amount_mismatch=amount != order.amount,
        )
        transfer.voucher.save(voucher.name, voucher, save=False)
        transfer.save()
        order.submit_transfer(by=by, description=f"提交转账凭证：{transfer.account_name} ¥{amount}")
        order.save()
    logger.info("order %s: transfer voucher %s submitted", order.out_trade_no, transfer.pk)
    return transfer


def order_verify_transfer(*, order_id: int, by, statement_payer: str) -> Order:
    """Finance confirms the transfer arrived from the registered unit's own account (the payer
    on the bank statement): the order is paid. Money from anyone else cannot be verified."""
    with transaction.atomic():
        order = _locked_with_payable(order_id)
        if not same_payer(statement_payer, order.invoice_title):
            raise TransferRefused(f"银行流水付款户名“{statement_payer.strip()}”与注册名称“{order.invoice_title}”不符，"
                                  "不能核实（不支持其它单位代缴）。请“退回凭证”，并在原因中说明款项将原路退回付款账户。")
        transfer = order.transfers.select_for_update().filter(decision=BankTransfer.Decision.PENDING).first()
        order.verify_transfer(paid_at=timezone.now(), by=by, description=f"财务核实到账（付款户名：{statement_payer.strip()}）")
        order.save()
        if transfer:
            transfer.decision, transfer.decided_by, transfer.decided_at = BankTransfer.Decision.VERIFIED, by, timezone.now()
            transfer.statement_payer = statement_payer.strip()
            transfer.save(update_fields=["decision", "decided_by", "decided_at", "statement_payer"])
        _order_paid(order, by=by)
    logger.info("order %s: transfer verified by %s", order.out_trade_no, by.pk)
    return order


def order_reject_transfer(*, order_id: int, by, reason: str) -> Order:
    """Finance cannot match the transfer; the payer is told why and may pay again."""
    if not reason.strip():
        raise TransferRefused("退回凭证时请填写原因。")
    with transaction.atomic():
        order = _locked(order_id)
        order.reject_transfer(by=by, description=reason)
        order.save()
        order.transfers.filter(decision=BankTransfer.Decision.PENDING).update(
            decision=BankTransfer.Decision.REJECTED, reason=reason, decided_by=by, decided_at=timezone.now()
        )
        payer = order.payer
        transaction.on_commit(lambda: notification_send(
            template="transfer_rejected", user=payer, url=reverse("payments:order_detail", args=[order.out_trade_no]),
            context={"order": order, "reason": reason},
        ))
    return order


def order_close(*, order_id: int, reason: str, by=None) -> Order:
    """Close an unpaid order (expired or cancelled) here and at WeChat."""
    with transaction.atomic():
        order = _locked(order_id)
        order.close(closed_at=timezone.now(), reason=reason, by=by, description=reason)
        order.save()
    if order.wechat_code_url:
        try:
            gateway.api().close(out_trade_no=order.out_trade_no)
        except GatewayError:
            logger.warning("order %s closed here but WeChat close failed; reconcile will retry the query",
                           order.out_trade_no)
    return order


def orders_reconcile(*, now=None) -> int:
    """Ask WeChat about Native orders still unpaid after a while (a lost notification is
    applied as if it had arrived) and close orders past their expiry. Returns how many
    orders changed."""
    now = now or timezone.now()
    changed = 0
    query_before = now - dt.timedelta(minutes=settings.WECHATPAY_QUERY_AFTER_MINUTES)
    stale = Order.objects.filter(state=Order.State.UNPAID, created_at__lt=query_before).exclude(wechat_code_url="")
    for out_trade_no in stale.values_list("out_trade_no", flat=True)[:200]:
        try:
            resource = gateway.api().query(out_trade_no=out_trade_no)
        except GatewayError:
            logger.warning("reconcile: query for %s failed", out_trade_no)
            continue
        if resource and wechat_transaction_apply(resource=resource, source="query") == "paid":
            changed += 1
    with transaction.atomic():
        expired = list(
            Order.objects.select_for_update(skip_locked=True)
            .filter(state=Order.State.UNPAID, expires_at__lt=now)
            .values_list("pk", flat=True)[:200]
        )
    for pk in expired:
        order_close(order_id=pk, reason="超过支付期限，订单自动关闭")
        changed += 1
    return changed


def order_refund(*, order_id: int, by, reason: str) -> Order:
    """Finance records that a paid order's money went back to the payer (through WeChat Pay's
    merchant platform or the bank). Its invoice is cancelled if nothing was issued yet, and
    reversed (红冲) if it was. What the refund means for the payable (a term, a seat) is
    decided in its own workflow."""
    if not reason.strip():
        raise RefundRefused("登记退款时请填写原因。")
    with transaction.atomic():
        order = _locked_with_payable(order_id)
        order.refund(refunded_at=timezone.now(), reason=reason.strip()[:300], by=by, description=f"登记退款：{reason}")
        order.save()
        invoice_reverse_for_refund(order=order, by=by, reason=reason.strip())
    logger.info("order %s refunded by %s", order.out_trade_no, by.pk)
    return order
