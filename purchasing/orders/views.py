"""Orders: the member's answer after closing, the member's own orders (receipt, problems), the
supplier's own orders (accept, ship, payment received) and the service fee a supplier pays.
Each order opens only for its member and its supplier."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from payments.views import invoice_info
from purchasing.exceptions import PurchasingError
from purchasing.rounds.services import participation_withdraw
from purchasing.suppliers.views import supplier_required

from . import services
from .forms import ProblemForm, ShipForm
from .models import PurchaseOrder, ServiceFee


@login_required
@require_POST
def answer(request, pk):
    """确认采购 or 放弃 after the round closed."""
    try:
        if request.POST.get("decision") == "confirm":
            orders = services.participation_confirm(round_id=pk, user=request.user)
            messages.success(request, f"已确认采购，生成 {len(orders)} 张采购订单并发送给供应商。")
        else:
            participation_withdraw(round_id=pk, user=request.user, note=request.POST.get("note", ""))
            messages.info(request, "已放弃本次团购。")
    except PurchasingError as exc:
        messages.error(request, str(exc))
    return redirect("purchasing:round", pk=pk)


def _member_order(request, pk) -> PurchaseOrder:
    """The member's own order (a member whose membership lapsed still sees its orders)."""
    order = PurchaseOrder.objects.select_related("round", "supplier").filter(pk=pk, member__user=request.user.pk).first()
    if order is None:
        raise Http404
    return order


@login_required
def my_orders(request):
    orders = (PurchaseOrder.objects.filter(member__user=request.user.pk).select_related("round", "supplier")
              .order_by("-created_at")[:100])
    return render(request, "purchasing/my_orders.html", {"orders": orders})


@login_required
def order_detail(request, pk):
    order = _member_order(request, pk)
    form = ProblemForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "receive":
                services.order_receive(order_id=order.pk, user=request.user)
                messages.success(request, "已确认收货。")
                return redirect("purchasing:order", pk=order.pk)
            if form.is_valid():
                services.order_problem_report(order_id=order.pk, user=request.user, text=form.cleaned_data["text"])
                messages.success(request, "问题已记录并通知供应商。")
                return redirect("purchasing:order", pk=order.pk)
        except PurchasingError as exc:
            messages.error(request, str(exc))
    return render(request, "purchasing/order.html", {
        "order": order, "lines": list(order.lines.select_related("product")), "problems": list(order.problems.all()),
        "form": form, "side": "member"})


@supplier_required
def supplier_order(request, supplier, pk):
    order = (PurchaseOrder.objects.select_related("round", "member").filter(pk=pk, supplier=supplier).first())
    if order is None:
        raise Http404
    form = ShipForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                services.order_accept(order_id=order.pk, user=request.user)
                messages.success(request, "已接单。")
            elif action == "paid":
                services.order_payment_received(order_id=order.pk, user=request.user)
                messages.success(request, "已记录收款。")
            elif action == "ship" and form.is_valid():
                services.order_ship(order_id=order.pk, user=request.user, note=form.cleaned_data["note"])
                messages.success(request, "已发货。")
            else:
                raise PurchasingError("请填写发货信息。")
            return redirect("purchasing:supplier_order", pk=order.pk)
        except PurchasingError as exc:
            messages.error(request, str(exc))
    return render(request, "purchasing/order.html", {
        "order": order, "lines": list(order.lines.select_related("product")), "problems": list(order.problems.all()),
        "form": form, "side": "supplier"})


@supplier_required
def fee_pay(request, supplier, pk):
    fee = ServiceFee.objects.select_related("round", "supplier__user").filter(pk=pk, supplier=supplier).first()
    if fee is None:
        raise Http404
    if not services.service_fee_due(fee):
        messages.info(request, "该服务费已缴纳。")
        return redirect("purchasing:supplier_centre")
    return invoice_info(request, payable=fee, back_url=reverse("purchasing:supplier_centre"))
