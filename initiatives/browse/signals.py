"""What tells the derived-data writer which cases a write touched (``initiatives.browse.keys.touch``).

Every row a case's facet keys or search text are made of reports its cases
here, whoever writes it (admin form or action, service, import, loader,
history restore, shell): the case itself, its themes, publics and periods
(both sides of the many-to-many), tags, involvements and citations; and the
reference rows their keys or text are read from: a theme (its children's
cases carry its key), public, period, source, tag, actor, territory (places
inside it are named in its cases' text) and resource centre. A deletion
reports the cases it leaves behind: they are collected before the row goes
(``pre_delete``), reported after (``post_delete``).

``bulk_create`` and ``QuerySet.update`` send no signal: their callers touch
the cases themselves.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from initiatives.browse.keys import touch
from initiatives.models import Actor, ActorAlias, Citation, CrisisPeriod, Initiative, Involvement, Public, Source, Theme
from territories.models import ResourceCentre, Territory


def _case_ids(queryset):
    return list(queryset.values_list("pk", flat=True))


def cases_of(instance):
    """Ids of the cases whose derived data depend on the reference row ``instance``."""
    cases = Initiative.objects.all()
    if isinstance(instance, Theme):
        return _case_ids(cases.filter(themes__in=[instance.pk, *instance.children.values_list("pk", flat=True)]))
    if isinstance(instance, Public):
        return _case_ids(cases.filter(publics=instance))
    if isinstance(instance, CrisisPeriod):
        return _case_ids(cases.filter(periods=instance))
    if isinstance(instance, Source):
        return _case_ids(cases.filter(citations__source=instance))
    if isinstance(instance, Tag):
        items = TaggedItem.objects.filter(tag=instance, content_type=ContentType.objects.get_for_model(Initiative))
        return list(items.values_list("object_id", flat=True))
    if isinstance(instance, Actor):
        return _case_ids(cases.filter(involvements__actor=instance))
    if isinstance(instance, Territory):
        return _case_ids(cases.filter(territory__path__startswith=instance.path)) if instance.path else []
    if isinstance(instance, ResourceCentre):
        return _case_ids(cases.filter(curating_centre=instance))
    return []


REFERENCE_MODELS = (Theme, Public, CrisisPeriod, Source, Tag, Actor, Territory, ResourceCentre)
CASE_ROWS = (Involvement, Citation)


@receiver(post_save, sender=Initiative, dispatch_uid="derived_case_saved")
@receiver(post_delete, sender=Initiative, dispatch_uid="derived_case_deleted")
def case_written(sender, instance, **kwargs):
    touch([instance.pk])


def case_row_written(sender, instance, **kwargs):
    touch([instance.initiative_id])


def alias_written(sender, instance, **kwargs):
    # An actor's other names are searched too.
    touch(Initiative.objects.filter(involvements__actor_id=instance.actor_id).values_list("pk", flat=True))


def tagged_item_written(sender, instance, **kwargs):
    if instance.content_type_id == ContentType.objects.get_for_model(Initiative).pk:
        touch([instance.object_id])


def reference_saved(sender, instance, created, **kwargs):
    if not created:  # a new row has no case yet
        touch(cases_of(instance))


def reference_deleting(sender, instance, **kwargs):
    instance._derived_cases = cases_of(instance)


def reference_deleted(sender, instance, **kwargs):
    touch(getattr(instance, "_derived_cases", []))


# Many-to-many relations of a case, and the name of the cases' side seen from the other row.
CASE_RELATIONS = {
    Initiative.themes.through: "initiatives",
    Initiative.publics.through: "initiatives",
    Initiative.periods.through: "initiatives",
    Initiative.other_places.through: "initiatives_elsewhere",
}


def case_relation_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:  # case.themes.add(...): the case itself
        if action.startswith("post_"):
            touch([instance.pk])
        return
    # theme.initiatives.add(...): the cases named, or every case of the theme for a clear()
    if action == "pre_clear":
        instance._derived_cases = _case_ids(getattr(instance, CASE_RELATIONS[sender]).all())
    elif action in ("post_add", "post_remove"):
        touch(pk_set or [])
    elif action == "post_clear":
        touch(getattr(instance, "_derived_cases", []))


for _through in CASE_RELATIONS:
    m2m_changed.connect(case_relation_changed, sender=_through, dispatch_uid=f"derived_{_through.__name__}")
for _model in CASE_ROWS:
    post_save.connect(case_row_written, sender=_model, dispatch_uid=f"derived_{_model.__name__}_saved")
    post_delete.connect(case_row_written, sender=_model, dispatch_uid=f"derived_{_model.__name__}_deleted")
post_save.connect(alias_written, sender=ActorAlias, dispatch_uid="derived_alias_saved")
post_delete.connect(alias_written, sender=ActorAlias, dispatch_uid="derived_alias_deleted")
post_save.connect(tagged_item_written, sender=TaggedItem, dispatch_uid="derived_tagged_item_saved")
post_delete.connect(tagged_item_written, sender=TaggedItem, dispatch_uid="derived_tagged_item_deleted")
for _model in REFERENCE_MODELS:
    post_save.connect(reference_saved, sender=_model, dispatch_uid=f"derived_{_model.__name__}_saved")
    pre_delete.connect(reference_deleting, sender=_model, dispatch_uid=f"derived_{_model.__name__}_deleting")
    post_delete.connect(reference_deleted, sender=_model, dispatch_uid=f"derived_{_model.__name__}_deleted")
