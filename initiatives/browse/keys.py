"""The writer of derived browse data: facet keys, search text and search vectors of cases.

``rebuild(ids)`` recomputes, for the given cases (all when ``ids`` is None):
- ``BrowseKey`` rows (published cases only), see ``models.BrowseKey``;
- the case's ``SearchDocument``: the accent-folded text of every searched
  field and of the strong ones (what they are: ``initiatives.browse.collect``),
  and on PostgreSQL their ``french_unaccent`` vectors; new words join the
  vocabulary of spelling suggestions (``SearchWord``);
and bumps the index version so that every process's in-memory reader
(``initiatives.browse.bitsets``) re-reads what changed.

**The write boundary.** Nobody calls ``rebuild`` after a write. Signal
receivers (``initiatives.browse.signals``) report every case a write touches
(the case itself, its themes, publics, periods, tags, actors, citations, and
the reference rows they point to) to ``touch()``. Inside ``writing()`` — the
admin's POST requests, the workflow services, the spreadsheet import, the
proposal queue, the loaders — touched cases are collected and rebuilt once,
when the outermost block ends, inside its transaction: a form with inlines
costs one rebuild, a 500-row import one rebuild per chunk of 1,000 cases, a
rolled-back preview none. Outside any boundary (a shell, a factory in a
test), ``touch()`` rebuilds at once: a write path that forgets the boundary
costs more rebuilds, never stale data. Writes that send no signal
(``bulk_create``, ``QuerySet.update``) must ``touch()`` their cases.

It reads each related table once per chunk of cases, so rebuilding 100,000
cases costs a few queries per thousand.
"""

import uuid
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction
from django.db.models import F

from initiatives.browse import page_cache
from initiatives.browse.collect import collect
from initiatives.models import BrowseChange, BrowseKey, BrowseVersion, Initiative, SearchDocument, SearchWord

CHUNK = 1000

VECTOR_SQL = """
UPDATE initiatives_searchdocument SET
    vector = to_tsvector('french_unaccent', text),
    strong_vector = to_tsvector('french_unaccent', strong),
    title_vector = to_tsvector('french_unaccent', title)
WHERE initiative_id = ANY(%s)
"""


class _Boundary:
    def __init__(self, discard):
        self.discard = discard
        self.ids = set()


_open = ContextVar("browse_write_boundary", default=None)


@contextmanager
def writing(*, discard=False):
    """The write boundary: a transaction whose touched cases are rebuilt once, at its end.

    Nested boundaries hand their cases to the outermost one. ``discard=True``
    is for writes that are rolled back anyway (an import's preview, the
    admin's preview of an old version): their cases are forgotten.
    """
    outer = _open.get()
    boundary = _Boundary(discard or (outer is not None and outer.discard))
    token = _open.set(boundary)
    try:
        with transaction.atomic():
            yield boundary
            if outer is None and not boundary.discard and boundary.ids:
                rebuild(sorted(boundary.ids))
    finally:
        _open.reset(token)
    if outer is not None and not boundary.discard:
        outer.ids |= boundary.ids


def touch(ids):
    """Report cases whose derived data a write changed (ids of deleted cases included)."""
    ids = {int(i) for i in ids if i is not None}
    if not ids:
        return
    boundary = _open.get()
    if boundary is not None:
        boundary.ids |= ids
    else:
        rebuild(sorted(ids))


FULL_CHANGE_AFTER = 2000  # beyond this many cases, one "everything changed" row instead of one row each
KEEP_CHANGES = 20000


@transaction.atomic
def rebuild(ids=None, *, progress=None):
    """Recompute the derived data of cases ``ids`` (every case when None) and record the change.
    ``progress(done, total, label)`` is called after each chunk."""
    qs = Initiative.objects.order_by("pk")
    all_ids = list(qs.values_list("pk", flat=True)) if ids is None else sorted({i for i in ids if i})
    for start in range(0, len(all_ids), CHUNK):
        _rebuild_chunk(all_ids[start : start + CHUNK])
        if progress:
            progress(min(start + CHUNK, len(all_ids)), len(all_ids), "cas")
    record_change(None if ids is None or len(all_ids) > FULL_CHANGE_AFTER else all_ids)


