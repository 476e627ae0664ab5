"""Readable differences between two versions of a case, for the admin's history.

django-reversion stores each revision (who, when, the admin's change message)
with the case and the involvements, citations and key figures it follows; it
restores them too. What it does not do is say *what changed* between two
versions: this module compares the stored field values (labels, names of the
related rows) so that the history page lists the changed fields and a diff
page shows them side by side.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from reversion.models import Version

from initiatives.models import (
    Actor,
    Citation,
    CrisisPeriod,
    Initiative,
    Involvement,
    KeyFigure,
    Public,
    Source,
    Theme,
)
from initiatives.text import yes_no
from territories.models import ResourceCentre, Territory

# Not shown: derived or bookkeeping columns.
HIDDEN = {"id", "created_at", "updated_at", "precision", "region_id", "department_id"}
RELATED = {
    "territory_id": Territory,
    "curating_centre_id": ResourceCentre,
    "reporting_centre_id": ResourceCentre,
    "themes": Theme,
    "publics": Public,
    "periods": CrisisPeriod,
    "related": Initiative,
}
INLINES = [
    ("Acteurs impliqués", Involvement),
    ("Citations", Citation),
    ("Chiffres clés", KeyFigure),
]


@dataclass
class Change:
    label: str
    old: str
    new: str


def case_versions(initiative_id):
    """The versions of a case, oldest first."""
    return list(
        Version.objects.get_for_object_reference(Initiative, initiative_id)
        .select_related("revision", "revision__user")
        .order_by("revision__date_created", "pk")
    )


def _names(model, ids):
    return {obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=ids)}


def _field_labels():
    labels = {}
    for field in Initiative._meta.get_fields():
        if getattr(field, "concrete", False) and hasattr(field, "attname") and field.attname not in HIDDEN:
            labels[field.attname] = str(field.verbose_name)
    labels["themes"] = "thèmes"
    labels["publics"] = "publics"
    labels["periods"] = "périodes de la crise"
    labels["related"] = "cas liés"
    return labels


def _display(field_dict, attname, names):
    value = field_dict.get(attname)
    if attname in RELATED:
        model = RELATED[attname]
        if isinstance(value, list):
            return ", ".join(sorted(names[model].get(v, f"n°{v}") for v in value))
        return "" if value is None else names[model].get(value, f"n°{value}")
    if attname == "status":
        return str(Initiative.Status(value).label) if value else ""
    if isinstance(value, bool) or value is None:
        return yes_no(value)
    return str(value)


def _inline_rows(version):
    """{label: sorted list of lines} for the inlines stored in the same revision as ``version``."""
    rows = {label: [] for label, _ in INLINES}
    by_type = {ContentType.objects.get_for_model(model).pk: (label, model) for label, model in INLINES}
    actor_ids, source_ids, items = set(), set(), []
    for other in version.revision.version_set.filter(content_type_id__in=by_type):
        label, model = by_type[other.content_type_id]
        data = other.field_dict
        if str(data.get("initiative_id")) != str(version.object_id):
            continue
        items.append((label, model, data))
        actor_ids.add(data.get("actor_id"))
        source_ids.add(data.get("source_id"))
    actors = _names(Actor, actor_ids - {None})
    sources = {s.pk: s.slug for s in Source.objects.filter(pk__in=source_ids - {None})}
    for label, model, data in items:
        if model is Involvement:
            role = Involvement.Role(data["role"]).label if data.get("role") else ""
            actor = actors.get(data["actor_id"]) or f"acteur n°{data['actor_id']}"
            line = f"{actor} ({role})"
            if data.get("note"):
                line += f" — {data['note']}"
        elif model is Citation:
            line = f"{sources.get(data['source_id'], '?')}, {data['locator']} : « {data['excerpt']} »"
        else:
            line = data["text"]
        rows[label].append(line)
    return {label: sorted(lines) for label, lines in rows.items()}


def snapshot(version):
    """{label: text} of a case as stored in ``version``."""
    data = version.field_dict
    wanted = {model: set() for model in set(RELATED.values())}
    for attname, model in RELATED.items():
        value = data.get(attname)
        wanted[model].update(value if isinstance(value, list) else [value] if value is not None else [])
    names = {model: _names(model, ids) for model, ids in wanted.items()}
    state = {label: _display(data, attname, names) for attname, label in _field_labels().items()}
    for label, lines in _inline_rows(version).items():
        state[label] = "\n".join(lines)
    return state


def _differences(before, after):
    return [
        Change(label, before.get(label, ""), value) for label, value in after.items() if before.get(label, "") != value
    ]


def changes(old, new):
    """What differs from version ``old`` (None: nothing before) to version ``new``."""
    return _differences(snapshot(old) if old is not None else {}, snapshot(new))


def history_rows(initiative_id):
    """Newest first: each version with the labels of the fields it changed (each version read once)."""
    rows = []
    before = {}
    for version in case_versions(initiative_id):
        after = snapshot(version)
        rows.append({"version": version, "changed": [c.label for c in _differences(before, after)]})
        before = after
    return list(reversed(rows))


def previous_version(version):
    return (
        Version.objects.get_for_object_reference(Initiative, version.object_id)
        .filter(revision__date_created__lte=version.revision.date_created)
        .exclude(pk=version.pk)
        .exclude(revision__date_created=version.revision.date_created, pk__gt=version.pk)
        .order_by("-revision__date_created", "-pk")
        .first()
    )


def latest_version(initiative_id):
    """The newest version of a case: its state as it is now (every save records one)."""
    return (
        Version.objects.get_for_object_reference(Initiative, initiative_id)
        .order_by("-revision__date_created", "-pk")
        .first()
    )


# What a version points to and must still exist for it to be restored.
_REFERENCES = {
    Initiative: RELATED,
    Involvement: {"actor_id": Actor},
    Citation: {"source_id": Source},
}
_WHAT = {Territory: "territoire", ResourceCentre: "centre", Theme: "thème", Public: "public", CrisisPeriod: "période"}
_WHAT.update({Actor: "acteur", Source: "source", Initiative: "cas lié"})


def missing_references(revision):
    """What the versions of ``revision`` point to and has been deleted since (restoring would fail)."""
    wanted = {}
    for version in revision.version_set.all():
        model = version._model
        for attname, target in _REFERENCES.get(model, {}).items():
            value = version.field_dict.get(attname)
            values = value if isinstance(value, list) else [value]
            wanted.setdefault(target, set()).update(v for v in values if v is not None)
    missing = []
    for target, ids in wanted.items():
        found = set(target._default_manager.filter(pk__in=ids).values_list("pk", flat=True))
        missing += [f"{_WHAT[target]} n°{pk}" for pk in sorted(ids - found, key=str)]
    return missing


def object_ids_in(revision, model):
    """The records of ``model`` a revision holds (restoring it reverts all of them)."""
    content_type = ContentType.objects.get_for_model(model)
    return [
        int(pk) for pk in revision.version_set.filter(content_type=content_type).values_list("object_id", flat=True)
    ]
