"""The small text helpers every capability shares (initiatives/text.py), with exact expectations."""

import pytest

from initiatives.text import (
    _fold_table,
    fold_keep_length,
    fold_words,
    neutralise_formula,
    normalise_name,
    restore_formula,
    search_text,
    sentence,
    yes_no,
)


def test_the_fold_table_maps_each_accented_latin_letter_to_its_base_and_nothing_else():
    table = _fold_table()
    assert len(table) == 244  # Latin-1, Latin Extended-A and B letters that are a base letter plus marks
    assert min(table) == 0xC0 and max(table) == 0x233  # "À" … "ȳ"
    assert table[ord("À")] == "A" and table[ord("é")] == "e" and table[ord("Ÿ")] == "Y" and table[ord("ș")] == "s"
    assert ord("Æ") not in table and ord("œ") not in table and ord("ß") not in table  # no base letter
    assert ord("ǅ") not in table  # "Dž": a letter plus a letter with a mark, not a letter plus marks


def test_fold_keep_length_folds_one_character_for_one():
    text = "À l'École d'ÉTÉ, Ça Œuvre ǅ"
    folded = fold_keep_length(text)
    assert folded == "a l'ecole d'ete, ca œuvre ǆ"
    assert len(folded) == len(text)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("L'AFEV", "afev"),
        ("La Croix-Rouge française", "croix rouge francaise"),
        ("Secours populaire (fédération du Nord)", "secours populaire federation nord"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_name_ignores_case_accents_punctuation_and_articles(name, key):
    assert normalise_name(name) == key


def test_fold_words_and_search_text():
    assert fold_words("L'Église, d'ordinateurs") == "l eglise d ordinateurs"
    assert fold_words(None) == ""
    assert search_text("Aide alimentaire", "", None, "Lien-social") == " aide alimentaire lien social "
    assert search_text() == "  "


@pytest.mark.parametrize("value", ["'", "''", "'=1", "=1", "a", "", "'a"])
def test_restore_formula_undoes_exactly_what_neutralise_formula_added(value):
    assert restore_formula(neutralise_formula(value)) == value
    assert restore_formula("'") == "'" and restore_formula("'a") == "'a"


def test_yes_no_as_people_read_it():
    assert (yes_no(True), yes_no(False), yes_no(None)) == ("oui", "non", "")


def test_sentence_capitalises_the_first_letter_only_and_ends_with_a_full_stop():
    assert sentence("un cas « brouillon » peut passer à : en relecture") == (
        "Un cas « brouillon » peut passer à : en relecture."
    )
    assert sentence("écrit par l'AFEV") == "Écrit par l'AFEV."
