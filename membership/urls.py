from django.urls import path

from . import views, wizard

app_name = "membership"

urlpatterns = [
    path("join/", wizard.join, name="join"),
    path("join/done/", wizard.join_done, name="join_done"),
    path("join/<slug:step>/", wizard.join_step, name="join_step"),
    path("member/", views.centre, name="centre"),
    path("member/dues/", views.dues, name="dues"),
    path("member/payments/", views.payment_list, name="payments"),
    path("member/profile/", views.profile, name="profile"),
    path("member/profile/edit/", views.profile_edit, name="profile_edit"),
    path("member/correct/", views.correct, name="correct"),
    path("member/contacts/", views.contacts, name="contacts"),
    path("member/contacts/<int:pk>/", views.contact_edit, name="contact_edit"),
    path("member/contacts/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
    path("member/certificates/<int:pk>/", views.certificate, name="certificate"),
    path("certificates/check/", views.certificate_check, name="certificate_check"),
]
