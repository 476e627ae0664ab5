"""The facets of the browse page, the API and the exports (one definition for all three).

A facet's ``name`` is its key in ``BrowseKey.facet`` and in the API's
``facets`` object; its ``param`` is the GET parameter of the URL (French,
since people read and share URLs). Within a facet, chosen values combine with
OR; across facets, AND (DESIGN, Browsing semantics).
"""

from dataclasses import dataclass


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
