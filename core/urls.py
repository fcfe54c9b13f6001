from django.urls import path

from . import downloads, views

app_name = "core"

urlpatterns = [
    path("messages/", views.inbox, name="inbox"),
    path("messages/<int:pk>/", views.message_detail, name="message_detail"),
    path("files/<str:model_label>/<int:pk>/<str:field_name>/", downloads.download, name="download"),
]
