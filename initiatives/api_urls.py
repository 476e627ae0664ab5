from django.urls import path

from initiatives import api

app_name = "api"

urlpatterns = [
    path("", api.docs, name="docs"),
    path("openapi.json", api.openapi_json, name="openapi"),
    path("initiatives/", api.initiative_list, name="initiatives"),
    path("initiatives/<slug:slug>/", api.initiative_detail, name="initiative"),
    path("territories/", api.territory_list, name="territories"),
    path("themes/", api.theme_list, name="themes"),
    path("resource-centres/", api.resource_centre_list, name="resource_centres"),
]
