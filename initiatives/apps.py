from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _after_migrate(sender, using, **kwargs):
    # After the last app's permissions exist: the group's rights follow the code on every migrate,
    # and derived browse data made the old way is rebuilt.
    from crpv_site.roles import ensure_curator_group  # here: apps.py is imported before models are ready
    from initiatives.browse.keys import rebuild_if_outdated  # idem

    ensure_curator_group()
    rebuild_if_outdated()


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = "Base de connaissances"  # not "Initiatives": the admin's breadcrumb read "Initiatives › Initiatives"

    def ready(self):
        from initiatives.browse import page_cache, signals  # noqa: F401 — registers the receivers, once models are ready

        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="initiatives_after_migrate")
