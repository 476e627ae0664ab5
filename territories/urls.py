from django.urls import path

from territories import views

app_name = "territories"

urlpatterns = [
    path("territoires/", views.territory_index, name="index"),
    path("territoires/<slug:slug>/", views.territory_detail, name="detail"),
    path("centres-de-ressources/", views.centre_list, name="centres"),
    path("centres-de-ressources/<slug:slug>/", views.centre_detail, name="centre"),
]
