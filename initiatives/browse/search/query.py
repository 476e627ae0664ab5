"""Reading a search query: its terms, the thesaurus' alternatives of each, what it excludes.

Syntax, as people know it from search engines: words, "a quoted phrase",
``-word`` or ``-"a phrase"`` to exclude; OU / OR / ET / AND are ignored
(every word is wanted); French stop words ("de", "la", "pour"...) are dropped.

A term is a word or a phrase of the query, with its alternatives: the
thesaurus' synonyms of the expression, or an acronym and what it stands for
(``initiatives.browse.search.thesaurus``). The longest expression of the
thesaurus found in the query wins ("aide alimentaire" is one term, not two);
a hyphenated name ("Hauts-de-France") is one term too. Such an expression
matches a field holding all its words (``match``); a quoted phrase must appear
as written and is not widened by the thesaurus.
Acronyms, and words of three letters or fewer, match whole words only
("PRE" does not find "premier"); other words match the start of a word
("ordinateur" finds "ordinateurs", never "coordinateur").
"""

import re
from dataclasses import dataclass, field

from initiatives.text import fold_words

OPERATORS = {"ou", "or", "et", "and"}
STOP_WORDS = {
    "a", "au", "aux", "avec", "ce", "ces", "d", "dans", "de", "des", "du", "en", "et", "l", "la", "le", "les",
    "leur", "leurs", "ou", "par", "pour", "qu", "que", "qui", "sa", "se", "ses", "son", "sur", "un", "une",
}  # fmt: skip
SHORT = 3  # words this long or shorter match whole words only
MAX_EXPRESSION = 5  # words of the longest thesaurus expression looked for
_TOKENS = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')


@dataclass(frozen=True)
class Alternative:
    phrase: str  # folded words separated by one space
    whole_word: bool = False
    quoted: bool = False  # typed in quotes: the exact phrase in every field
    spelled: str = field(default="", compare=False)  # as the thesaurus writes it, for the page

    @property
    def by_words(self) -> bool:
        """An unquoted expression of several words matches its words anywhere (``words``); a word or a
        quoted phrase matches as written."""
        return not self.quoted and " " in self.phrase

    def words(self):
        """The words that must all be in a long text for an unquoted expression (stop words aside)."""
        return [w for w in self.phrase.split() if w not in STOP_WORDS] or self.phrase.split()


@dataclass
class Term:
    typed: str  # as the visitor wrote it
    alternatives: list  # of Alternative, the typed words first
    from_thesaurus: str = ""  # the thesaurus entry that widened it

    @property
    def widened_to(self):
        return [a.spelled or a.phrase for a in self.alternatives[1:]]


@dataclass
class ParsedQuery:
    terms: list = field(default_factory=list)
    excluded: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.terms or self.excluded)

    def words(self):
        return [word for term in self.terms for word in term.alternatives[0].phrase.split()]


def _alternative(phrase, acronyms, spelled=""):
    words = phrase.split()
    whole = len(words) == 1 and (phrase in acronyms or len(phrase) <= SHORT)
    return Alternative(phrase, whole, spelled=spelled)


def _split(q):
    """(excluded?, folded phrase, quoted?, as typed) for each token, operators dropped."""
    for neg1, quoted, neg2, word in _TOKENS.findall(q or ""):
        typed = quoted if quoted else word
        folded = fold_words(typed)
        if folded and folded not in OPERATORS:
            yield bool(neg1 or neg2), folded, bool(quoted), typed.strip('"')


def parse(q: str, thesaurus) -> ParsedQuery:
    """The terms of ``q``, widened by ``thesaurus`` (a ``thesaurus.Thesaurus``)."""
    parsed = ParsedQuery()
    pending = []  # consecutive unquoted wanted words, read together for multi-word expressions
    for excluded, folded, quoted, typed in _split(q):
        if quoted:  # the exact phrase, as search engines do: no synonyms
            parsed.terms += _terms(pending, thesaurus)
            pending = []
            term = Term(typed, [Alternative(folded, _alternative(folded, thesaurus.acronyms).whole_word, True)])
            (parsed.excluded if excluded else parsed.terms).append(term)
        elif excluded:
            parsed.terms += _terms(pending, thesaurus)
            pending = []
            parsed.excluded.append(_term(folded, typed, thesaurus))
        else:
            words = list(zip(folded.split(), _typed_words(typed, folded), strict=False))
            # A hyphenated name ("Hauts-de-France", "Clichy-sous-Bois") is one phrase, not three words.
            group = len(words) if "-" in typed.strip("-") and len(words) > 1 else 0
            pending += [(w, t, group if n == 0 else 0) for n, (w, t) in enumerate(words)]
    parsed.terms += _terms(pending, thesaurus)
    return parsed


def _typed_words(typed, folded):
    """The words as typed, one per folded word ("Villiers-le-Bel" -> Villiers, le, Bel; "l'école" -> l, école)."""
    for words in (typed.split(), [w for w in re.split(r"[\s'’-]+", typed) if w]):
        if len(words) == len(folded.split()):
            return words
    return folded.split()


def _terms(pending, thesaurus):
    """Greedy: the longest thesaurus expression at each position, else a hyphenated name starting
    there as a phrase, else the word alone."""
    terms, i = [], 0
    while i < len(pending):
        for size in range(min(MAX_EXPRESSION, len(pending) - i), 1, -1):
            if thesaurus.knows(_words(pending, i, size)):
                terms.append(_term(_words(pending, i, size), _typed(pending, i, size), thesaurus))
                i += size
                break
        else:
            word, typed, group = pending[i]
            if group:
                terms.append(_term(_words(pending, i, group), _typed(pending, i, group, "-"), thesaurus))
                i += group
                continue
            if word not in STOP_WORDS or thesaurus.knows(word):
                terms.append(_term(word, typed, thesaurus))
            i += 1
    return terms


def _words(pending, start, size):
    return " ".join(item[0] for item in pending[start : start + size])


def _typed(pending, start, size, joiner=" "):
    return joiner.join(item[1] for item in pending[start : start + size])


def _term(phrase, typed, thesaurus):
    entry = thesaurus.entry(phrase)
    acronyms = thesaurus.acronyms
    others = zip(entry.phrases, entry.spelled, strict=True) if entry else []
    alternatives = [_alternative(phrase, acronyms)]
    alternatives += [_alternative(p, acronyms, spelled) for p, spelled in others if p != phrase]
    return Term(typed, alternatives, entry.label if entry else "")


def highlight_words(q: str) -> list:
    """The folded words of ``q`` worth marking in an excerpt (not excluded, not stop words)."""
    return [
        word
        for excluded, folded, _, _ in _split(q)
        if not excluded
        for word in folded.split()
        if word not in STOP_WORDS
    ]
