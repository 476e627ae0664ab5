import pytest

from initiatives.casefiles.verbatim import VerbatimIndex, normalise, word_count

REPORT = """Ainsi, l’association ECO MOBIL, située sur le QPV du
Lamentin, a pour objet de promouvoir les moyens de transport écolo-
giques ; les publics « vulné-
rables » ont été appelés. Le 1<sup>er</sup> confinement a été **très** dur.
La Seine-
Saint-Denis a réagi vite."""


@pytest.mark.parametrize(
    "excerpt",
    [
        "l'association ECO MOBIL, située sur le QPV du Lamentin",  # straight apostrophe, line break
        "promouvoir les moyens de transport écologiques",  # hyphen breaking a word
        "les publics « vulnérables » ont été appelés",
        "Le 1er confinement a été très dur.",  # <sup> and markdown emphasis
        "La Seine-Saint-Denis a réagi vite.",  # a real hyphen broken across lines
    ],
)
def test_excerpts_match_despite_what_word_for_word_ignores(excerpt):
    assert VerbatimIndex(REPORT).contains(excerpt)


@pytest.mark.parametrize(
    "excerpt",
    [
        "l'association ECO MOBIL, située dans le QPV du Lamentin",  # one word changed
        "Le premier confinement a été très dur.",
        "",
    ],
)
def test_altered_excerpts_do_not_match(excerpt):
    assert not VerbatimIndex(REPORT).contains(excerpt)


def test_normalise_folds_whitespace_and_quotes():
    assert normalise("  l’école\n\n  “ouverte”  ") == 'l\'école "ouverte"'


def test_word_count():
    assert word_count("C'est près de 80 ordinateurs qui ont ainsi permis") == 9


@pytest.mark.parametrize(
    ("report", "excerpt"),
    [
        ("un accueil _vraiment_ inconditionnel", "un accueil vraiment inconditionnel"),
        ("un accueil __vraiment__ inconditionnel", "un accueil vraiment inconditionnel"),
        ("un accueil *vraiment* inconditionnel", "un accueil vraiment inconditionnel"),
        ("un accueil ***vraiment*** inconditionnel", "un accueil vraiment inconditionnel"),
        ("un accueil vraiment inconditionnel", "un accueil _vraiment_ inconditionnel"),
    ],
    ids=["underscore", "double_underscore", "star", "triple_star", "marks_in_the_excerpt"],
)
def test_every_markdown_emphasis_mark_is_ignored(report, excerpt):
    # README and DESIGN promise all emphasis marks, not only ** (a mutant that kept _ survived).
    assert VerbatimIndex(report).contains(excerpt)
    assert normalise(report) == "un accueil vraiment inconditionnel"
