"""The writer of derived browse data: facet keys, search text and search vectors of cases.

``rebuild(ids)`` recomputes, for the given cases (all when ``ids`` is None):
- ``BrowseKey`` rows (published cases only), see ``models.BrowseKey``;
- ``search_extra`` (actor names and places) and the case's ``SearchDocument``:
  the accent-folded text SQLite searches and PostgreSQL's trigram fallback
  uses, and on PostgreSQL the ``vector`` (title A, summary B, actors and
  places B, sections C, ``french_unaccent``) and ``rank_vector`` (the same
  without the sections, which orders the matches);
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
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from taggit.models import TaggedItem

from initiatives.browse.facets import UNSPECIFIED
from initiatives.models import (
    BrowseChange,
    BrowseKey,
    BrowseVersion,
    Citation,
    Initiative,
    Involvement,
    SearchDocument,
)
from initiatives.text import search_text, yes_no
from territories.models import Territory, path_prefixes

CHUNK = 1000

RANK_VECTOR = """
    setweight(to_tsvector('french_unaccent', coalesce(title, '')), 'A')
 || setweight(to_tsvector('french_unaccent', coalesce(summary, '')), 'B')
 || setweight(to_tsvector('french_unaccent', coalesce(search_extra, '')), 'B')
"""
VECTOR_SQL = f"""
UPDATE initiatives_searchdocument AS d SET
    rank_vector = {RANK_VECTOR},
    vector = {RANK_VECTOR} || setweight(to_tsvector('french_unaccent', {{sections}}), 'C')
