"""Spelling suggestions from the base's own vocabulary, the same on both databases.

The vocabulary is every word of the search texts (``SearchWord``, recorded as
documents are rebuilt). A query word that starts no word of it ("alimantaire",
"Marseile", "Grigni") is replaced by its closest word (rapidfuzz's ratio, at
least 75 %); the page then offers the corrected query, and runs it at once
when the query as typed finds nothing.
"""

import bisect
import threading

from rapidfuzz import fuzz, process

from initiatives.models import SearchWord

CUTOFF = 75
MIN_LENGTH = 4  # shorter words are acronyms or stop words more often than typos

_lock = threading.Lock()
_cached = (None, [])


def vocabulary(token) -> list:
    global _cached
    if _cached[0] == token:
        return _cached[1]
    words = sorted(SearchWord.objects.values_list("word", flat=True))
    with _lock:
        _cached = (token, words)
    return words


def known(word, words, *, whole=False) -> bool:
    """Whether ``word`` starts a word of the vocabulary (as the SQLite search matches), or with
    ``whole`` is one (the inner words of a phrase: "villier" starts "villiers", but
    "villier le bel" is not in the text)."""
    i = bisect.bisect_left(words, word)
    return i < len(words) and (words[i] == word if whole else words[i].startswith(word))


def corrections(query_words, token, *, acronyms=frozenset(), inner=frozenset()) -> dict:
    """typed word -> the closest known word, for the words the vocabulary does not know (``inner``:
    words that must be whole words)."""
    words = None
    out = {}
    for word in query_words:
        if len(word) < MIN_LENGTH or word in acronyms or not word.isalpha():
            continue
        words = words if words is not None else vocabulary(token)
        if not words or known(word, words, whole=word in inner):
            continue
        found = process.extractOne(word, words, scorer=fuzz.ratio, score_cutoff=CUTOFF)
        if found:
            out[word] = found[0]
    return out
