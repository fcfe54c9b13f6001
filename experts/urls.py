"""The expert workbench's addresses: its home, then one URL module per concern. The concern
modules have no namespace of their own, so every name stays ``experts:<name>``."""
from django.urls import include, path

from experts import workbench

app_name = "experts"

urlpatterns = [
    path("", workbench.workbench, name="workbench"),
    path("", include("experts.pool.urls")),
    path("", include("experts.review.urls")),
    path("", include("experts.committees.urls")),
]
