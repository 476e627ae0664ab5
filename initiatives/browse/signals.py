"""The one signal: a deleted case must leave the in-memory facet index of every process.

Deletions are the only write that does not pass through ``refresh()``: the
admin's bulk delete action calls ``QuerySet.delete()``, which skips
``Model.delete()`` but still sends ``post_delete`` for each row. Its
``BrowseKey`` rows go by cascade; this records the change.
"""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from initiatives.browse.keys import record_change
from initiatives.models import Initiative


@receiver(post_delete, sender=Initiative, dispatch_uid="initiative_deleted_from_index")
def initiative_deleted(sender, instance, **kwargs):
    # In the deleting transaction: if it rolls back, so does the record.
    record_change([instance.pk])
