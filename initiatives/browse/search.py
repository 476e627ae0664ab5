"""Full-text search with one signature on both backends (DESIGN, Search).

``ranked_ids(q) -> (ids of the published cases matching q, best first, used_fallback)``
``search(queryset, q) -> (queryset narrowed to the matches, used_fallback)``

Both read ``SearchDocument``, the narrow per-case search table, never the wide
case rows.

- PostgreSQL: ``websearch`` query on the weighted ``vector`` (``french_unaccent``:
  accents folded, French stemming), ranked with ``ts_rank`` on ``rank_vector``
  (title A; summary, actors and places B: a title match comes first); when
  nothing matches, a trigram fallback on the accent-folded ``text`` (``%>``
  word similarity, GIN-indexed) catches typos.
- SQLite: every word of the query (accent-, case- and punctuation-folded)
  must start a word of ``text``; a "-word" excludes, a "quoted phrase" must
  appear as is. Matching a word's start, "ordinateur" finds "ordinateurs" (as
  stemming would) but not "coordinateur"; there is no typo tolerance, and
  every match ranks the same (then by recency).

Both search the same fields: title, summary, grid sections, actor names and
place names.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection, transaction
from django.db.models import F
from django.utils.html import escape
from django.utils.safestring import mark_safe

from initiatives.models import SearchDocument
from initiatives.text import fold_keep_length, fold_words

CONFIG = "french_unaccent"
FALLBACK_LIMIT = 200  # closest cases kept by the typo fallback
_TOKENS = re.compile(r'(-?)"([^"]+)"|(-?)(\S+)')
_OPERATORS = {"or", "ou", "et", "and"}


def terms(q: str):
    """(include, exclude) lists of folded terms of a websearch-like query."""
    include, exclude = [], []
    for neg1, phrase, neg2, word in _TOKENS.findall(q or ""):
        term = fold_words(phrase or word)
        if not term or term in _OPERATORS:
            continue
        (exclude if (neg1 or neg2) else include).append(term)
    return include, exclude


def _documents():
    return SearchDocument.objects.filter(published=True)


def ranked_ids(q: str):
    """Ids of the published cases matching ``q``, best first (ties: most recent id first)."""
    q = (q or "").strip()[:200]
    documents = _documents()
    include, exclude = terms(q)
    if not include and not exclude:  # only punctuation or operators ("*", "-", '"'): no query at all
        return list(documents.order_by("-initiative_id").values_list("initiative_id", flat=True)), False
    if connection.vendor == "postgresql":
        query = SearchQuery(q, config=CONFIG, search_type="websearch")
        matched = (
            documents.filter(vector=query)
            .annotate(rank=SearchRank(F("rank_vector"), query))
            .order_by("-rank", "-initiative_id")
            .values_list("initiative_id", flat=True)
        )
        ids = _with_index_plan(matched)
        if ids or not include or _only_stop_words(q):
            return ids, False
        # Nothing matched: the closest cases by trigram word similarity (typos).
        folded = " ".join(include)
        for term in exclude:  # "-word" still excludes when the fallback approximates the rest
            documents = documents.exclude(text__contains=f" {term}")
        closest = (
            documents.filter(text__trigram_word_similar=folded)
            .annotate(similarity=TrigramWordSimilarity(folded, "text"))
            .order_by("-similarity", "-initiative_id")
            .values_list("initiative_id", flat=True)[:FALLBACK_LIMIT]
        )
        return list(closest), True
    if not include and not exclude:
        return list(documents.order_by("-initiative_id").values_list("initiative_id", flat=True)), False
    for term in include:
        documents = documents.filter(text__contains=f" {term}")
    for term in exclude:
        documents = documents.exclude(text__contains=f" {term}")
    return list(documents.order_by("-initiative_id").values_list("initiative_id", flat=True)), False


def _only_stop_words(q):
    """True when the French configuration drops every word of ``q`` ("le", "de la"): nothing to
    approximate, so no typo fallback (which would otherwise return arbitrary cases)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT numnode(websearch_to_tsquery(%s::regconfig, %s))", [CONFIG, q])
        return cursor.fetchone()[0] == 0


def _with_index_plan(queryset):
    """Run a vector match through its GIN index even when it matches most cases.

    For a broad query PostgreSQL's planner prefers a sequential scan, which
    unpacks every case's vector from TOAST storage to test it: 700 ms at
    100,000 cases, against 50 ms through the index (README, Benchmarks). The
    settings last for this transaction only, and are reset right after.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL work_mem = '16MB'")  # rank-sorting 60,000 matches in memory
        ids = list(queryset)
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET work_mem")
    return ids


def search(queryset, q: str):
    """``queryset`` narrowed to the cases matching ``q`` (used by the SQL reference counts)."""
    if not (q or "").strip():
        return queryset, False
    ids, used_fallback = ranked_ids(q)
    return queryset.filter(pk__in=ids), used_fallback


def snippet(text: str, q: str, width: int = 220):
    """An excerpt of ``text`` around the first query term, terms wrapped in <mark>; safe HTML.

    Words are matched by folded prefix ("ordinateur" marks "ordinateurs",
    "reussite" marks "réussite"), the same on both backends.
    """
    text = " ".join((text or "").split())
    include, _ = terms(q)
    if not text:
        return ""
    folded = fold_keep_length(text)
    if len(folded) != len(text):  # lower() changed a length (rare letters): give up accents, keep positions
        folded = text.lower() if len(text.lower()) == len(text) else text
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
