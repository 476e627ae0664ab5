"""The search's parts one by one, without a base of cases: excerpts, query reading, spelling.

``test_search.py`` runs whole searches on both databases; these tests pin each
part's own rules down with exact outputs, fast enough to run for each mutant of
``make mutation``.
"""

import math
import uuid
from contextlib import contextmanager

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils.safestring import SafeString

from initiatives.browse import bitsets
from initiatives.browse.bitsets import Snapshot
from initiatives.browse.search import engine, match, search, snippet, spelling, thesaurus, understanding
from initiatives.browse.search.engine import TextSearch
from initiatives.browse.search.query import Alternative, highlight_words, parse
from initiatives.browse.search.thesaurus import Thesaurus, ThesaurusFileError, read_thesaurus
from initiatives.browse.selectors import browse
from initiatives.models import Initiative, SearchWord, ThesaurusEntry
from initiatives.text import fold_keep_length
from territories.models import Territory
from tests.factories import (
    CommuneFactory,
    DepartmentFactory,
    InitiativeFactory,
    QpvFactory,
    RegionFactory,
    ResourceCentreFactory,
    ThemeFactory,
    national_network,
)

EXPRESSIONS = "« synonyms » (ou « acronym » et « means ») doit être une liste d'expressions non vides."
JARDINS = "Un mot, puis les jardins partagés du quartier et bien plus encore ici"
LONG = "Début. " + "mot " * 60 + "Les bénévoles du quartier ont prêté des ordinateurs. " + "fin " * 60


