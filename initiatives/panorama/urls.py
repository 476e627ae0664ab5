"""The panoramas of a selection (the list's parameters): cooperation and timeline."""

from django.urls import path

from initiatives.panorama import views

app_name = "panorama"

urlpatterns = [
    path("cooperations/", views.cooperation_page, name="cooperation"),
    path("chronologie/", views.timeline_page, name="timeline"),
]
