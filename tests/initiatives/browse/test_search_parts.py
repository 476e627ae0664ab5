"""The search's parts one by one, without a base of cases: excerpts, query reading, spelling.

``test_search.py`` runs whole searches on both databases; these tests pin each
part's own rules down with exact outputs, fast enough to run for each mutant of
``make mutation``.
"""

import pytest
from django.utils.safestring import SafeString

from initiatives.browse.search import snippet
from initiatives.browse.search.query import Alternative, highlight_words, parse
from initiatives.browse.search.thesaurus import Thesaurus
from initiatives.models import ThesaurusEntry

LONG = "Début. " + "mot " * 60 + "Les bénévoles du quartier ont prêté des ordinateurs. " + "fin " * 60


@pytest.mark.parametrize(
    "text, q, width, expected",
    [
        ("Un  prêt\n\n d'ordinateurs", "", 220, "Un prêt d&#x27;ordinateurs"),
        ("Un prêt d'ordinateurs", "", 8, "Un prêt …"),
        ("Ordinateurs pour tous", "ordinateur", 10, "<mark>Ordinateur</mark> …"),
        ("Ordinateurs pour tous", "ordinateur", 21, "<mark>Ordinateurs</mark> pour tous"),
        (
            LONG,
            "bénévolat ordinateur",
            60,
            "… mot mot mot mot Les <mark>bénévoles</mark> du quartier ont prêté des ordi …",
        ),
        (LONG, "zzz ordinateurs", 30, "… prêté des <mark>ordinateurs</mark>. fin fin …"),
        ("Le coordinateur et les ordinateurs", "ordinateur", 220, "Le coordinateur et les <mark>ordinateurs</mark>"),
        ("Le coordinateur, ses ordinateurs", "-coordinateur ordi", 99, "Le coordinateur, ses <mark>ordinateurs</mark>"),
        ("Aide de la mairie", "aide de la", 220, "<mark>Aide</mark> de la mairie"),
        ("Réussite et REUSSITE", "réussite", 220, "<mark>Réussite</mark> et <mark>REUSSITE</mark>"),
        ("<b>Réussite</b> & co", "reussite", 220, "&lt;b&gt;<mark>Réussite</mark>&lt;/b&gt; &amp; co"),
        ("İstanbul et ordinateurs", "ordinateur", 220, "İstanbul et <mark>ordinateurs</mark>"),
        ("Prêt de l'œuvre", "oeuvre", 220, "Prêt de l&#x27;œuvre"),
    ],
)
def test_an_excerpt_around_the_first_word_found_with_every_word_marked(text, q, width, expected):
    html = snippet(text, q, width=width)
    assert html == expected
    assert isinstance(html, SafeString)


@pytest.mark.parametrize("text", ["", None, "  \n "])
def test_no_text_no_excerpt(text):
    assert snippet(text, "ordinateur") == ""


def test_an_excerpt_is_220_characters_by_default():
    assert snippet("x" * 300, "") == "x" * 220 + " …"


# --- Reading a query (query.parse) with a thesaurus built from unsaved entries: no database.


def thesaurus_of(*entries):
    return Thesaurus(
        [ThesaurusEntry(key=key, acronym=acronym, terms="\n".join(terms)) for key, acronym, terms in entries]
    )


THESAURUS = thesaurus_of(
    ("aide-alimentaire", "", ["aide alimentaire", "Colis", "paniers solidaires", "aide  alimentaire"]),
    ("pre", "PRE", ["programme de réussite éducative", "réussite éducative"]),
    ("cinq", "", ["un deux trois quatre cinq", "cinq mots"]),
    ("six", "", ["un deux trois quatre cinq six", "six mots"]),
    ("pre-bis", "", ["réussite éducative", "ailleurs"]),  # an expression already taken: the first entry keeps it
)


def shape(terms):
    return [(t.typed, [(a.phrase, a.whole_word, a.quoted) for a in t.alternatives], t.from_thesaurus) for t in terms]


def test_the_thesaurus_groups_each_entry_s_expressions_acronym_first():
    colis = THESAURUS.entry("colis")
    assert colis is THESAURUS.entry("aide alimentaire") is THESAURUS.entry("paniers solidaires")
    assert colis.label == "aide alimentaire"
    assert colis.phrases == ("aide alimentaire", "colis", "paniers solidaires")  # a repeat folded away
    assert colis.spelled == ("aide alimentaire", "Colis", "paniers solidaires")
    pre = THESAURUS.entry("reussite educative")
    assert (pre.label, pre.phrases) == ("PRE", ("pre", "programme de reussite educative", "reussite educative"))
    assert pre.spelled[1] == "programme de réussite éducative"
    assert THESAURUS.acronyms == {"pre"}
    assert THESAURUS.knows("ailleurs") and not THESAURUS.knows("aide") and THESAURUS.entry("aide") is None
    assert THESAURUS.entry("ailleurs").label == "réussite éducative"
    assert Thesaurus().groups == {} and Thesaurus().acronyms == set()


