from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("columns/<slug:slug>/", views.column, name="column"),
    path("articles/<int:pk>/", views.article, name="article"),
    path("search/", views.search, name="search"),
    path("healthz", views.healthz, name="healthz"),
    path("livez", views.livez, name="livez"),
]
