import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.outbox import job_enqueue
from core.qrcodes import qr_svg

from . import gateway, sandbox, selectors, services
from .exceptions import NotificationRejected, PaymentError
from .forms import BankTransferForm, InvoiceInfoForm
from .models import Order

logger = logging.getLogger(__name__)


def _own_order(request, out_trade_no) -> Order:
    order = selectors.order_of(user=request.user, out_trade_no=out_trade_no)
    if order is None:
        raise Http404
    return order


def invoice_info(request, *, payable, back_url: str):
    """The step before paying, for any payable: confirm the fixed invoice title and say
    where the invoice goes. Views of payable apps call this with their object."""
    party = payable.invoice_party()
    email, mobile = payable.invoice_contact()
    form = InvoiceInfoForm(request.POST or None, initial={"invoice_email": email, "invoice_mobile": mobile})
    if request.method == "POST" and form.is_valid():
        try:
            order = services.order_for_payable(payable=payable, **form.cleaned_data)
        except PaymentError as exc:
            messages.info(request, str(exc))
            return redirect(back_url)
        return redirect("payments:pay", out_trade_no=order.out_trade_no)
    return render(request, "payments/invoice_info.html", {
        "form": form, "party": party, "payable": payable, "amount": payable.payment_amount(), "back_url": back_url,
        "flow": payable.payment_context(),
    })


def _not_payable(request, order: Order):
    """Where a payment page sends someone whose order no longer waits for payment."""
    if order.state == Order.State.PAID:
        messages.success(request, f"支付成功：{order.description}。")
        return redirect(order.payable.payment_done_url())
    return redirect("payments:order_detail", out_trade_no=order.out_trade_no)


@login_required
def pay(request, out_trade_no):
    order = _own_order(request, out_trade_no)
    if order.state != Order.State.UNPAID:
        return _not_payable(request, order)
    return render(request, "payments/pay.html", {"order": order, "flow": order.payable.payment_context()})


@login_required
def wechat_pay(request, out_trade_no):
    order = _own_order(request, out_trade_no)
    if order.state != Order.State.UNPAID:
        return _not_payable(request, order)
    try:
        order = services.order_start_wechat(order_id=order.pk)
    except PaymentError as exc:
        messages.error(request, f"暂时无法发起微信支付：{exc}。请稍后重试或选择对公转账。")
        return redirect("payments:pay", out_trade_no=out_trade_no)
    return render(request, "payments/wechat.html", {"flow": order.payable.payment_context(),
        "order": order, "qr_svg": qr_svg(order.wechat_code_url, box_size=12), "sandbox": settings.WECHATPAY_SANDBOX,
    })


@login_required
def order_status(request, out_trade_no):
    """Polled by the payment page so it moves on by itself once paid."""
    order = _own_order(request, out_trade_no)
    return JsonResponse({
        "state": order.state, "state_display": order.get_state_display(),
        "next_url": order.payable.payment_done_url() if order.state == Order.State.PAID else "",
    })


@login_required
def transfer(request, out_trade_no):
    order = _own_order(request, out_trade_no)
    if order.state != Order.State.UNPAID:
        return _not_payable(request, order)
    form = BankTransferForm(request.POST or None, request.FILES or None, initial={"amount": order.amount},
                            registered_name=order.invoice_title)
    if request.method == "POST" and form.is_valid():
        try:
            services.order_submit_transfer(order_id=order.pk, by=request.user,
                                           registered_name=order.invoice_title, **form.cleaned_data)
        except PaymentError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "转账凭证已提交，财务核实到账后将自动进入下一步。")
        return redirect("payments:order_detail", out_trade_no=out_trade_no)
    return render(request, "payments/transfer.html", {"flow": order.payable.payment_context(),
        "order": order, "form": form, "bank": settings.ASSOCIATION_BANK_ACCOUNT,
    })


@login_required
def order_detail(request, out_trade_no):
    order = _own_order(request, out_trade_no)
    return render(request, "payments/order_detail.html", {"order": order, "flow": order.payable.payment_context()})


@csrf_exempt
@require_POST
def wechat_notify(request):
    """WeChat Pay's notification: verified on the raw body, kept and answered at once, applied
    once by a task (services.received_notification_apply)."""
    try:
        resource = gateway.verify_notification(request.META, request.body)
    except NotificationRejected as exc:
        logger.warning("WeChat notification rejected: %s", exc)
        return JsonResponse({"code": "FAIL", "message": "验签失败"}, status=401)
    services.wechat_notification_receive(resource=resource)
    return HttpResponse(status=204)


@login_required
@require_POST
def sandbox_scan(request, out_trade_no):
    """Sandbox only: play the payer scanning the code and paying in WeChat."""
    if not settings.WECHATPAY_SANDBOX:
        raise Http404
    order = _own_order(request, out_trade_no)
    if not order.wechat_code_url:
        raise Http404
    with transaction.atomic():
        sandbox.sandbox_pay(out_trade_no=order.out_trade_no)
        job_enqueue("payments.tasks.sandbox_send_notification", order.out_trade_no)
    messages.info(request, "（沙箱）已模拟扫码付款，正在等待微信支付通知……")
    return redirect("payments:wechat", out_trade_no=out_trade_no)