@pytest.mark.parametrize(
    "text, q, width, expected",
    [
        ("Un  prêt\n\n d'ordinateurs", "", 220, "Un prêt d&#x27;ordinateurs"),
        ("Un prêt d'ordinateurs", "", 8, "Un prêt …"),
        ("Ordinateurs pour tous", "ordinateur", 10, "<mark>Ordinateur</mark> …"),
        ("Les jardins partagés", "jardinage", 220, "Les <mark>jardins</mark> partagés"),  # six letters in common
        (JARDINS, "jardinage", 30, "… puis les <mark>jardins</mark> partagés du …"),  # cut on a space
        (JARDINS, "jardinage", 48, "… n mot, puis les <mark>jardins</mark> partagés du quartier et …"),
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


def test_folding_keeps_one_character_for_one_whatever_the_letter():
    every = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000)
    assert len(fold_keep_length(every)) == len(every)
    assert (
        fold_keep_length("İstanbul ŒUVRE Σίσυφος") == "istanbul œuvre σίσυφος"
    )  # Latin letters only lose their accents


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


def sample_thesaurus():
    """Built inside each test (not at import), so that mutation testing sees ``Thesaurus.add`` run."""
    return thesaurus_of(
        ("aide-alimentaire", "", ["aide alimentaire", "Colis", "paniers solidaires", "aide  alimentaire"]),
        ("pre", "PRE", ["programme de réussite éducative", "réussite éducative"]),
        ("cinq", "", ["un deux trois quatre cinq", "cinq mots"]),
        ("six", "", ["un deux trois quatre cinq six", "six mots"]),
        ("pre-bis", "", ["réussite éducative", "ailleurs"]),  # an expression already taken: the first entry keeps it
    )


def shape(terms):
    return [(t.typed, [(a.phrase, a.whole_word, a.quoted) for a in t.alternatives], t.from_thesaurus) for t in terms]


def test_the_thesaurus_groups_each_entry_s_expressions_acronym_first():
    thesaurus = sample_thesaurus()
    colis = thesaurus.entry("colis")
    assert colis is thesaurus.entry("aide alimentaire") is thesaurus.entry("paniers solidaires")
    assert colis.label == "aide alimentaire"
    assert colis.phrases == ("aide alimentaire", "colis", "paniers solidaires")  # a repeat folded away
    assert colis.spelled == ("aide alimentaire", "Colis", "paniers solidaires")
    pre = thesaurus.entry("reussite educative")
    assert (pre.label, pre.phrases) == ("PRE", ("pre", "programme de reussite educative", "reussite educative"))
    assert pre.spelled[1] == "programme de réussite éducative"
    assert thesaurus.acronyms == {"pre"}
    assert thesaurus.knows("ailleurs") and not thesaurus.knows("aide") and thesaurus.entry("aide") is None
    assert thesaurus.entry("ailleurs").label == "réussite éducative"
    assert Thesaurus().groups == {} and Thesaurus().acronyms == set()


def test_words_of_a_query_and_the_longest_expression_the_thesaurus_knows():
    parsed = parse("Aide Alimentaire à Grigny", sample_thesaurus())
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
    parsed = parse("PRE ado jeunes", sample_thesaurus())
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
    assert shape(parse("réussite éducative", sample_thesaurus()).terms)[0][1] == [  # what was typed first
        ("reussite educative", False, False),
        ("pre", True, False),
        ("programme de reussite educative", False, False),
    ]


def test_expressions_up_to_five_words():
    assert [t.typed for t in parse("un deux trois quatre cinq", sample_thesaurus()).terms] == [
        "un deux trois quatre cinq"
    ]
    six = parse("un deux trois quatre cinq six", sample_thesaurus()).terms
    assert [t.typed for t in six] == ["un deux trois quatre cinq", "six"]  # six words are too many: five, then one


def test_quotes_exclusions_and_operators():
    parsed = parse('"aide alimentaire" OU colis ET -"paniers solidaires" -pre -"PRE" and or', sample_thesaurus())
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
    only_excluded = parse("-colis", sample_thesaurus())
    assert only_excluded.terms == [] and bool(only_excluded) and only_excluded.words() == []


def test_words_wanted_before_an_exclusion_or_a_phrase_are_read_together():
    parsed = parse('aide alimentaire -colis aide "x" alimentaire', sample_thesaurus())
    assert [t.typed for t in parsed.terms] == ["aide alimentaire", "aide", "x", "alimentaire"]
    assert [t.typed for t in parsed.excluded] == ["colis"]


def test_a_hyphenated_name_is_one_term_as_typed():
    parsed = parse("Villiers-le-Bel santé -Saint-Denis", sample_thesaurus())
    assert shape(parsed.terms) == [
        ("Villiers-le-Bel", [("villiers le bel", False, False)], ""),
        ("santé", [("sante", False, False)], ""),
    ]
    assert shape(parsed.excluded) == [("Saint-Denis", [("saint denis", False, False)], "")]
    assert [t.typed for t in parse("-bel- santé", sample_thesaurus()).excluded] == ["bel-"]
    assert [t.typed for t in parse("l'école", sample_thesaurus()).terms] == ["école"]  # "l" is a stop word
    assert parse("l'école", sample_thesaurus()).words() == ["ecole"]


@pytest.mark.parametrize("q", ["", None, "le de la", "ou et", '""', "-", "*"])
def test_a_query_without_words_is_empty(q):
    parsed = parse(q, sample_thesaurus())
    assert (parsed.terms, parsed.excluded, bool(parsed)) == ([], [], False)


def test_an_expression_s_words_leave_its_stop_words_out_unless_it_has_only_them():
    assert Alternative("programme de reussite educative").words() == ["programme", "reussite", "educative"]
    assert Alternative("de la").words() == ["de", "la"]


def test_only_an_unquoted_expression_of_several_words_matches_by_its_words():
    assert Alternative("aide alimentaire").by_words is True
    assert Alternative("aide alimentaire", quoted=True).by_words is False
    assert Alternative("colis").by_words is False


def test_the_words_to_mark_in_an_excerpt():
    assert highlight_words('Aide "à domicile" -colis pour les Aînés') == ["aide", "domicile", "aines"]
    assert highlight_words("") == []


# --- The thesaurus file, read and checked (no database: what would be stored).


@pytest.mark.parametrize(
    "text, problem",
    [
        (
            "- key: Pas Un Id\n  synonyms: [a]\n",
            "« key » manque ou n'est pas un identifiant (minuscules, chiffres, tirets).",
        ),
        ("- synonyms: [a]\n", "« key » manque ou n'est pas un identifiant (minuscules, chiffres, tirets)."),
        ("- just-a-string\n", "« key » manque ou n'est pas un identifiant (minuscules, chiffres, tirets)."),
        ("- key: vide\n  synonyms: []\n", EXPRESSIONS),
        ("- key: blanc\n  synonyms: [a, '  ']\n", EXPRESSIONS),
        ("- key: pas-liste\n  synonyms: colis\n", EXPRESSIONS),
        ("- key: nombre\n  synonyms: [a, 3]\n", EXPRESSIONS),
        ("- key: sigle\n  acronym: CAF\n  synonyms: [a]\n", EXPRESSIONS),  # an acronym says what it means
        ("- key: long\n  acronym: ABCDEFGHIJKLMNOPQRSTU\n  means: [a]\n", "identifiant ou sigle trop long."),
        (f"- key: {'k' * 61}\n  synonyms: [a]\n", "identifiant ou sigle trop long."),
    ],
)
def test_each_faulty_entry_is_named_with_what_is_wrong(tmp_path, text, problem):
    path = tmp_path / "thesaurus.yaml"
    path.write_text("- key: ok\n  synonyms: [a, b]\n" + text, encoding="utf-8")
    with pytest.raises(ThesaurusFileError) as error:
        read_thesaurus(path)
    assert str(error.value) == f"{path} :\nentrée n° 2 : {problem}"


def test_a_file_is_read_whole_and_every_fault_is_listed(tmp_path):
    path = tmp_path / "thesaurus.yaml"
    path.write_text(
        "- key: pre\n  acronym: PRE\n  means: [' réussite éducative ', programme]\n"
        "- key: colis\n  synonyms: [Colis, paniers]\n"
        f"- key: {'s' * 60}\n  acronym: {'S' * 20}\n  means: [x]\n",
        encoding="utf-8",
    )
    assert read_thesaurus(path) == [
        {"key": "pre", "kind": "sigle", "acronym": "PRE", "terms": "réussite éducative\nprogramme"},
        {"key": "colis", "kind": "synonymes", "acronym": "", "terms": "Colis\npaniers"},
        {"key": "s" * 60, "kind": "sigle", "acronym": "S" * 20, "terms": "x"},
    ]
    path.write_text(
        "- key: a\n  synonyms: []\n- key: b\n  synonyms: [x]\n- key: b\n  synonyms: [y]\n", encoding="utf-8"
    )
    with pytest.raises(ThesaurusFileError) as error:
        read_thesaurus(path)
    assert str(error.value) == (
        f"{path} :\nentrée n° 1 : {EXPRESSIONS}\nentrée n° 3 : l'identifiant « b » est déjà pris."
    )


def test_an_empty_file_has_no_entries_and_an_unreadable_one_says_so(tmp_path):
    path = tmp_path / "thesaurus.yaml"
    path.write_text("", encoding="utf-8")
    assert read_thesaurus(path) == []
    path.write_text("clé: valeur\n", encoding="utf-8")
    with pytest.raises(ThesaurusFileError) as error:
        read_thesaurus(path)
    assert str(error.value) == f"{path} : une liste d'entrées est attendue."
    with pytest.raises(ThesaurusFileError) as error:
        read_thesaurus(tmp_path / "absent.yaml")
    assert str(error.value).startswith(f"{tmp_path / 'absent.yaml'} : fichier illisible (")
    path.write_bytes("- key: pré\n".encode("latin-1"))
    with pytest.raises(ThesaurusFileError) as error:
        read_thesaurus(path)
    assert "fichier illisible" in str(error.value)


# --- Spelling suggestions from the base's own vocabulary.

VOCABULARY = ["alimentaire", "colis", "grigny", "marseille", "villiers"]


@pytest.fixture
def vocabulary(db):
    SearchWord.objects.bulk_create([SearchWord(word=w) for w in reversed(VOCABULARY)])
    return uuid.uuid4().hex  # a token no other test used: the process's copy is read afresh


def test_the_vocabulary_is_read_sorted_once_per_index_version(vocabulary, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert spelling.vocabulary(vocabulary) == VOCABULARY
        assert spelling.vocabulary(vocabulary) == VOCABULARY
    SearchWord.objects.create(word="bobigny")
    assert "bobigny" not in spelling.vocabulary(vocabulary)
    assert "bobigny" in spelling.vocabulary(uuid.uuid4().hex)


@pytest.mark.parametrize(
    "word, whole, expected",
    [
        ("colis", False, True),
        ("col", False, True),
        ("col", True, False),
        ("colis", True, True),
        ("villiers", True, True),
        ("aaa", False, False),
        ("zzz", False, False),
        ("grignyx", False, False),
    ],
)
def test_a_word_is_known_when_it_starts_a_word_or_with_whole_is_one(word, whole, expected):
    assert spelling.known(word, VOCABULARY, whole=whole) is expected
    if not whole:
        assert spelling.known(word, VOCABULARY) is expected  # by default, a word that starts one is known


def test_unknown_words_get_their_closest_known_word(vocabulary):
    typed = [
        "gny",
        "alimantaire",
        "grigni",
        "cols",
        "colx",
        "colis",
        "coli",
        "villier",
        "r2d2",
        "caff",
        "mase",
        "eille",
    ]
    fixes = spelling.corrections(typed, vocabulary, acronyms={"caff"}, inner={"villier"})
    # "colx", "mase" and "eille" are too far (under 75 % of the plain ratio; "eille" ends "marseille");
    # "coli" starts a word; "gny" is short; "r2d2" not a word; "caff" is an acronym; "villier" must be a
    # whole word (the inner word of a phrase).
    assert fixes == {"alimantaire": "alimentaire", "grigni": "grigny", "cols": "colis", "villier": "villiers"}
    assert spelling.corrections(["villier"], vocabulary) == {}  # not inner: it starts "villiers"
    assert spelling.corrections(["gigny"], vocabulary) == {"gigny": "grigny"}


def test_no_vocabulary_no_suggestion_and_short_queries_read_nothing(db, django_assert_num_queries):
    token = uuid.uuid4().hex
    with django_assert_num_queries(0):
        assert spelling.corrections(["pre", "ado", "r2d2"], token) == {}
    assert spelling.corrections(["alimantaire"], token) == {}


# --- What a query names: themes, centres, the places the published cases concern.


@pytest.fixture
def named_world(db):
    national_network()
    essonne = DepartmentFactory(name="Essonne", code="91", parent=RegionFactory(name="Île-de-France", code="11"))
    grigny = CommuneFactory(name="Grigny", code="91286", parent=essonne)
    borne = QpvFactory(name="Grande Borne", parent=grigny)
    CommuneFactory(name="Evry", code="91228", parent=essonne)  # no published case: never named
    theme = ThemeFactory(name="Continuité scolaire", slug="continuite-scolaire")
    ThemeFactory(name="Santé", slug="sante")
    oriv = ResourceCentreFactory(name="Observatoire régional", short_name="ORIV", slug="oriv")
    in_borne = InitiativeFactory(title="Devoirs à la Grande Borne", territory=borne, curating_centre=oriv)
    in_borne.themes.add(theme)
    elsewhere = InitiativeFactory(title="Ailleurs", territory=CommuneFactory(name="Nancy", code="54395"))
    elsewhere.other_places.add(grigny)
    InitiativeFactory(title="Brouillon à Evry", status="draft", territory=Territory.objects.get(name="Evry"))
    bitsets.reset()
    return {"borne": in_borne, "elsewhere": elsewhere, "index": bitsets.current()}


def names(found):
    return [(n.kind, n.param, n.value, n.label, n.words) for n in found]


def test_a_query_names_themes_centres_and_concerned_places_longest_first(named_world, django_assert_num_queries):
    token = named_world["index"].token
    words = "grande borne continuite scolaire grigny orive observatoire regional oriv evry essonne sante ile de france"
    words = words.split()
    found = understanding.named_in(words, token)
    assert names(found) == [
        (
            "place",
            "territoire",
            Territory.objects.get(name="Île-de-France").slug,
            "Île-de-France",
            ("ile", "de", "france"),
        ),
        ("centre", "centre", "oriv", "ORIV", ("observatoire", "regional")),
        ("place", "territoire", Territory.objects.get(name="Grande Borne").slug, "Grande Borne", ("grande", "borne")),
        ("theme", "theme", "continuite-scolaire", "Continuité scolaire", ("continuite", "scolaire")),
        ("place", "territoire", Territory.objects.get(name="Essonne").slug, "Essonne", ("essonne",)),
        ("place", "territoire", Territory.objects.get(name="Grigny").slug, "Grigny", ("grigny",)),
        ("theme", "theme", "sante", "Santé", ("sante",)),
    ]  # ORIV by its full name first, once (its short name is the same centre); Evry has no published case
    assert [n.filter_label for n in found[:5]] == [
        "Île-de-France",
        "le centre ORIV",
        "Grande Borne",
        "le thème Continuité scolaire",
        "Essonne",
    ]
    assert understanding.named_in(["borne", "grande"], token) == []  # words in their order only
    with django_assert_num_queries(0):  # the names are read once per index version
        assert understanding.named_in(["grigny"], token)[0].label == "Grigny"
    assert understanding.named_in([], token) == []


def test_the_cases_of_what_is_named(named_world):
    index, borne, elsewhere = named_world["index"], named_world["borne"], named_world["elsewhere"]
    by_value = {
        n.value: n
        for n in understanding.named_in(
            ["grigny", "grande", "borne", "oriv", "continuite", "scolaire", "sante"], index.token
        )
    }
    grigny = Territory.objects.get(name="Grigny").slug
    assert bitsets.ids_of(understanding.cases_of(by_value[grigny], index)) == sorted([borne.pk, elsewhere.pk])
    assert bitsets.ids_of(understanding.cases_of(by_value[Territory.objects.get(name="Grande Borne").slug], index)) == [
        borne.pk
    ]
    assert bitsets.ids_of(understanding.cases_of(by_value["oriv"], index)) == [borne.pk]
    assert bitsets.ids_of(understanding.cases_of(by_value["continuite-scolaire"], index)) == [borne.pk]
    assert understanding.cases_of(by_value["sante"], index) == 0  # a theme without a case
    gone = understanding.Named("place", "territoire", "plus-la", "Plus là", ("plus", "la"))
    assert understanding.cases_of(gone, index) == 0
    nowhere = understanding.Named("centre", "centre", "aucun", "Aucun", ("aucun",))
    assert understanding.cases_of(nowhere, index) == 0


# --- Partial matches: which cases come first when no case has every word (engine._partial_tiers).
# Ten published cases, ids 1 to 10; a term's weight is 1 + ln((10 + 1) / (its cases + 1)).


def partial(term_bits, named_words=()):
    terms = parse(" ".join(f"mot{i}" for i in range(len(term_bits))), Thesaurus()).terms
    found = TextSearch(q="", terms=terms, term_bits=[bitsets.to_bits(ids) for ids in term_bits])
    named = understanding.Named("theme", "theme", "x", "X", tuple(named_words))
    found.named = [(named, 0)] if named_words else []
    everything = bitsets.to_bits(set.intersection(*map(set, term_bits)))
    tiers = engine._partial_tiers(found, everything, Snapshot(published=bitsets.to_bits(range(1, 11))))
    assert all(tier.partial is True for tier in tiers)
    return [bitsets.ids_of(tier.bits) for tier in tiers]


def test_a_term_weighs_one_plus_its_smoothed_inverse_frequency_and_two_more_when_it_names_something():
    assert engine.term_weight(2, 10) == pytest.approx(1 + math.log(11 / 3))
    assert engine.term_weight(0, 10) == pytest.approx(1 + math.log(11))
    assert engine.term_weight(10, 10) == pytest.approx(1.0)
    assert engine.term_weight(0, 0) == pytest.approx(1.0)
    assert engine.term_weight(2, 10, named=True) == pytest.approx(3 + math.log(11 / 3))


def test_partial_matches_come_by_the_summed_weight_of_the_words_they_have():
    rare, common, medium = [1, 2], [1, 3, 4, 5, 6, 7, 8], [2, 3, 9]
    # weights: rare 2.30, common 1.32, medium 2.01: rare+medium, rare+common, common+medium, medium, common
    assert partial([rare, common, medium]) == [[2], [1], [3], [9], [4, 5, 6, 7, 8]]


def test_one_rare_word_outweighs_two_common_ones():
    rare, common_a, common_b = [1], [2, 3, 4, 5, 6, 7, 8, 10], [2, 3, 4, 5, 6, 7, 8, 9]
    # rare 2.70 > common_a + common_b 1.20 + 1.20 = 2.40
    assert partial([rare, common_a, common_b]) == [[1], [2, 3, 4, 5, 6, 7, 8], [10], [9]]


def test_a_word_that_names_a_theme_or_a_place_weighs_more():
    rare, common_a, common_b = [1], [2, 3, 4, 5, 6, 7, 8, 10], [2, 3, 4, 5, 6, 7, 8, 9]
    assert partial([rare, common_a, common_b], named_words=["mot1"]) == [[2, 3, 4, 5, 6, 7, 8], [10], [1], [9]]
    assert partial([rare, common_a, common_b], named_words=["ailleurs"]) == [[1], [2, 3, 4, 5, 6, 7, 8], [10], [9]]


def test_equal_weights_keep_the_words_order():
    assert partial([[2, 3], [1, 3], [4]]) == [[3], [4], [2], [1]]  # [4] is rarer; then the first word's case
    assert partial([[4], [2, 3], [1, 3]]) == [[3], [4], [2], [1]]


def test_up_to_six_words_each_combination_is_a_tier_beyond_one_tier():
    six = [[1], [2], [3], [4], [5], [1, 2, 3, 4, 5, 6, 7]]
    assert partial(six) == [[1], [2], [3], [4], [5], [6, 7]]
    seven = [[1], [2], [3], [4], [5], [1, 2, 3, 4, 5, 6, 7], [8, 9]]
    assert partial(seven) == [[1, 2, 3, 4, 5, 6, 7, 8, 9]]
    seven_with_all = [[1, 2], [2], [2, 3], [2, 4], [2, 5], [2, 6], [2, 7]]  # case 2 has every word: not partial
    assert partial(seven_with_all) == [[1, 3, 4, 5, 6, 7]]


# --- Which cases a term matches (match.term_bits), kept per index version; the order of the tiers of
# cases that have every word. On both databases (the PostgreSQL pass runs these too).


@pytest.fixture
def food(db):
    national_network()
    ThesaurusEntry.objects.create(key="aide-alimentaire", terms="aide alimentaire\népicerie solidaire")
    made = {
        "title_typed": InitiativeFactory(title="Aide alimentaire d'urgence", summary="Des repas."),
        "title_synonym": InitiativeFactory(title="Épicerie solidaire", summary="Des produits."),
        "body_typed": InitiativeFactory(title="Réunion de quartier", actions="Un point sur l'aide alimentaire."),
        "body_synonym": InitiativeFactory(title="Réunion des voisins", actions="Une épicerie solidaire ouvre."),
        "none": InitiativeFactory(title="Jardins partagés", summary="Des légumes."),
    }
    bitsets.reset()
    match.forget()
    return made


def term(q):
    return parse(q, thesaurus.current()).terms[0]


def slugs_of(bits):
    return set(Initiative.objects.filter(pk__in=bitsets.ids_of(bits)).values_list("slug", flat=True))


def test_a_term_matches_its_words_or_any_synonym_and_typed_only_its_words(food):
    token = bitsets.current().token
    wanted = term("aide alimentaire")
    slugs = {key: case.slug for key, case in food.items()}
    every = {slugs[k] for k in ("title_typed", "title_synonym", "body_typed", "body_synonym")}
    assert slugs_of(match.term_bits(wanted, "all", token)) == every
    assert slugs_of(match.term_bits(wanted, "all", token, typed=True)) == {slugs["title_typed"], slugs["body_typed"]}
    assert slugs_of(match.term_bits(wanted, "title", token)) == {slugs["title_typed"], slugs["title_synonym"]}
    assert slugs_of(match.term_bits(wanted, "title", token, typed=True)) == {slugs["title_typed"]}


def test_cases_with_every_word_come_typed_in_the_title_then_synonym_in_the_title_then_anywhere(food):
    """The "title" field is the title and the summary; the others are read with every field."""
    result = browse(QueryDict("q=aide+alimentaire"), with_facets=False)
    order = dict(Initiative.objects.values_list("pk", "slug"))
    assert [order[i] for i in result.all_ids()] == [
        food[k].slug for k in ("title_typed", "title_synonym", "body_typed", "body_synonym")
    ]


@contextmanager
def searches(expected):
    """Exactly ``expected`` reads of the search table (PostgreSQL wraps each in a few SET/SAVEPOINTs)."""
    with CaptureQueriesContext(connection) as queries:
        yield
    reads = [q["sql"] for q in queries if "FROM initiatives_searchdocument" in q["sql"].replace('"', "")]
    assert len(reads) == expected, reads


def test_a_term_is_asked_once_per_index_version(food):
    token = bitsets.current().token
    wanted = term("aide alimentaire")
    with searches(1):
        first = match.term_bits(wanted, "all", token)
        assert match.term_bits(wanted, "all", token) == first
    later = InitiativeFactory(title="Aide alimentaire, suite")
    new_token = bitsets.current().token
    assert later.slug in slugs_of(match.term_bits(wanted, "all", new_token))  # a write: asked again
    with searches(0):
        match.term_bits(wanted, "all", new_token)


def test_a_search_asked_again_reads_nothing_more(food):
    """A reader paging through a search, or many readers typing the same words, cost no search query."""
    browse(QueryDict("q=aide+alimentaire+urgence+-jardins"), with_facets=False)
    with searches(0):
        browse(QueryDict("q=aide+alimentaire+urgence+-jardins&page=2"), with_facets=False)


def test_the_least_recently_asked_term_is_forgotten_first(food, monkeypatch):
    monkeypatch.setattr(match, "CACHED_TERMS", 2)
    token = bitsets.current().token
    a, b, c = term("aide"), term("epicerie"), term("jardins")
    for t in (a, b, a, c):  # a asked again: b is now the oldest, and c's arrival drops it
        match.term_bits(t, "all", token)
    with searches(0):
        match.term_bits(a, "all", token)
        match.term_bits(c, "all", token)
    with searches(1):
        match.term_bits(b, "all", token)


def test_a_queryset_narrowed_by_a_search_and_left_whole_without_words(food):
    every = Initiative.objects.all()
    assert search(every, "") is every and search(every, "   ") is every and search(every, None) is every
    assert set(search(every, "jardins").values_list("slug", flat=True)) == {food["none"].slug}
    assert set(search(every, "aide alimentaire urgence", per_page=1).values_list("slug", flat=True)) == {
        food["title_typed"].slug
    }


# --- A search run whole (engine.run): exclusions, corrections offered or applied, on both databases.


@pytest.fixture
def spelled(db):
    national_network()
    made = {
        "grigny": InitiativeFactory(title="Aide alimentaire à Grigny", territory=CommuneFactory(name="Grigny")),
        "villiers": InitiativeFactory(title="Épicerie solidaire de Villiers-le-Bel"),
        "borne": InitiativeFactory(title="Quartier Grande Borne Nord"),
        "jardins": InitiativeFactory(title="Jardins partagés"),
        "brouillon": InitiativeFactory(title="Aide alimentaire en brouillon", status="draft"),
    }
    bitsets.reset()
    match.forget()
    return made


def ran(q, per_page=20):
    found = engine.run(q, index=bitsets.current(), per_page=per_page)
    slugs = dict(Initiative.objects.values_list("pk", "slug"))
    return found, {slugs[i] for i in bitsets.ids_of(found.results)}


def test_exclusions_alone_keep_every_published_case_but_the_excluded(spelled):
    found, slugs = ran("-jardins -epicerie")
    assert slugs == {spelled["grigny"].slug, spelled["borne"].slug}
    assert (found.q, [t.typed for t in found.excluded], found.terms) == (
        "-jardins -epicerie",
        ["jardins", "epicerie"],
        [],
    )
    assert [bitsets.ids_of(t.bits) for t in found.tiers] == [
        sorted(c.pk for k, c in spelled.items() if k in ("grigny", "borne"))
    ]


def test_a_word_that_finds_nothing_is_corrected_and_the_corrected_query_run(spelled):
    found, slugs = ran("Grigny alimantaire")
    assert slugs == {spelled["grigny"].slug}
    assert (found.q, found.corrected_from, found.did_you_mean) == ("Grigny alimentaire", "Grigny alimantaire", "")
    assert [t.typed for t in found.terms] == ["Grigny", "alimentaire"]


def test_a_correction_that_finds_nothing_either_leaves_the_query_as_typed(spelled):
    found, slugs = ran("brouilon")  # "brouillon" is a word of the base, but only of a draft
    assert (found.q, found.corrected_from, found.did_you_mean, slugs) == ("brouilon", "", "", set())


def test_an_inner_word_of_a_name_must_be_a_whole_word_and_its_correction_is_offered(spelled):
    found, slugs = ran("Grande-Born-Nord")
    assert spelled["borne"].slug in slugs
    assert (found.did_you_mean, found.corrected_from) == ("Grande-borne-Nord", "")


def test_where_each_expression_and_name_starts_and_ends():
    typed = [t.typed for t in parse("aide alimentaire Grigny", sample_thesaurus()).terms]
    assert typed == ["aide alimentaire", "Grigny"]  # two words known together, before a third
    typed = [t.typed for t in parse("Grigny aide alimentaire", sample_thesaurus()).terms]
    assert typed == ["Grigny", "aide alimentaire"]
    assert [t.typed for t in parse("santé Villiers-le-Bel", sample_thesaurus()).terms] == ["santé", "Villiers-le-Bel"]
    assert [t.typed for t in parse("Saint-Denis", sample_thesaurus()).terms] == ["Saint-Denis"]
    assert [t.typed for t in parse("l'aide d'un voisin", sample_thesaurus()).terms] == ["aide", "voisin"]
    assert [t.typed for t in parse("l'école-", sample_thesaurus()).terms] == ["école"]  # an edge hyphen joins nothing
    assert [t.typed for t in parse('Xénia"', sample_thesaurus()).terms] == ["Xénia"]  # a stray quote dropped


def test_a_stop_word_the_thesaurus_knows_is_kept():
    known = thesaurus_of(("en", "", ["en", "éducation nationale"]))
    assert [t.typed for t in parse("en ligne", known).terms] == ["en", "ligne"]
    assert [t.typed for t in parse("en ligne", Thesaurus()).terms] == ["ligne"]


def test_the_thesaurus_is_read_again_only_when_its_table_changed(db, django_assert_num_queries):
    ThesaurusEntry.objects.create(key="a", terms="colis\npaniers")
    older = ThesaurusEntry.objects.create(key="b", terms="jardins\npotagers")
    ThesaurusEntry.objects.filter(pk=older.pk).update(updated_at=older.updated_at.replace(year=2020))
    first = thesaurus.current()
    with django_assert_num_queries(1):  # the table's stamp only
        assert thesaurus.current() is first
    ThesaurusEntry.objects.filter(pk=older.pk).delete()  # the latest change stays the same: the count tells
    assert thesaurus.current() is not first and not thesaurus.current().knows("jardins")


def test_every_tier_holds_cases_and_seven_words_make_one_partial_tier(spelled):
    found, slugs = ran("Grigny alimantaire")
    assert found.tiers and all(tier.bits for tier in found.tiers)
    found, slugs = ran("aide alimentaire grigny epicerie jardins quartier nord")  # seven words, none has all
    assert slugs == {spelled[k].slug for k in ("grigny", "villiers", "borne", "jardins")}
    assert [tier.partial for tier in found.tiers] == [True] * len(found.tiers)


def test_an_acronym_the_base_does_not_hold_is_not_corrected_into_a_word(spelled):
    ThesaurusEntry.objects.create(key="alsh", kind="sigle", acronym="ALSH", terms="accueil de loisirs")
    InitiativeFactory(title="Alsa et ses partenaires")
    bitsets.reset()
    found, slugs = ran("ALSH")
    assert (found.q, found.corrected_from, found.did_you_mean, slugs) == ("ALSH", "", "", set())


def test_single_word_synonyms_each_find_their_cases(food):
    ThesaurusEntry.objects.create(key="colis", terms="colis\npaniers")
    parcels = InitiativeFactory(title="Colis du vendredi")
    baskets = InitiativeFactory(title="Paniers du samedi")
    token = bitsets.current().token
    assert slugs_of(match.term_bits(term("colis"), "all", token)) == {parcels.slug, baskets.slug}


@pytest.mark.postgresql
def test_on_postgresql_words_are_stemmed_a_plural_finds_the_singular(food):
    token = bitsets.current().token
    typed = {food["title_typed"].slug, food["body_typed"].slug}
    assert slugs_of(match.term_bits(term("alimentaires"), "all", token)) == typed  # prefix matching would not


def test_the_cases_of_every_place_a_query_names_come_first(db):
    national_network()
    nantes, lille, metz = (CommuneFactory(name=n) for n in ("Nantes", "Lille", "Metz"))
    made = [
        InitiativeFactory(title="Repas solidaires", summary="Échanges entre Nantes et Lille.", territory=place)
        for place in (nantes, lille, metz)
    ]  # the most recent last: Metz's case would come first without the places named
    bitsets.reset()
    result = browse(QueryDict("q=repas+Nantes+Lille"), with_facets=False)
    assert result.all_ids() == [made[1].pk, made[0].pk, made[2].pk]