def test_words_of_a_query_and_the_longest_expression_the_thesaurus_knows():
    parsed = parse("Aide Alimentaire à Grigny", THESAURUS)
    assert shape(parsed.terms) == [
        (
            "Aide Alimentaire",
            [("aide alimentaire", False, False), ("colis", False, False), ("paniers solidaires", False, False)],
            "aide alimentaire",
        ),
        ("Grigny", [("grigny", False, False)], ""),
    ]
    assert parsed.excluded == [] and bool(parsed)
    assert parsed.words() == ["aide", "alimentaire", "grigny"]
    assert parsed.terms[0].widened_to == ["Colis", "paniers solidaires"]


def test_an_acronym_and_short_words_match_whole_words_only():
    parsed = parse("PRE ado jeunes", THESAURUS)
    assert shape(parsed.terms) == [
        (
            "PRE",
            [
                ("pre", True, False),
                ("programme de reussite educative", False, False),
                ("reussite educative", False, False),
            ],
            "PRE",
        ),
        ("ado", [("ado", True, False)], ""),
        ("jeunes", [("jeunes", False, False)], ""),
    ]
    assert shape(parse("réussite éducative", THESAURUS).terms)[0][1] == [  # what was typed first
        ("reussite educative", False, False),
        ("pre", True, False),
        ("programme de reussite educative", False, False),
    ]


def test_expressions_up_to_five_words():
    assert [t.typed for t in parse("un deux trois quatre cinq", THESAURUS).terms] == ["un deux trois quatre cinq"]
    six = parse("un deux trois quatre cinq six", THESAURUS).terms
    assert [t.typed for t in six] == ["un deux trois quatre cinq", "six"]  # six words are too many: five, then one


def test_quotes_exclusions_and_operators():
    parsed = parse('"aide alimentaire" OU colis ET -"paniers solidaires" -pre -"PRE" and or', THESAURUS)
    assert shape(parsed.terms) == [
        ("aide alimentaire", [("aide alimentaire", False, True)], ""),
        ("colis", [("colis", False, False), ("aide alimentaire", False, False), ("paniers solidaires", False, False)],
         "aide alimentaire"),
    ]  # fmt: skip
    assert shape(parsed.excluded) == [
        ("paniers solidaires", [("paniers solidaires", False, True)], ""),
        ("pre", [("pre", True, False), ("programme de reussite educative", False, False),
                 ("reussite educative", False, False)], "PRE"),
        ("PRE", [("pre", True, True)], ""),
    ]  # fmt: skip
    only_excluded = parse("-colis", THESAURUS)
    assert only_excluded.terms == [] and bool(only_excluded) and only_excluded.words() == []


def test_words_wanted_before_an_exclusion_or_a_phrase_are_read_together():
    parsed = parse('aide alimentaire -colis aide "x" alimentaire', THESAURUS)
    assert [t.typed for t in parsed.terms] == ["aide alimentaire", "aide", "x", "alimentaire"]
    assert [t.typed for t in parsed.excluded] == ["colis"]


def test_a_hyphenated_name_is_one_term_as_typed():
    parsed = parse("Villiers-le-Bel santé -Saint-Denis", THESAURUS)
    assert shape(parsed.terms) == [
        ("Villiers-le-Bel", [("villiers le bel", False, False)], ""),
        ("santé", [("sante", False, False)], ""),
    ]
    assert shape(parsed.excluded) == [("Saint-Denis", [("saint denis", False, False)], "")]
    assert [t.typed for t in parse("-bel- santé", THESAURUS).excluded] == ["bel-"]
    assert [t.typed for t in parse("l'école", THESAURUS).terms] == ["ecole"]  # "l" is a stop word
    assert parse("l'école", THESAURUS).words() == ["ecole"]


@pytest.mark.parametrize("q", ["", None, "le de la", "ou et", '""', "-", "*"])
def test_a_query_without_words_is_empty(q):
    parsed = parse(q, THESAURUS)
    assert (parsed.terms, parsed.excluded, bool(parsed)) == ([], [], False)


def test_an_expression_s_words_leave_its_stop_words_out_unless_it_has_only_them():
    assert Alternative("programme de reussite educative").words() == ["programme", "reussite", "educative"]
    assert Alternative("de la").words() == ["de", "la"]


def test_the_words_to_mark_in_an_excerpt():
    assert highlight_words('Aide "à domicile" -colis pour les Aînés') == ["aide", "domicile", "aines"]
    assert highlight_words("") == []
