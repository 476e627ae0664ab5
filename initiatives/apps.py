from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _update_curator_group(sender, using, **kwargs):
    # After the last app's permissions exist: the group's rights follow the code on every migrate.
    from crpv_site.roles import ensure_curator_group  # here: apps.py is imported before models are ready

    ensure_curator_group()


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = "Base de connaissances"  # not "Initiatives": the admin's breadcrumb read "Initiatives › Initiatives"

    def ready(self):
        from initiatives.browse import signals  # noqa: F401 — registers the receivers, once models are ready

        post_migrate.connect(_update_curator_group, sender=self, dispatch_uid="update_curator_group")