def compact():
    """After a full rebuild on PostgreSQL: VACUUM ANALYZE the derived tables, whose every row was
    just rewritten (the dead rows would double what a search reads; the planner needs new statistics).
    Not inside a transaction (VACUUM cannot run there): then it is left to autovacuum."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        for table in ("initiatives_searchdocument", "initiatives_browsekey", "initiatives_searchword"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return True


def record_vocabulary(documents):
    """New words of the search texts join the vocabulary the spelling suggestions are drawn from.
    Words are never removed: a stale one only makes a suggestion that the search then checks."""
    words = {w for document in documents for w in document.text.split() if MIN_WORD <= len(w) <= MAX_WORD}
    SearchWord.objects.bulk_create([SearchWord(word=w) for w in sorted(words)], ignore_conflicts=True, batch_size=5000)


MIN_WORD, MAX_WORD = 3, 40
# Raised whenever what derived rows are made of changes (3: every searched field, strong and title texts, vocabulary).
FORMAT = 3


def rebuild_if_outdated() -> bool:
    """After ``migrate``: rebuild every case once if the derived data predates ``FORMAT``."""
    current = BrowseVersion.objects.filter(pk=1).values_list("format", flat=True).first()
    if current == FORMAT or (current is None and not Initiative.objects.exists()):
        BrowseVersion.objects.get_or_create(pk=1)
        BrowseVersion.objects.filter(pk=1).update(format=FORMAT)
        return False
    rebuild()
    BrowseVersion.objects.filter(pk=1).update(format=FORMAT)
    compact()
    return True


def record_change(ids):
    """Tell every server process's facet index (initiatives.browse.bitsets) what to re-read.

    ``ids`` None means everything. Bumps ``BrowseVersion`` (its row lock orders
    concurrent writers) and records the changed cases at that version. Old
    rows are pruned: a process that fell further behind re-reads everything.
    """
    if ids is not None and not ids:
        return
    page_cache.bump()  # the public pages show these cases: cached ones are out of date at the commit
    token = uuid.uuid4().hex
    with transaction.atomic():
        # The row lock taken here is held until the writing transaction commits (see BrowseVersion).
        if not BrowseVersion.objects.filter(pk=1).update(version=F("version") + 1, token=token):
            BrowseVersion.objects.get_or_create(pk=1)
            BrowseVersion.objects.filter(pk=1).update(version=F("version") + 1, token=token)
        version = BrowseVersion.objects.values_list("version", flat=True).get(pk=1)
        targets = [None] if ids is None else list(ids)
        BrowseChange.objects.bulk_create([BrowseChange(initiative_id=i, version=version, token=token) for i in targets])
        if version > KEEP_CHANGES * 2 and version % 100 == 0:
            BrowseChange.objects.filter(version__lt=version - KEEP_CHANGES).delete()


def _rebuild_chunk(ids):
    rows, data = collect(ids)
    new_keys = []
    documents = []
    for row in rows:
        case = data[row["pk"]]
        published = row["status"] == Initiative.Status.PUBLISHED
        documents.append(
            SearchDocument(
                initiative_id=row["pk"],
                published=published,
                text=case.text(),
                strong=case.strong_text(),
                title=case.title_text(),
            )
        )
        if published:
            new_keys.extend(BrowseKey(initiative_id=row["pk"], facet=f, value=v) for f, v in case.keys if v)
    BrowseKey.objects.filter(initiative_id__in=ids).delete()
    # Cases deleted since they were touched: no search document either.
    SearchDocument.objects.filter(initiative_id__in=set(ids) - {row["pk"] for row in rows}).delete()
    BrowseKey.objects.bulk_create(new_keys, batch_size=5000)
    SearchDocument.objects.bulk_create(
        documents,
        update_conflicts=True,
        unique_fields=["initiative"],
        update_fields=["published", "text", "strong", "title"],
        batch_size=1000,
    )
    record_vocabulary(documents)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(VECTOR_SQL, [list(ids)])
