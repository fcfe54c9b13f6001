"""The 团购 addresses: one URL module per concern, without namespaces of their own, so every name
is ``purchasing:<name>``; the supplier's centre gathers them all."""
from django.urls import include, path

from purchasing import supplier_centre

app_name = "purchasing"

urlpatterns = [
    path("supplier/", supplier_centre.centre, name="supplier_centre"),
    path("", include("purchasing.suppliers.urls")),
    path("", include("purchasing.catalogue.urls")),
    path("", include("purchasing.rounds.urls")),
    path("", include("purchasing.orders.urls")),
]
