"""Open data: /donnees/, its ``datapackage.json`` and the files it describes (views in ``opendata.views``)."""

from django.urls import path

from initiatives.opendata import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("datapackage.json", views.datapackage_json, name="datapackage"),
    path("initiatives.json", views.cases_json, name="json"),
    path("<slug:name>.csv", views.table_csv, name="csv"),
]
