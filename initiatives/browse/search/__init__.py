"""Full-text search of the cases, the same semantics on PostgreSQL and SQLite (DESIGN, Search).

- ``query``: reading a query (terms, phrases, exclusions) and widening it with the thesaurus;
- ``thesaurus``: synonyms and acronyms, from the ``ThesaurusEntry`` table;
- ``match``: which cases a term matches, per database, kept per index version;
- ``engine``: tiers (every word, then some words), did-you-mean, what the query names;
- ``spelling``, ``understanding``: the suggestions; ``snippets``: highlighted excerpts.
"""

from initiatives.browse import bitsets
from initiatives.browse.search.engine import TextSearch, run
from initiatives.browse.search.snippets import snippet


def search(queryset, q: str, *, per_page: int = 20):
    """``queryset`` narrowed to the cases a search for ``q`` finds (the SQL reference counts use it)."""
    if not (q or "").strip():
        return queryset
    found = run(q, index=bitsets.current(), per_page=per_page)
    return queryset.filter(pk__in=bitsets.ids_of(found.results))


__all__ = ["TextSearch", "run", "search", "snippet"]
