"""Small text helpers shared by models, loaders and checks."""

import re
import unicodedata

# Leading articles and legal words ignored when comparing organisation names,
# so that "L'AFEV" and "Afev" are one actor, and "La Croix-Rouge" "Croix Rouge".
_ARTICLES = {"le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "the"}


def _fold_table():
    table = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = unicodedata.normalize("NFKD", char)
        if len(base) > 1 and base[0].isascii() and all(unicodedata.combining(c) for c in base[1:]):
            table[code] = base[0]
    return table


_FOLD = _fold_table()


def sentence(phrase: str) -> str:
    """A rule's message (``services.status_problem``…) as a sentence of a form: capital first, full stop."""
    return phrase[0].upper() + phrase[1:] + "."


def fold_keep_length(text: str) -> str:
    """Lower-case without accents, one character for one ("É" -> "e", "œ" stays): positions
    in the result are positions in ``text``. C-speed (str.translate), for highlighting."""
    return text.translate(_FOLD).lower()


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalise_name(name: str) -> str:
    """A comparison key for an organisation name: case, accents, punctuation and articles ignored."""
    text = strip_accents(name or "").lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    words = [w for w in text.split() if w not in _ARTICLES]
    return " ".join(words)


def fold_words(text: str) -> str:
    """Accents, case and punctuation folded: "L'Église, d'ordinateurs" -> "l eglise d ordinateurs"."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", strip_accents(text or "").lower()).split())


def search_text(*parts) -> str:
    """The folded words of ``parts``, framed by spaces, so that " word" matches at a word's start.

    Used by the SQLite search and PostgreSQL's trigram fallback (DESIGN, Search).
    """
    return " " + " ".join(w for w in (fold_words(p) for p in parts if p) if w) + " "


def yes_no(value) -> str:
    """How a yes/no fact reads everywhere (pages, exports, history, facet keys): "oui", "non", or "" when unknown."""
    return "" if value is None else ("oui" if value else "non")


# A spreadsheet runs a cell starting with one of these as a formula ("=HYPERLINK(…)", "+SUM(…)", "@…";
# a tab or carriage return before them too). OWASP's advice for CSV files: a leading apostrophe.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet runs: an apostrophe before a formula trigger, and before a
    leading apostrophe too, so that ``restore_formula`` removes exactly what was added."""
    if text and (text[0] in FORMULA_TRIGGERS or text[0] == "'"):
        return "'" + text
    return text


def restore_formula(text: str) -> str:
    """The value ``neutralise_formula`` wrote as ``text`` (a CSV exported by us, read back)."""
    if len(text) > 1 and text[0] == "'" and (text[1] in FORMULA_TRIGGERS or text[1] == "'"):
        return text[1:]
    return text