FROM initiatives_initiative AS i
WHERE d.initiative_id = i.id AND i.id = ANY(%s)
"""


def _sections_sql(fields):
    return " || ' ' || ".join(f"coalesce({f}, '')" for f in fields)


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
def rebuild(ids=None):
    """Recompute the derived data of cases ``ids`` (every case when None) and record the change."""
    qs = Initiative.objects.order_by("pk")
    all_ids = list(qs.values_list("pk", flat=True)) if ids is None else sorted({i for i in ids if i})
    for start in range(0, len(all_ids), CHUNK):
        _rebuild_chunk(all_ids[start : start + CHUNK])
    record_change(None if ids is None or len(all_ids) > FULL_CHANGE_AFTER else all_ids)


def record_change(ids):
    """Tell every server process's facet index (initiatives.browse.bitsets) what to re-read.

    ``ids`` None means everything. Bumps ``BrowseVersion`` (its row lock orders
    concurrent writers) and records the changed cases at that version. Old
    rows are pruned: a process that fell further behind re-reads everything.
    """
    if ids is not None and not ids:
        return
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


def _classification_keys(ids, keys):
    """Themes (a finer theme also gives its root), publics, periods, tags and sources."""
    for iid, slug, parent in Initiative.themes.through.objects.filter(initiative_id__in=ids).values_list(
        "initiative_id", "theme__slug", "theme__parent__slug"
    ):
        keys[iid].add(("theme", slug))
        if parent:
            keys[iid].add(("theme", parent))
    for facet, field, target in (("public", "publics", "public"), ("period", "periods", "crisisperiod")):
        m2m = getattr(Initiative, field).through
        for iid, slug in m2m.objects.filter(initiative_id__in=ids).values_list("initiative_id", f"{target}__slug"):
            keys[iid].add((facet, slug))
    content_type = ContentType.objects.get_for_model(Initiative)
    for iid, slug in TaggedItem.objects.filter(content_type=content_type, object_id__in=ids).values_list(
        "object_id", "tag__slug"
    ):
        keys[iid].add(("tag", slug))
    for iid, slug in Citation.objects.filter(initiative_id__in=ids).values_list("initiative_id", "source__slug"):
        keys[iid].add(("source", slug))


def _actor_keys(ids, keys):
    """Actor kinds (any role, and the carrier's), categories; returns each case's actor names."""
    names = defaultdict(list)
    for iid, role, kind, category, name in Involvement.objects.filter(initiative_id__in=ids).values_list(
        "initiative_id", "role", "actor__kind", "actor__category", "actor__name"
    ):
        keys[iid].add(("actor_kind", kind or UNSPECIFIED))
        if role == Involvement.Role.CARRIER:
            keys[iid].add(("carrier_kind", kind or UNSPECIFIED))
        if category:
            keys[iid].add(("category", category))
        names[iid].append(name)
    return names


def _place_keys(rows, ids, keys):
    """The région and département of every place a case concerns (its main place and its other
    places: a case counts once in each), and the names of those places and all above them but
    France, for the search text. Returns case id -> place names."""
    places = defaultdict(list)  # case id -> paths
    for row in rows:
        if row["territory__path"]:
            places[row["pk"]].append(row["territory__path"])
    other = Initiative.other_places.through.objects.filter(initiative_id__in=ids)
    for iid, kind, code, region, department, path in other.values_list(
        "initiative_id",
        "territory__kind",
        "territory__code",
        "territory__region__code",
        "territory__department__code",
        "territory__path",
    ):
        keys[iid].add(("region", code if kind == Territory.Kind.REGION else region))
        keys[iid].add(("department", code if kind == Territory.Kind.DEPARTMENT else department))
        places[iid].append(path)
    prefixes = {prefix for paths in places.values() for path in paths for prefix in path_prefixes(path)[1:]}
    names = dict(Territory.objects.filter(path__in=prefixes).values_list("path", "name"))
    return {
        iid: list(dict.fromkeys(names.get(p, "") for path in paths for p in reversed(path_prefixes(path)[1:])))
        for iid, paths in places.items()
    }


def _rebuild_chunk(ids):
    section_fields = [field for field, _ in Initiative.SECTIONS]
    rows = list(
        Initiative.objects.filter(pk__in=ids).values(
            "pk",
            "title",
            "summary",
            "status",
            "setting",
            "precision",
            "documentation_level",
            "continued",
            "volunteers",
            "curating_centre__slug",
            "region__code",
            "department__code",
            "territory__path",
            *section_fields,
        )
    )
    keys = defaultdict(set)
    _classification_keys(ids, keys)
    actors = _actor_keys(ids, keys)
    places = _place_keys(rows, ids, keys)
    new_keys = []
    updates = []
    documents = []
    for row in rows:
        iid = row["pk"]
        extra = " ".join([*actors[iid], *places.get(iid, [])])
        text = search_text(row["title"], row["summary"], *(row[f] for f in section_fields), extra)
        updates.append(Initiative(pk=iid, search_extra=extra))
        documents.append(
            SearchDocument(initiative_id=iid, published=row["status"] == Initiative.Status.PUBLISHED, text=text)
        )
        if row["status"] != Initiative.Status.PUBLISHED:
            continue
        case_keys = keys[iid]
        case_keys.update(
            {
                ("precision", row["precision"]),
                ("level", row["documentation_level"]),
                ("centre", row["curating_centre__slug"]),
                ("region", row["region__code"]),
                ("department", row["department__code"]),
                ("setting", row["setting"] or None),
                ("continued", yes_no(row["continued"])),  # "oui" / "non": facets.YES / NO
                ("volunteers", yes_no(row["volunteers"])),
            }
        )
        new_keys.extend(BrowseKey(initiative_id=iid, facet=f, value=v) for f, v in case_keys if v)
    BrowseKey.objects.filter(initiative_id__in=ids).delete()
    # Cases deleted since they were touched: no search document either.
    SearchDocument.objects.filter(initiative_id__in=set(ids) - {row["pk"] for row in rows}).delete()
    BrowseKey.objects.bulk_create(new_keys, batch_size=5000)
    Initiative.objects.bulk_update(updates, ["search_extra"], batch_size=1000)
    SearchDocument.objects.bulk_create(
        documents,
        update_conflicts=True,
        unique_fields=["initiative"],
        update_fields=["published", "text"],
        batch_size=1000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(VECTOR_SQL.format(sections=_sections_sql(section_fields)), [list(ids)])
