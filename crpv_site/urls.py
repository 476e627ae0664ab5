from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from crpv_site import health, second_factor, views

admin.site.site_header = "Proximités — administration"
# The navigation sidebar takes 280 px from every list: at 1280 px the case list then cut its status column.
admin.site.enable_nav_sidebar = False
admin.site.site_title = "Proximités"
admin.site.index_title = "Base de connaissances des initiatives locales"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),  # load balancer probe (crpv_site/health.py)
    path("accessibilite/", views.accessibility_statement, name="accessibility"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", views.personal_data, name="personal_data"),
    path("", include("initiatives.browse.urls")),
    path("", include("initiatives.panorama.urls")),
    path("", include("initiatives.proposals.urls")),
    path("", include("initiatives.knowledge.urls")),
    path("", include("initiatives.alerts.urls")),
    path("api/", include("initiatives.api.urls")),
    path("donnees/", include("initiatives.opendata.urls")),
    # Password setting for staff: the admin's "mot de passe oublié" link and the
    # one-time links printed by `manage.py create_curator` (Django's views, the admin's templates).
    path("admin/password_reset/", auth_views.PasswordResetView.as_view(), name="admin_password_reset"),
    path("admin/password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "compte/mot-de-passe/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("compte/mot-de-passe/fait/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    # The second factor of staff (OTP_REQUIRED): the code, or the enrolment of an authenticator app.
    path("compte/second-facteur/", second_factor.second_factor, name="second_factor"),
    path("admin/", admin.site.urls),
]

# French pages, JSON under /api/, 503 for a database outage (crpv_site/errors.py).
handler400 = "crpv_site.errors.bad_request"
handler403 = "crpv_site.errors.permission_denied"
handler404 = "crpv_site.errors.page_not_found"
handler500 = "crpv_site.errors.server_error"
