"""The facets' definitions and labels, written out: the list page, the API and the exports all read them."""

import pytest
from taggit.models import Tag

from initiatives.browse.facets import BY_NAME, BY_PARAM, FACETS, facet_labels, fixed_labels
from tests.factories import (
    DepartmentFactory,
    PeriodFactory,
    PublicFactory,
    RegionFactory,
    ResourceCentreFactory,
    SourceFactory,
    ThemeFactory,
)

KINDS = {"formal": "formel", "informal": "informel", "institutional": "institutionnel", "non-precise": "non précisé"}
YES_NO = {"oui": "oui", "non": "non"}


def test_sixteen_facets_their_french_parameters_and_which_keep_their_own_order():
    assert [(f.name, f.param, f.label, f.ordered) for f in FACETS] == [
        ("theme", "theme", "Thème", False),
        ("region", "region", "Région", False),
        ("department", "departement", "Département", False),
        ("centre", "centre", "Centre de ressources", False),
        ("carrier_kind", "porteur", "Porté par un acteur", True),
        ("actor_kind", "acteur", "Avec un acteur", True),
        ("category", "categorie", "Catégorie d'acteur", False),
        ("public", "public", "Public", False),
        ("period", "periode", "Période de la crise", True),
        ("setting", "milieu", "Milieu", True),
        ("precision", "precision", "Précision géographique", True),
        ("level", "documentation", "Niveau de documentation", True),
        ("continued", "poursuivie", "Poursuivie après la crise", True),
        ("volunteers", "benevoles", "Avec des bénévoles", True),
        ("source", "source", "Rapport source", True),
        ("tag", "motcle", "Mot-clé", False),
    ]
    assert BY_NAME["department"] is BY_PARAM["departement"] and len(BY_NAME) == len(BY_PARAM) == 16


def test_the_values_the_code_fixes_and_their_labels():
    fixed = fixed_labels()
    assert fixed["carrier_kind"] == fixed["actor_kind"] == KINDS
    assert list(fixed["carrier_kind"]) == ["formal", "informal", "institutional", "non-precise"]
    assert fixed["continued"] == fixed["volunteers"] == YES_NO
    assert fixed["setting"] == {"urbain": "urbain", "periurbain": "péri-urbain", "rural": "rural"}
    assert fixed["level"] == {"listed": "simplement listé", "described": "décrit", "analysed": "analysé en détail"}
    assert list(fixed["precision"]) == ["qpv", "quartier", "commune", "department", "region", "national"]
    assert fixed["category"]["collectif-habitants"] == "collectif d'habitant·es" and len(fixed["category"]) == 19
    assert set(fixed) == {"carrier_kind", "actor_kind", "category", "setting", "precision", "level"} | {
        "continued",
        "volunteers",
    }


@pytest.mark.django_db
def test_every_facet_is_labelled_in_display_order():
    # Themes: each root (by position), then its children (by position), whatever order they were made in.
    second = ThemeFactory(name="Santé", slug="sante", position=2)
    first = ThemeFactory(name="Besoins", slug="besoins", position=1)
    ThemeFactory(name="Soins", slug="soins", parent=second, position=1)
    ThemeFactory(name="Repas", slug="repas", parent=first, position=2)
    ThemeFactory(name="Colis", slug="colis", parent=first, position=1)
    grand_est = RegionFactory(name="Grand Est", code="44")
    RegionFactory(name="Bretagne", code="53")
    DepartmentFactory(name="Vosges", code="88", parent=grand_est)
    DepartmentFactory(name="Moselle", code="57", parent=grand_est)
    ResourceCentreFactory(name="ORIV", slug="oriv", coverage=[grand_est])
    PublicFactory(name="Familles", slug="familles")
    PeriodFactory(name="1er confinement", slug="confinement-1")
    SourceFactory(publisher="Odas", year=2022, slug="odas-2022")
    Tag.objects.create(name="Aller-vers", slug="aller-vers")
    labels = facet_labels()
    assert list(labels) == [f.name for f in FACETS]
    assert list(labels["theme"].items()) == [
        ("besoins", "Besoins"),
        ("colis", "Besoins › Colis"),
        ("repas", "Besoins › Repas"),
        ("sante", "Santé"),
        ("soins", "Santé › Soins"),
    ]
    assert list(labels["region"].items()) == [("53", "Bretagne"), ("44", "Grand Est")]
    assert list(labels["department"].items()) == [("57", "Moselle (57)"), ("88", "Vosges (88)")]
    assert labels["centre"] == {"oriv": "ORIV"}
    assert labels["public"] == {"familles": "Familles"}
    assert labels["period"] == {"confinement-1": "1er confinement"}
    assert labels["source"] == {"odas-2022": "Odas (2022)"}
    assert labels["tag"] == {"aller-vers": "Aller-vers"}
    assert labels["carrier_kind"] == KINDS and labels["volunteers"] == YES_NO
