"""Full-text search with one signature on both backends (DESIGN, Search).

``search(queryset, q) -> (queryset annotated with ``rank``, used_fallback)``

- PostgreSQL: ``websearch`` query on the weighted ``search_vector``
  (``french_unaccent``: accents folded, French stemming), ranked with
  ``ts_rank`` on ``rank_vector`` (title A; summary, actors and places B: a
  title match comes first, and ranking 30,000 matches stays cheap); when
  nothing matches, a trigram fallback on the accent-folded
  ``search_text`` (``%>`` word similarity, GIN-indexed) catches typos.
- SQLite: every word of the query (accent-, case- and punctuation-folded)
  must start a word of ``search_text``; a "-word" excludes, a "quoted phrase"
  must appear as is. Matching a word's start, "ordinateur" finds
  "ordinateurs" (as stemming would) but not "coordinateur"; there is no typo
  tolerance, and rank counts the query words found in the title (as typed).

Both search ``search_text``'s fields: title, summary, grid sections, actor
names and place names.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import Case, F, FloatField, Value, When
from django.utils.html import escape
from django.utils.safestring import mark_safe

from initiatives.text import fold_words, strip_accents

CONFIG = "french_unaccent"
FALLBACK_LIMIT = 200  # closest cases kept by the typo fallback
_TOKENS = re.compile(r'(-?)"([^"]+)"|(-?)(\S+)')
_OPERATORS = {"or", "ou", "et", "and"}


def fold(text: str) -> str:
    return strip_accents(text or "").lower()


def terms(q: str):
    """(include, exclude) lists of folded terms of a websearch-like query."""
    include, exclude = [], []
    for neg1, phrase, neg2, word in _TOKENS.findall(q or ""):
        term = fold_words(phrase or word)
        if not term or term in _OPERATORS:
            continue
        (exclude if (neg1 or neg2) else include).append(term)
    return include, exclude


def search(queryset, q: str):
    q = (q or "").strip()[:200]
    if not q:
        return queryset.annotate(rank=Value(0.0, output_field=FloatField())), False
    if connection.vendor == "postgresql":
        query = SearchQuery(q, config=CONFIG, search_type="websearch")
        matched = queryset.filter(search_vector=query).annotate(rank=SearchRank(F("rank_vector"), query))
        if matched.exists():
            return matched, False
        include, exclude = terms(q)
        if not include:
            return matched, False
        folded = " ".join(include)
        for term in exclude:  # "-word" still excludes when the fallback approximates the rest
            queryset = queryset.exclude(search_text__contains=f" {term}")
        # Word similarity over long texts is costly: find the closest cases once (GIN-indexed "%>"),
        # then every facet query filters on that short list of ids instead of recomputing it.
        closest = list(
            queryset.filter(search_text__trigram_word_similar=folded)
            .annotate(similarity=TrigramWordSimilarity(folded, "search_text"))
            .order_by("-similarity", "pk")
            .values_list("pk", flat=True)[:FALLBACK_LIMIT]
        )
        fallback = queryset.filter(pk__in=closest).annotate(rank=TrigramWordSimilarity(folded, "search_text"))
        return fallback, True
    include, exclude = terms(q)
    for term in include:
        queryset = queryset.filter(search_text__contains=f" {term}")
    for term in exclude:
        queryset = queryset.exclude(search_text__contains=f" {term}")
    if not include:
        return queryset.annotate(rank=Value(0.0, output_field=FloatField())), False
    # Rank: how many query words start a word of the title.
    rank = sum(
        (
            Case(When(title__icontains=term, then=Value(1.0)), default=Value(0.0), output_field=FloatField())
            for term in include
        ),
        Value(0.0, output_field=FloatField()),
    )
    return queryset.annotate(rank=rank), False


def snippet(text: str, q: str, width: int = 220):
    """An excerpt of ``text`` around the first query term, terms wrapped in <mark>; safe HTML.

    Words are matched by folded prefix ("ordinateur" marks "ordinateurs",
    "reussite" marks "réussite"), the same on both backends.
    """
    text = " ".join((text or "").split())
    include, _ = terms(q)
    if not text:
        return ""
    folded = fold(text)  # same length as text: strip_accents keeps one char per char for French
    if len(folded) != len(text):
        folded = text.lower()
    positions = [m.start() for t in include for m in [re.search(r"\b" + re.escape(t[:6]), folded)] if m]
    start = max(0, min(positions) - width // 3) if positions else 0
    end = min(len(text), start + width)
    piece, fpiece = text[start:end], folded[start:end]
    out, i = [], 0
    if include:
        pattern = re.compile(r"\b(" + "|".join(re.escape(t[:6]) for t in include) + r")\w*")
        for m in pattern.finditer(fpiece):
            out.append(escape(piece[i : m.start()]))
            out.append(f"<mark>{escape(piece[m.start() : m.end()])}</mark>")
            i = m.end()
    out.append(escape(piece[i:]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(out) + suffix)  # noqa: S308 — every piece of text is escaped above
