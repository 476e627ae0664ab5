"""The spreadsheet's columns one by one: how each is described, and how it reads a cell.

The sheet builds its columns once, when ``initiatives.spreadsheet.sheet`` is
imported; these tests build fresh ones, so that what a column's constructor
computes (its format line, its codes and labels, whether it is required) is
checked where it is made, and a change to it fails here, not only in the
documentation comparison of ``test_import_export.py``.
"""

import datetime

import pytest

from initiatives.models import Actor, ActorAlias, Initiative, Involvement, Theme
from initiatives.spreadsheet.cells import CellError, PendingNeighbourhood
from initiatives.spreadsheet.columns import (
    ActorLookup,
    ActorsColumn,
    BooleanColumn,
    CentreColumn,
    ChoiceColumn,
    Column,
    DateColumn,
    PlacesColumn,
    RowContext,
    SlugColumn,
    SlugListColumn,
    TagsColumn,
    TerritoryColumn,
    TextColumn,
)
from territories.models import Territory
from tests.factories import (
    ActorFactory,
    CommuneFactory,
    InitiativeFactory,
    InvolvementFactory,
    ResourceCentreFactory,
    ThemeFactory,
    national_network,
)

Status = Initiative.Status
Role = Involvement.Role


def refused(column, raw, context=None):
    with pytest.raises(CellError) as error:
        column.parse(raw, context)
    return str(error.value)


def test_a_column_keeps_what_it_is_told_and_defaults_to_optional():
    column = DateColumn("start_date", "date_debut", meaning="début")
    assert (column.attribute, column.column_name, column.meaning) == ("start_date", "date_debut", "début")
    assert (column.required, column.example) == ("non", "")
    assert column.fmt == "date AAAA-MM-JJ (JJ/MM/AAAA accepté)"
    assert Column.related is False and DateColumn.related is False
    told = DateColumn("end_date", "date_fin", meaning="fin", required="oui", example="2020-06-30")
    assert (told.required, told.example) == ("oui", "2020-06-30")


def test_a_text_column_states_its_length_and_whether_it_is_required():
    title = TextColumn("title", "titre", required=True, meaning="titre")
    assert title.fmt == "texte, 255 caractères au plus"
    assert (title.required, title.is_required, title.max_length) == ("oui", True, 255)
    summary = TextColumn("summary", "resume", meaning="résumé")
    assert summary.fmt == "texte libre (retours à la ligne permis)"
    assert (summary.required, summary.is_required, summary.max_length) == ("non", False, None)
    assert TextColumn("title", "titre", meaning="m", fmt="à dire").fmt == "à dire"


def test_a_text_column_refuses_a_blank_required_cell_and_a_text_too_long():
    title = TextColumn("title", "titre", required=True, meaning="titre")
    assert refused(title, "  ") == "obligatoire"
    assert title.parse(" Un titre ", None) == "Un titre"
    assert title.parse("x" * 255, None) == "x" * 255
    assert refused(title, "x" * 256) == "256 caractères, 255 au plus"
    summary = TextColumn("summary", "resume", meaning="résumé")
    assert summary.parse("", None) == ""
    assert summary.parse("y" * 5000, None) == "y" * 5000


def test_a_choice_column_lists_its_codes_and_labels_and_reads_either():
    column = ChoiceColumn(
        "status", "statut", choices=Status.choices, aliases={"relecture": Status.REVIEW}, blank=None, meaning="m"
    )
    codes = " | ".join(code for code, _ in Status.choices)
    labels = ", ".join(f"« {label} »" for _, label in Status.choices)
    assert column.fmt == f"{codes} ({'ou'} {labels})"
    assert column.codes == [code for code, _ in Status.choices]
    assert column.parse("published", None) == Status.PUBLISHED
    assert column.parse(" PUBLISHED ", None) == Status.PUBLISHED
    assert column.parse(Status.ARCHIVED.label.upper(), None) == Status.ARCHIVED
    assert column.parse("Relecture", None) == Status.REVIEW
    assert column.parse("", None) is None
    assert refused(column, "publiée demain") == (
        f"« publiée demain » n'est pas une valeur permise ({', '.join(column.codes)})"
    )
    without_aliases = ChoiceColumn("setting", "milieu", choices=Initiative.Setting.choices, meaning="m")
    assert without_aliases.parse("", None) == ""
    assert refused(without_aliases, "relecture").startswith("« relecture » n'est pas une valeur permise")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2020-03-17", datetime.date(2020, 3, 17)),
        ("2020-3-7", datetime.date(2020, 3, 7)),
        ("2020-03-17 00:00", datetime.date(2020, 3, 17)),
        ("2020-03-17T00:00:00", datetime.date(2020, 3, 17)),
        ("17/03/2020", datetime.date(2020, 3, 17)),
        ("7/3/2020", datetime.date(2020, 3, 7)),
        ("31/12/2020", datetime.date(2020, 12, 31)),
        ("0032-01-15", datetime.date(32, 1, 15)),  # a first number over 31 is a year
        (" 01/12/2020 ", datetime.date(2020, 12, 1)),
        (datetime.datetime(2020, 5, 11, 14, 30), datetime.date(2020, 5, 11)),
        (datetime.date(2020, 5, 11), datetime.date(2020, 5, 11)),
        ("", None),
        (None, None),
    ],
)
def test_a_date_is_read_in_either_order(raw, expected):
    assert DateColumn("start_date", "date_debut", meaning="m").parse(raw, None) == expected


