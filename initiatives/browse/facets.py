"""The facets of the browse page, the API and the exports (one definition for all three).

A facet's ``name`` is its key in ``BrowseKey.facet`` and in the API's
``facets`` object; its ``param`` is the GET parameter of the URL (French,
since people read and share URLs). Within a facet, chosen values combine with
OR; across facets, AND (DESIGN, Browsing semantics).
"""

from dataclasses import dataclass

from taggit.models import Tag

from initiatives.models import Actor, CrisisPeriod, Initiative, Public, Source, Theme
from territories.models import ResourceCentre, Territory


@dataclass(frozen=True)
class Facet:
    name: str
    param: str
    label: str
    # Values listed in this order (choices) rather than by count.
    ordered: bool = False


FACETS = [
    Facet("theme", "theme", "Thème"),
    Facet("region", "region", "Région"),
    Facet("department", "departement", "Département"),
    Facet("centre", "centre", "Centre de ressources"),
    Facet("carrier_kind", "porteur", "Porté par un acteur", ordered=True),
    Facet("actor_kind", "acteur", "Avec un acteur", ordered=True),
    Facet("category", "categorie", "Catégorie d'acteur"),
    Facet("public", "public", "Public"),
    Facet("period", "periode", "Période de la crise", ordered=True),
    Facet("setting", "milieu", "Milieu", ordered=True),
    Facet("precision", "precision", "Précision géographique", ordered=True),
    Facet("level", "documentation", "Niveau de documentation", ordered=True),
    Facet("continued", "poursuivie", "Poursuivie après la crise", ordered=True),
    Facet("volunteers", "benevoles", "Avec des bénévoles", ordered=True),
    Facet("source", "source", "Rapport source", ordered=True),
    Facet("tag", "motcle", "Mot-clé"),
]
BY_NAME = {f.name: f for f in FACETS}
BY_PARAM = {f.param: f for f in FACETS}

UNSPECIFIED = "non-precise"
YES, NO = "oui", "non"


def fixed_labels() -> dict:
    """The facets whose values the code fixes (choices), not the data: facet name -> {value: label}.
    The OpenAPI document lists them as the parameters' allowed values."""
    kind_labels = {**dict(Actor.Kind.choices), UNSPECIFIED: "non précisé"}
    yes_no_labels = {YES: "oui", NO: "non"}
    return {
        "carrier_kind": kind_labels,
        "actor_kind": kind_labels,
        "category": dict(Actor.Category.choices),
        "setting": dict(Initiative.Setting.choices),
        "precision": dict(Initiative.Precision.choices),
        "level": dict(Initiative.DocumentationLevel.choices),
        "continued": yes_no_labels,
        "volunteers": yes_no_labels,
    }


def facet_labels() -> dict:
    """facet name -> {value key: French label}, in display order. A fixed number of small queries."""
    themes = list(Theme.objects.all())  # ordered below, by position under each root
    roots = sorted((t for t in themes if t.parent_id is None), key=lambda t: t.position)
    theme_labels = {}
    for root in roots:
        theme_labels[root.slug] = root.name
        for child in sorted((t for t in themes if t.parent_id == root.pk), key=lambda t: t.position):
            theme_labels[child.slug] = f"{root.name} › {child.name}"
    fixed = fixed_labels()
    labels = {
        "theme": theme_labels,
        "region": dict(Territory.objects.filter(kind="region").order_by("name").values_list("code", "name")),
        "department": {
            code: f"{name} ({code})"
            for code, name in Territory.objects.filter(kind="department").order_by("code").values_list("code", "name")
        },
        "centre": dict(ResourceCentre.objects.order_by("name").values_list("slug", "name")),
        "public": dict(Public.objects.values_list("slug", "name")),
        "period": dict(CrisisPeriod.objects.values_list("slug", "name")),
        "source": {s.slug: f"{s.publisher} ({s.year})" for s in Source.objects.all()},
        "tag": dict(Tag.objects.order_by("name").values_list("slug", "name")),
    }
    return {f.name: fixed[f.name] if f.name in fixed else labels[f.name] for f in FACETS}
