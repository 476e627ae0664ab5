from django.urls import path

from initiatives.api import views

app_name = "api"

urlpatterns = [
    path("", views.docs, name="docs"),
    path("openapi.json", views.openapi_json, name="openapi"),
    path("initiatives/", views.initiative_list, name="initiatives"),
    path("initiatives/<slug:slug>/", views.initiative_detail, name="initiative"),
    path("territories/", views.territory_list, name="territories"),
    path("themes/", views.theme_list, name="themes"),
    path("resource-centres/", views.resource_centre_list, name="resource_centres"),
]