@pytest.mark.parametrize("raw", ["2020-02-30", "30/02/2020", "17-03-2020", "2020-03-17 12:00", "mars 2020", "2020"])
def test_a_date_that_is_not_one_is_refused_with_an_example(raw):
    message = refused(DateColumn("start_date", "date_debut", meaning="m"), raw)
    assert message == f"« {raw} » n'est pas une date (AAAA-MM-JJ, par exemple 2020-03-17)"


def test_a_date_is_rendered_as_iso_and_blank_when_absent():
    column = DateColumn("start_date", "date_debut", meaning="m")
    assert column.render(Initiative(start_date=datetime.date(2020, 3, 17))) == "2020-03-17"
    assert column.render(Initiative(start_date=None)) == ""


@pytest.mark.parametrize("word", ["oui", "OUI", "o", "vrai", "true", "yes", "y", "1", "x", " Oui "])
def test_yes_words(word):
    assert BooleanColumn("volunteers", "benevoles", meaning="m").parse(word, None) is True


@pytest.mark.parametrize("word", ["non", "N", "faux", "false", "no", "0"])
def test_no_words(word):
    assert BooleanColumn("volunteers", "benevoles", meaning="m").parse(word, None) is False


@pytest.mark.parametrize("word", ["", "non précisé", "Inconnu", "nsp", "ne sait pas"])
def test_unknown_words_are_none_or_no(word):
    assert BooleanColumn("volunteers", "benevoles", meaning="m").parse(word, None) is None
    assert BooleanColumn("needs_update", "a_mettre_a_jour", nullable=False, meaning="m").parse(word, None) is False


def test_a_yes_no_column_states_whether_blank_is_unknown_and_refuses_other_words():
    nullable = BooleanColumn("volunteers", "benevoles", meaning="m")
    strict = BooleanColumn("needs_update", "a_mettre_a_jour", nullable=False, meaning="m")
    assert (nullable.fmt, nullable.nullable) == ("oui, non ou vide (non précisé)", True)
    assert (strict.fmt, strict.nullable) == ("oui ou non (vide : non)", False)
    assert nullable.parse(True, None) is True and strict.parse(False, None) is False
    assert refused(nullable, " peut-être ") == "« peut-être » : oui, non ou vide attendu"
    assert nullable.render(Initiative(volunteers=True)) == "oui"
    assert nullable.render(Initiative(volunteers=False)) == "non"
    assert nullable.render(Initiative(volunteers=None)) == ""


def test_the_key_column_lowers_a_valid_identifier_and_suggests_one_for_an_invalid():
    column = SlugColumn("slug", "identifiant", meaning="m", fmt="f")
    assert column.parse("Epicerie-Mobile", None) == "epicerie-mobile"
    assert column.parse("", None) == ""
    assert refused(column, "Épicerie mobile") == (
        "« Épicerie mobile » n'est pas un identifiant valide (minuscules sans accents, chiffres et tirets, "
        "140 caractères au plus ; par exemple « epicerie-mobile »)"
    )
    assert refused(column, "???") == (
        "« ??? » n'est pas un identifiant valide (minuscules sans accents, chiffres et tirets, 140 caractères au plus)"
    )
    assert column.parse("a" * 140, None) == "a" * 140
    assert refused(column, "a" * 141).endswith(f"par exemple « {'a' * 140} »)")
    assert column.same("autre", Initiative(slug="cas")) is True


