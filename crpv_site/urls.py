from django.contrib import admin
from django.urls import include, path

from initiatives import views

admin.site.site_header = "Proximités — administration"
admin.site.site_title = "Proximités"
admin.site.index_title = "Base de connaissances des initiatives locales"

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("initiatives.urls")),
    path("", include("territories.urls")),
    path("api/", include("initiatives.api_urls")),
    path("admin/", admin.site.urls),
]

handler404 = "initiatives.views.page_not_found"
