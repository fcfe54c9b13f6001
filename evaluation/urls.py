from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("standard/<slug:kind>/", views.standard, name="standard"),
    path("", views.index, name="index"),
    path("apply/<slug:kind>/", views.apply, name="apply"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/objection/", views.objection, name="objection"),
    path("registry/", views.registry, name="registry"),
    path("brand-list/", views.brand_list, name="brand_list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/documents/", views.documents, name="documents"),
    path("<int:pk>/form/", views.application_form, name="form"),
    path("<int:pk>/form/<slug:key>/", views.application_form, name="form_section"),
    path("<int:pk>/pay/", views.pay, name="pay"),
    path("<int:pk>/questionnaire/", views.questionnaire, name="questionnaire"),
    path("<int:pk>/evidence/", views.evidence, name="evidence"),
    path("<int:pk>/questionnaire/done/", views.questionnaire_done, name="questionnaire_done"),
    path("<int:pk>/appeal/", views.appeal, name="appeal"),
    path("<int:pk>/rectification/<int:spot_check_pk>/", views.rectification, name="rectification"),
]