@pytest.mark.django_db
def test_a_list_column_names_its_noun_and_every_unknown_value():
    ThemeFactory(slug="lien-social")
    column = SlugListColumn("themes", "themes", noun="thème", meaning="m")
    assert column.fmt == "identifiants de thèmes séparés par « | »"
    assert (column.noun, column.related) == ("thème", True)
    context = RowContext(lookups={"themes": {t.slug: t for t in Theme.objects.all()}}, own_actors={})
    assert [t.slug for t in column.parse("Lien-Social | lien-social", context)] == ["lien-social"]
    assert column.parse("", context) == []
    assert refused(column, "lien-social | sante", context) == "« sante » inconnu (identifiant de thème attendu)"
    assert refused(column, "sante|ecole", context) == "« sante », « ecole » inconnus (identifiants de thème attendus)"


def test_keywords_keep_a_known_spelling_drop_repeats_and_refuse_the_too_long():
    column = TagsColumn("tags", "mots_cles", meaning="m", fmt="f")
    context = RowContext(lookups={"tags": {"aller-vers": "Aller-vers"}}, own_actors={})
    assert column.parse("aller-vers | ALLER-VERS | Jardins | jardins", context) == ["Aller-vers", "Jardins", "jardins"]
    assert column.parse("m" * 100, context) == ["m" * 100]
    assert refused(column, "ok | " + "m" * 101, context) == f"mot-clé de plus de 100 caractères : « {'m' * 40}… »"


@pytest.mark.django_db
def test_a_centre_is_read_by_its_identifier():
    reso = ResourceCentreFactory(slug="reso-villes")
    column = CentreColumn("curating_centre", "centre_referent", meaning="m", fmt="f")
    context = RowContext(lookups={"centres": {"reso-villes": reso}}, own_actors={})
    assert column.parse(" RESO-VILLES ", context) == reso
    assert column.parse("", context) is None
    assert refused(column, "Oriv", context) == (
        "« oriv » inconnu (identifiant d'un centre de ressources attendu, ex. « reso-villes »)"
    )
    assert column.render(Initiative(curating_centre=reso)) == "reso-villes"
    assert column.render(Initiative()) == ""


@pytest.mark.django_db
def test_actors_are_found_by_name_or_alias_once_each_and_bad_names_are_refused():
    ville = ActorFactory(name="Ville de Nantes", kind="institutional")
    ActorAlias.objects.create(actor=ville, name="Mairie de Nantes")
    column = ActorsColumn(Role.PARTNER, "partenaires", meaning="m")
    assert (column.attribute, column.role, column.related) == (None, Role.PARTNER, True)
    assert column.fmt == "noms d'acteurs séparés par « | »"
    assert column.max_length == 255
    context = RowContext(lookups={"actors": ActorLookup()}, own_actors={})
    parsed = column.parse("ville de nantes | Mairie de Nantes | VILLE DE NANTES | Collectif du quartier", context)
    assert parsed == [("ville de nantes", ville), ("Collectif du quartier", None)]
    assert column.parse("", context) == []
    assert column.parse("Collectif du quartier | collectif du quartier", context) == [("Collectif du quartier", None)]
    assert refused(column, "Ville | ---", context) == "« --- » n'est pas un nom d'acteur"
    assert column.parse("n" * 255, context) == [("n" * 255, None)]
    assert refused(column, "n" * 256, context) == f"nom d'acteur de plus de 255 caractères : « {'n' * 40}… »"


@pytest.mark.parametrize(
    "make, attribute",
    [
        (lambda: TextColumn("title", "titre", meaning="m"), "title"),
        (lambda: SlugColumn("slug", "titre", meaning="m", fmt="f"), "slug"),
        (lambda: ChoiceColumn("status", "titre", choices=Status.choices, meaning="m"), "status"),
        (lambda: DateColumn("start_date", "titre", meaning="m"), "start_date"),
        (lambda: BooleanColumn("volunteers", "titre", meaning="m"), "volunteers"),
        (lambda: CentreColumn("curating_centre", "titre", meaning="m", fmt="f"), "curating_centre"),
        (lambda: SlugListColumn("themes", "titre", noun="thème", meaning="m"), "themes"),
        (lambda: TagsColumn("tags", "titre", meaning="m", fmt="f"), "tags"),
        (lambda: ActorsColumn(Role.CARRIER, "titre", meaning="m"), None),
    ],
)
def test_every_kind_of_column_keeps_its_attribute_and_its_header(make, attribute):
    column = make()
    assert (column.attribute, column.column_name, column.meaning) == (attribute, "titre", "m")


# --- Writing what was read, on an existing case (replace) and on a new one (add), then comparing.


@pytest.fixture
def case(db):
    national_network()
    return InitiativeFactory(title="Paniers solidaires", territory=CommuneFactory(name="Nantes", code="44109"))


