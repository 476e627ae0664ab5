"""Public proposals: the form, its confirmation and the place suggestions (``initiatives.proposals.views``)."""

from django.urls import path

from initiatives.proposals import views

app_name = "proposals"

urlpatterns = [
    path("proposer/", views.propose, name="propose"),
    path("proposer/merci/", views.propose_done, name="done"),
    path("proposer/lieux/", views.place_lookup, name="places"),
]
