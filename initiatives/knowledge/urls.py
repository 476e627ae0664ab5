"""What the reports learned and the resources they name (views in ``initiatives.knowledge.views``)."""

from django.urls import path

from initiatives.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("enseignements/", views.lesson_index, name="lessons"),
    path("enseignements/<slug:slug>/", views.lesson_detail, name="lesson"),
    path("ressources/", views.resource_list, name="resources"),
    path("ressources/<slug:slug>/", views.resource_detail, name="resource"),
]
