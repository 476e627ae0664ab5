"""Public browsing: the case list and its exports, a case, comparison, themes, actors,
source reports, territories and resource centres (views in ``initiatives.browse.views``)."""

from django.urls import path

from initiatives.browse import views

app_name = "browse"

urlpatterns = [
    path("initiatives/", views.initiative_list, name="list"),
    path("initiatives/export.csv", views.export_csv, name="export_csv"),
    path("initiatives/export.json", views.export_json, name="export_json"),
    path("initiatives/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("initiatives/comparer/", views.compare, name="compare"),
    path("initiatives/lieux/", views.place_lookup, name="places"),
    path("initiatives/<slug:slug>/", views.initiative_detail, name="detail"),
    path("themes/", views.theme_list, name="themes"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme"),
    path("acteurs/<slug:slug>/", views.actor_detail, name="actor"),
    path("sources/", views.source_list, name="sources"),
    path("sources/<slug:slug>/", views.source_detail, name="source"),
    path("territoires/", views.territory_index, name="territories"),
    path("territoires/<slug:slug>/", views.territory_detail, name="territory"),
    path("centres-de-ressources/", views.centre_list, name="centres"),
    path("centres-de-ressources/<slug:slug>/", views.centre_detail, name="centre"),
]
