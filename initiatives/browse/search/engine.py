"""A text search, run: which cases it finds, in which tiers, and what the page should say about it.

Semantics (as people know them from search engines; Meilisearch's "words"
rule, Elasticsearch's ``minimum_should_match``):

1. cases matching every term come first; among them: every term as typed in
   the title (or summary); every term in the title with the words as typed
   somewhere; every term in the strong fields (title, themes, places) with
   the words as typed somewhere; then the same through the thesaurus' synonyms
   only (title, strong fields); then the others, as typed before synonyms;
2. when fewer than a page match every term, cases matching some of them
   follow, marked as partial matches: those matching the weightiest terms
   first (a rare word, a place or a theme weighs more than a common word);
3. within each tier, the cases of what the query names (a theme, a place, a
   centre) come first; then, in the browse selector, richer documentation
   (analysed, described, listed), then the most recent.

Excluded terms (``-word``) remove the cases that match them. A word the base
does not know gets a "did you mean"; when the query, or one of its words,
finds nothing, the corrected query is run instead.
"""

import math
import re
from dataclasses import dataclass, field
from itertools import combinations

from initiatives.browse.search import match, spelling, understanding
from initiatives.browse.search import thesaurus as thesauri
from initiatives.browse.search.query import parse
from initiatives.text import fold_words

MAX_SUBSET_TERMS = 6  # beyond, partial matches are one tier (2^6 = 64 tiers at most)
NAMED_BONUS = 2.0  # a term that names a theme, a place or a centre
_WORD = re.compile(r"\w+")


@dataclass
class Tier:
    bits: int
    partial: bool = False


@dataclass
class TextSearch:
    q: str  # the query run (the corrected one when the typed one found nothing)
    terms: list = field(default_factory=list)
    excluded: list = field(default_factory=list)
    results: int = 0  # the cases found, as a bitset
    tiers: list = field(default_factory=list)  # of Tier, disjoint, best first
    all_count: int = 0  # cases matching every term
    term_bits: list = field(default_factory=list)
    named: list = field(default_factory=list)  # (understanding.Named, bitset of its cases)
    did_you_mean: str = ""
    corrected_from: str = ""

    @property
    def partial(self):
        return any(t.partial for t in self.tiers)

    def widened(self):
        """(as typed, [the other expressions searched]) for each term the thesaurus widened."""
        return [(t.typed, t.widened_to) for t in self.terms if t.widened_to]

    def missing(self, case_id) -> list:
        """The terms a partial match lacks, as typed."""
        bit = 1 << case_id
        return [term.typed for term, bits in zip(self.terms, self.term_bits, strict=True) if not bits & bit]


def run(q: str, *, index, per_page: int) -> TextSearch:
    thesaurus = thesauri.current()
    found = _run(q, index, per_page, thesaurus)
    phrases = [t.alternatives[0].phrase.split() for t in found.terms]
    fixes = spelling.corrections(
        [w for words in phrases for w in words],
        index.token,
        acronyms=thesaurus.acronyms,
        inner={w for words in phrases for w in words[:-1]},  # a phrase's inner words are whole words
    )
    if fixes:
        # Word by word, inside hyphenated names too ("Villier-le-Bel" -> "villiers-le-Bel").
        corrected = _WORD.sub(lambda m: fixes.get(fold_words(m.group()), m.group()), q)
        if found.results and all(found.term_bits):
            found.did_you_mean = corrected  # every word finds something: offer the correction
        else:  # the query, or one of its words, finds nothing: run the corrected query instead
            retry = _run(corrected, index, per_page, thesaurus)
            if retry.results:
                retry.corrected_from = q
                return retry
    return found


def _run(q, index, per_page, thesaurus) -> TextSearch:
    parsed = parse(q, thesaurus)
    found = TextSearch(q=q, terms=parsed.terms, excluded=parsed.excluded)
    token = index.token
    scope = index.published
    for term in parsed.excluded:
        scope &= ~match.term_bits(term, "all", token)
    if not parsed.terms:  # only exclusions, or only stop words: every case (but the excluded)
        found.results, found.tiers = scope, [Tier(scope)]
        return found
    found.term_bits = [match.term_bits(t, "all", token) & scope for t in parsed.terms]
    everything = scope
    for bits in found.term_bits:
        everything &= bits
    found.all_count = everything.bit_count()
    words = parsed.words()
    found.named = [(named, understanding.cases_of(named, index)) for named in understanding.named_in(words, token)]
    boost = 0
    for _, bits in found.named:
        boost |= bits
    tiers = [Tier(bits) for bits in _all_words_tiers(parsed.terms, everything, token)]
    found.results = everything
    if found.all_count < per_page and len(parsed.terms) > 1:
        partial = _partial_tiers(found, everything, index)
        tiers += partial
        for tier in partial:
            found.results |= tier.bits
    found.tiers = [Tier(t.bits & part, t.partial) for t in tiers for part in (boost, ~boost) if t.bits & part]
    return found


def _all_words_tiers(terms, everything, token):
    """The cases with every term, best first: every term as typed in the title; every term (or a
    synonym) in the title; in the strong fields; anywhere. Typed words before synonyms at each step."""

    def every(field, typed=False):
        bits = everything
        for term in terms:
            bits &= match.term_bits(term, field, token, typed=typed and len(term.alternatives) > 1)
        return bits

    typed = every("all", typed=True)
    title, strong = every("title"), every("strong")
    order = [every("title", typed=True), title & typed, strong & typed, title, strong, typed, everything]
    tiers, seen = [], 0
    for bits in order:
        tiers.append(bits & ~seen)
        seen |= bits
    return tiers


def term_weight(cases, total, *, named=False) -> float:
    """How much a term weighs in a partial match: the rarer among the ``total`` published cases, the
    heavier (1 + its inverse document frequency, smoothed by one); a term that names a theme, a
    place or a centre weighs ``NAMED_BONUS`` more."""
    return 1 + math.log((total + 1) / (cases + 1)) + (NAMED_BONUS if named else 0)


def _partial_tiers(found, everything, index):
    """Cases matching some terms: by the summed weight of the terms they match, heaviest first."""
    total = index.published.bit_count()
    named_words = {w for named, _ in found.named for w in named.words}
    weights = [
        term_weight(bits.bit_count(), total, named=bool(set(term.alternatives[0].phrase.split()) & named_words))
        for term, bits in zip(found.terms, found.term_bits, strict=True)
    ]
    if len(found.terms) > MAX_SUBSET_TERMS:
        some = 0
        for bits in found.term_bits:
            some |= bits
        return [Tier(some & ~everything, partial=True)]
    subsets = []
    indices = range(len(found.terms))
    for size in range(len(found.terms) - 1, 0, -1):
        for chosen in combinations(indices, size):
            bits = ~0
            for i in indices:
                bits &= found.term_bits[i] if i in chosen else ~found.term_bits[i]
            if bits:
                subsets.append((-sum(weights[i] for i in chosen), chosen, bits))
    return [Tier(bits, partial=True) for _, _, bits in sorted(subsets)]  # heaviest, then in the words' order
