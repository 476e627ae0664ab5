from django.contrib import admin
from django.urls import include, path

from initiatives import views

admin.site.site_header = "Proximités — administration"
admin.site.site_title = "Proximités"
admin.site.index_title = "Base de connaissances des initiatives locales"

urlpatterns = [
    path("", views.home, name="home"),
    path("initiatives/", include("initiatives.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "initiatives.views.page_not_found"
