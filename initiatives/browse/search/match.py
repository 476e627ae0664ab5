"""Which published cases each term of a query matches, on either database, kept for the index version.

One query per term (any of its alternatives) and per field strength (everything,
or the strong fields: title, themes, places), answered as a bitset of case ids:

- PostgreSQL: ``vector @@ phraseto_tsquery('french_unaccent', phrase)`` on the
  GIN-indexed vectors (stemmed: "ordinateur" finds "ordinateurs", "bénévols"
  finds "bénévoles");
- SQLite: the phrase at the start of a word of the accent-folded text
  (" ordinateur" finds " ordinateurs", never "coordinateur"), or as a whole
  word for acronyms and short words (" pre ").

An unquoted expression of several words (a thesaurus expression, a
hyphenated name) matches a field holding all its words (``plainto_tsquery``;
on SQLite each word at the start of a word); only a quoted phrase must appear
as written. Words are answered by the GIN index alone, phrases are not (see
``_query_ids``).

Each process keeps the bitsets of the terms it was asked, until the index
version changes (any write): a reader paging through a search, or many
readers typing the same words, cost no query.
"""

import threading
from collections import OrderedDict

from django.db import connection, transaction
from django.db.models import Q

from initiatives.browse import bitsets
from initiatives.models import SearchDocument

CONFIG = "french_unaccent"
CACHED_TERMS = 2000
# The SQL of the PostgreSQL branch, as keys.VECTOR_SQL: module constants.
TSQUERY = {True: "plainto_tsquery(%s::regconfig, %s)", False: "phraseto_tsquery(%s::regconfig, %s)"}
SEQSCAN_OFF = "SET LOCAL enable_seqscan = off"
SEQSCAN_RESET = "RESET enable_seqscan"
SELECT_IDS = "SELECT initiative_id FROM initiatives_searchdocument WHERE published AND {vector} @@ ({tsquery})"
FIELDS = {"all": ("text", "vector"), "strong": ("strong", "strong_vector"), "title": ("title", "title_vector")}

_lock = threading.Lock()
_cache = OrderedDict()
_token = None


def _query_ids(alternatives, field):
    """Ids of the published cases whose ``field`` texts match any of ``alternatives``: one query."""
    text_column, vector_column = FIELDS[field]
    if connection.vendor != "postgresql":
        wanted = Q()
        for alternative in alternatives:
            if alternative.by_words:
                wanted |= Q(*[Q(**{f"{text_column}__contains": f" {w}"}) for w in alternative.words()])
            else:
                needle = f" {alternative.phrase}{' ' if alternative.whole_word else ''}"
                wanted |= Q(**{f"{text_column}__contains": needle})
        documents = SearchDocument.objects.filter(published=True)
        return list(documents.filter(wanted).values_list("initiative_id", flat=True))
    # An expression's words anywhere (plainto_tsquery) are answered by the GIN index alone; a phrase
    # (phraseto_tsquery) makes PostgreSQL re-read each candidate's vector from TOAST: 350 ms for a
    # common phrase at 100,000 cases, against 12 ms for its words. Quoted phrases only, then.
    tsquery = " || ".join(TSQUERY[alternative.by_words] for alternative in alternatives)
    params = [value for alternative in alternatives for value in (CONFIG, alternative.phrase)]
    with transaction.atomic(), connection.cursor() as cursor:
        # Through the GIN index even for a word most cases have: the planner's sequential scan
        # would unpack every vector from TOAST storage (700 ms at 100,000 cases, against 50 ms).
        cursor.execute(SEQSCAN_OFF)
        cursor.execute(SELECT_IDS.format(vector=vector_column, tsquery=tsquery), params)
        ids = [row[0] for row in cursor.fetchall()]
        cursor.execute(SEQSCAN_RESET)
    return ids


def term_bits(term, field, token, *, typed=False) -> int:
    """The published cases whose ``field`` texts match any alternative of ``term`` (only its typed
    words with ``typed``), as a bitset."""
    global _token
    alternatives = tuple(term.alternatives[:1] if typed else term.alternatives)
    key = (field, alternatives)
    with _lock:
        if _token != token:
            _cache.clear()
            _token = token
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    bits = bitsets.to_bits(_query_ids(alternatives, field))
    with _lock:
        if _token == token:
            _cache[key] = bits
            while len(_cache) > CACHED_TERMS:
                _cache.popitem(last=False)
    return bits


def forget():
    """Drop the kept bitsets (the benchmark times a search as its first reader would)."""
    with _lock:
        _cache.clear()
