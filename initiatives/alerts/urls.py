"""Following a search: the Atom feed of a list and the e-mail alerts (``initiatives.alerts.views``)."""

from django.urls import path

from initiatives.alerts import views
from initiatives.alerts.feeds import SearchFeed

app_name = "alerts"

urlpatterns = [
    path("initiatives/flux.atom", SearchFeed(), name="feed"),
    path("alertes/abonner/", views.subscribe, name="subscribe"),
    path("alertes/abonner/verifiez-vos-e-mails/", views.check_mail, name="check_mail"),
    path("alertes/confirmer/<str:token>/", views.confirm, name="confirm"),
    path("alertes/desabonner/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
