"""A supplier lists or withdraws a product, or uploads a renewed licence."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from purchasing.exceptions import PurchasingError
from purchasing.suppliers.views import supplier_required

from . import services
from .forms import LicenceRenewForm, ProductForm
from .models import Product


@supplier_required
def product_add(request, supplier):
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.product_list(supplier_id=supplier.pk, by=request.user, data=form.cleaned_data)
        except PurchasingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"产品“{form.cleaned_data['name']}”已发布。")
            return redirect("purchasing:supplier_centre")
    return render(request, "purchasing/supplier_form.html", {"form": form, "title": "发布产品", "button": "发布产品",
                                                             "multipart": False}, status=422 if form.errors else 200)


@supplier_required
def licence_renew(request, supplier):
    form = LicenceRenewForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.licence_renew(supplier_id=supplier.pk, by=request.user, **form.cleaned_data)
        except PurchasingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "证照已更新，因原证照过期而暂停的产品已恢复在售。")
            return redirect("purchasing:supplier_centre")
    return render(request, "purchasing/supplier_form.html", {"form": form, "title": "更新证照", "button": "上传新证照",
                                                             "multipart": True}, status=422 if form.errors else 200)


@supplier_required
@require_POST
def product_withdraw(request, supplier, pk):
    try:
        product = services.product_withdraw(product_id=pk, by=request.user)
    except (PurchasingError, Product.DoesNotExist):
        messages.error(request, "只能下架本公司的产品。")
    else:
        messages.success(request, f"产品“{product.name}”已下架。")
    return redirect("purchasing:supplier_centre")
