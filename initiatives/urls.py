from django.urls import path

from initiatives import views, views_proposals

app_name = "initiatives"

urlpatterns = [
    path("initiatives/", views.initiative_list, name="list"),
    path("initiatives/export.csv", views.export_csv, name="export_csv"),
    path("initiatives/export.json", views.export_json, name="export_json"),
    path("initiatives/comparer/", views.compare, name="compare"),
    path("initiatives/<slug:slug>/", views.initiative_detail, name="detail"),
    path("themes/", views.theme_list, name="themes"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme"),
    path("acteurs/<slug:slug>/", views.actor_detail, name="actor"),
    path("proposer/", views_proposals.propose, name="propose"),
    path("proposer/merci/", views_proposals.propose_done, name="propose_done"),
    path("proposer/lieux/", views_proposals.place_lookup, name="place_lookup"),
]
