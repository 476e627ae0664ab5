from django.apps import AppConfig


class CrpvSiteConfig(AppConfig):
    name = "crpv_site"
    verbose_name = "Comptes"
