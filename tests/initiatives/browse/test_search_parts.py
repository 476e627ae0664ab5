"""The search's parts one by one, without a base of cases: excerpts, query reading, spelling.

``test_search.py`` runs whole searches on both databases; these tests pin each
part's own rules down with exact outputs, fast enough to run for each mutant of
``make mutation``.
"""

import pytest
from django.utils.safestring import SafeString

from initiatives.browse.search import snippet

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