def test_themes_of_an_existing_case_are_replaced_and_compared_as_a_set(case):
    a, b, c = ThemeFactory(slug="a"), ThemeFactory(slug="b"), ThemeFactory(slug="c")
    column = SlugListColumn("themes", "themes", noun="thème", meaning="m")
    column.apply(case, [a, b], new=True)
    assert {t.slug for t in case.themes.all()} == {"a", "b"}
    assert column.same([b, a], case) and not column.same([a], case) and not column.same([a, b, c], case)
    column.apply(case, [b, c])
    assert {t.slug for t in case.themes.all()} == {"b", "c"}
    assert column.render(case) == "b | c"
    assert column.current(Initiative(title="pas encore enregistré")) == []


def test_keywords_of_an_existing_case_are_replaced(case):
    column = TagsColumn("tags", "mots_cles", meaning="m", fmt="f")
    column.apply(case, ["Jardins", "aller-vers"], new=True)
    assert column.current(case) == ["Jardins", "aller-vers"]
    column.apply(case, ["aller-vers", "Solidarité"])
    assert column.current(case) == ["Solidarité", "aller-vers"]
    assert column.same(["aller-vers", "Solidarité"], case) and not column.same(["aller-vers"], case)
    assert column.render(case) == "Solidarité | aller-vers"
    assert column.current(Initiative(title="pas encore enregistré")) == []


def test_actors_of_one_role_are_replaced_and_the_other_roles_kept(case):
    ActorFactory.create_batch(5)  # actors' ids apart from involvements' ids
    kept, dropped, partner = ActorFactory(name="Ville de Nantes"), ActorFactory(name="CCAS"), ActorFactory(name="CAF")
    for actor, role in ((kept, Role.CARRIER), (dropped, Role.CARRIER), (partner, Role.PARTNER)):
        InvolvementFactory(initiative=case, actor=actor, role=role)
    carriers = ActorsColumn(Role.CARRIER, "porteurs", meaning="m")
    assert carriers.same([("Ville de Nantes", kept), ("CCAS", dropped)], case)
    assert not carriers.same([("Ville de Nantes", kept)], case)
    assert not carriers.same([("Ville de Nantes", kept), ("CCAS", dropped), ("Nouveau", None)], case)
    carriers.apply(case, [("Ville de Nantes", kept), ("Collectif des voisines", None), ("Ville de Nantes", kept)])
    involvements = sorted((i.actor.name, i.role) for i in case.involvements.select_related("actor"))
    assert involvements == [
        ("CAF", Role.PARTNER),
        ("Collectif des voisines", Role.CARRIER),
        ("Ville de Nantes", Role.CARRIER),
    ]
    assert carriers.render(case) == "Collectif des voisines | Ville de Nantes"  # by name
    assert carriers.current(Initiative(title="pas encore enregistré")) == []


def test_a_neighbourhood_named_for_the_first_time_is_created_when_the_row_is_written(case):
    nantes = case.territory
    pending = PendingNeighbourhood(commune=nantes, name="Le Breil")
    place, other = (
        TerritoryColumn("territory", "territoire", meaning="m", fmt="f"),
        PlacesColumn("other_places", "autres_lieux", meaning="m", fmt="f"),
    )
    assert place.same(nantes, case) and not place.same(pending, case) and not place.same(CommuneFactory(), case)
    assert not other.same([pending], case) and other.same([], case)
    other.apply(case, [pending])
    breil = Territory.objects.get(name="Le Breil")
    assert (breil.kind, breil.parent, breil.source) == ("qpv", nantes, "import d'un tableur")
    assert list(case.other_places.all()) == [breil] and other.same([breil], case)
    place.apply(case, PendingNeighbourhood(commune=nantes, name="Bellevue", kind="quartier"))
    assert (case.territory.name, case.territory.kind, case.territory.source) == (
        "Bellevue",
        "quartier",
        "import d'un tableur",
    )


@pytest.mark.django_db
def test_named_actors_are_read_once_per_file_with_what_the_lookup_needs(django_assert_num_queries):
    for name in ("Ville de Nantes", "CAF", "CCAS"):
        ActorAlias.objects.create(actor=ActorFactory(name=name), name=f"{name} (alias)")
    with django_assert_num_queries(2):
        lookup = ActorLookup()
        found = [lookup.find(k) for k in ("ville nantes", "caf alias", "ccas")]
        assert [a.name for a in found] == ["Ville de Nantes", "CAF", "CCAS"]  # what a row needs: pk and name
    assert [a.pk for a in found] == [Actor.objects.get(name=n).pk for n in ("Ville de Nantes", "CAF", "CCAS")]
