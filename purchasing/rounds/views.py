"""Rounds as members see them: the list, and a round's page with the pooled quantity and tier of
each product (never who asked for how much) and the member's own quantities."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from core.paging import PeekPage
from membership.selectors import active_member_of
from purchasing.exceptions import PurchasingError

from . import selectors, services
from .forms import QuantitiesForm


def round_list(request):
    page = PeekPage(selectors.listed_rounds(), request.GET.get("page"), 20)
    now = timezone.now()
    return render(request, "purchasing/round_list.html", {
        "page": page, "rows": [(round_, *round_.status(now)) for round_ in page]})


def round_detail(request, pk):
    round_ = selectors.listed_rounds().filter(pk=pk).first()
    if round_ is None:
        raise Http404
    member = active_member_of(user=request.user)
    views = selectors.round_items(round_=round_, member=member)
    now = timezone.now()
    form = QuantitiesForm(request.POST or None, views=views) if member and round_.is_open(now) else None
    if request.method == "POST":
        if form is None:
            messages.error(request, "团购活动不在报名时间内，或您不是有效会员。")
            return redirect("purchasing:round", pk=pk)
        if form.is_valid():
            try:
                services.demand_set(round_id=round_.pk, user=request.user, quantities=form.quantities())
            except PurchasingError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "采购数量已保存，截止前可随时修改。")
                return redirect("purchasing:round", pk=pk)
    return render(request, "purchasing/round_detail.html", {
        "round": round_, "views": views, "form": form, "member": member, "open": round_.is_open(now),
        "answer": selectors.answer_of(round_=round_, member=member),
        "rows": [(view, form[f"q{view.item.pk}"] if form else None) for view in views],
    }, status=422 if form is not None and form.errors else 200)
