"""The supplier's centre (供应商中心): its state and review comment, licences (with expiry and
history), products, its own orders and the service fees it owes. It gathers every concern."""
from django.shortcuts import render
from django.utils import timezone

from purchasing.catalogue.models import Product
from purchasing.orders.models import PurchaseOrder, ServiceFee
from purchasing.suppliers.views import supplier_required


@supplier_required
def centre(request, supplier):
    return render(request, "purchasing/supplier_centre.html", {
        "supplier": supplier, "today": timezone.localdate(),
        "licences": list(supplier.licences.order_by("superseded_at", "kind", "-uploaded_at")),
        "products": list(Product.objects.filter(supplier=supplier).order_by("state", "name")[:200]),
        "orders": list(PurchaseOrder.objects.filter(supplier=supplier).select_related("round", "member")
                       .order_by("-created_at")[:100]),
        "fees": list(ServiceFee.objects.filter(supplier=supplier).select_related("round").order_by("-pk")),
    })
