"""The facet index, in memory: one bitset of case ids per facet value.

Counting a facet value under the active filters is then an AND and a
popcount on Python integers: microseconds, whatever the number of cases,
instead of one SQL aggregate over the filtered cases per facet (which took
~45 ms a facet at 10,000 cases; see README, Benchmarks). The database stays
the source of truth: the index is read from ``BrowseKey`` (the precomputed
facet table) and kept current through ``BrowseChange``: every request reads
the newest change's token (one query); when it differs, the process re-reads
the cases that changed, or everything after a bulk change. So every process
is correct after every write, on SQLite as on PostgreSQL.

It also keeps the orders of the list (most recent, title, territory) so a
page of results is a walk down a precomputed order, not a sort in SQL.
"""

import threading
from bisect import bisect_left, insort
from collections.abc import Mapping
from dataclasses import dataclass, field

from initiatives.models import BrowseChange, BrowseKey, BrowseVersion, Initiative
from initiatives.text import fold_words

FULL_RELOAD_AFTER = 5000  # changed cases beyond which a process re-reads everything


def to_bits(ids) -> int:
    ids = list(ids)
    if not ids:
        return 0
    buffer = bytearray(max(ids) // 8 + 1)
    for i in ids:
        buffer[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(buffer, "little")


def ids_of(bits: int):
    """The ids set in ``bits``, ascending."""
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    out = []
    for byte_index, byte in enumerate(data):
        while byte:
            low = byte & -byte
            out.append(byte_index * 8 + low.bit_length() - 1)
            byte ^= low
    return out


class Membership:
    """Fast ``id in bits`` tests for a scan down a long order."""

    def __init__(self, bits: int):
        self.data = bits.to_bytes((bits.bit_length() + 7) // 8 or 1, "little")
        self.size = len(self.data)

    def __contains__(self, i):
        j = i >> 3
        return j < self.size and (self.data[j] >> (i & 7)) & 1


class Layered(Mapping):
    """A mapping shared by successive snapshots plus the entries a snapshot changed: after a write a
    process copies its few changes, not 100,000 entries (7 ms at 100,000 cases, on every write).
    Read-only; ``changed`` makes the next layer, flattened once the changes grow."""

    FLATTEN_AFTER = 2000
    _GONE = object()

    def __init__(self, base=None, changes=None):
        self.base = base if base is not None else {}
        self.changes = changes or {}  # key -> value, or _GONE for a removed key

    def __getitem__(self, key):
        value = self.changes[key] if key in self.changes else self.base[key]
        if value is self._GONE:
            raise KeyError(key)
        return value

    def get(self, key, default=None):
        value = self.changes[key] if key in self.changes else self.base.get(key, default)
        return default if value is self._GONE else value

    def __contains__(self, key):
        return self.changes[key] is not self._GONE if key in self.changes else key in self.base

    def __iter__(self):
        yield from (key for key in self.base if key not in self.changes)
        yield from (key for key, value in self.changes.items() if value is not self._GONE)

    def __len__(self):
        removed = sum(1 for key in self.changes if key in self.base)
        return len(self.base) - removed + sum(1 for value in self.changes.values() if value is not self._GONE)

    def changed(self, updates: dict, removed=()) -> "Layered":
        """A new layer: ``removed`` keys gone, then ``updates`` set."""
        changes = dict(self.changes)
        changes.update(dict.fromkeys(removed, self._GONE))
        changes.update(updates)
        if len(changes) > self.FLATTEN_AFTER:
            return Layered(dict(Layered(self.base, changes).items()))
        return Layered(self.base, changes)


LEVEL_RANK = {"analysed": 0, "described": 1, "listed": 2}  # richer documentation first


def sort_key(order, keys, case_id):
    """Where a case stands in ``order``, from its sort keys (published_at, title, territory, level rank)."""
    published, title, territory, level = keys
    if order == "recent":
        return (-published, case_id)
    if order == "titre":
        return (title, case_id)
    if order == "territoire":
        return (territory, title, case_id)
    return (level, -published, case_id)  # "richesse": richer documentation, then the most recent


ORDERS = ("recent", "titre", "territoire", "richesse")


@dataclass
class Snapshot:
    token: str | None = None
    last_change: int = 0  # the BrowseVersion this snapshot reflects
    bits: dict = field(default_factory=dict)  # (facet, value) -> int
    keys_of: Mapping = field(default_factory=Layered)  # case id -> tuple of (facet, value)
    sort_keys: Mapping = field(default_factory=Layered)  # case id -> (published_at, title, territory, level rank)
    orders: dict = field(default_factory=dict)  # order -> [case ids]
    published: int = 0
    by_facet: dict = field(default_factory=dict)  # facet -> [values]

    def values_of(self, facet):
        return self.by_facet.get(facet, [])

    def rebuild_derived(self):
        self.by_facet = {}
        for facet, value in self.bits:
            self.by_facet.setdefault(facet, []).append(value)
        self.published = 0
        for (facet, _), bits in self.bits.items():
            if facet == "level":  # every published case has exactly one documentation level
                self.published |= bits

    def sort_all(self):
        keys = self.sort_keys
        self.orders = {order: sorted(keys, key=lambda i, o=order: sort_key(o, keys[i], i)) for order in ORDERS}

    def resort(self, old, changed):
        """The orders of ``old`` with the ``changed`` cases taken out and put back at their new place:
        a bisection each, not a sort of every case (the first request after a write stays cheap)."""
        for order in ORDERS:
            ids = list(old.orders[order])  # an incremental snapshot follows a full one: every order is there
            for case_id in changed:
                if case_id in old.sort_keys:
                    ids.pop(
                        bisect_left(
                            ids,
                            sort_key(order, old.sort_keys[case_id], case_id),
                            key=lambda i, o=order: sort_key(o, old.sort_keys[i], i),
                        )
                    )
            for case_id in changed:
                if case_id in self.sort_keys:
                    insort(ids, case_id, key=lambda i, o=order: sort_key(o, self.sort_keys[i], i))
            self.orders[order] = ids


_lock = threading.Lock()
_current = Snapshot()


def _read_keys(ids=None):
    rows = BrowseKey.objects.order_by().values_list("initiative_id", "facet", "value")
    if ids is not None:
        rows = rows.filter(initiative_id__in=ids)
    keys_of = {}
    # A server-side cursor for the whole table (memory), a plain query for a few changed cases
    # (the cursor's DECLARE / FETCH / CLOSE would triple the round trips after each write).
    for iid, facet, value in rows.iterator(chunk_size=20000) if ids is None else rows:
        keys_of.setdefault(iid, []).append((facet, value))
    return {iid: tuple(keys) for iid, keys in keys_of.items()}


def _read_sort_keys(ids=None):
    rows = Initiative.objects.published().order_by()
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    fields = ("pk", "published_at", "title", "territory__name", "documentation_level")
    return {
        pk: (
            published_at.timestamp(),  # never empty: a CHECK constraint (published_initiative_has_date)
            fold_words(title),
            fold_words(territory),
            LEVEL_RANK.get(level, len(LEVEL_RANK)),
        )
        for pk, published_at, title, territory, level in (
            rows.values_list(*fields).iterator(chunk_size=20000) if ids is None else rows.values_list(*fields)
        )
    }


def _full(token, last_change):
    snapshot = Snapshot(token=token, last_change=last_change)
    keys_of = _read_keys()
    by_key = {}
    for iid, keys in keys_of.items():
        for key in keys:
            by_key.setdefault(key, []).append(iid)
    snapshot.bits = {key: to_bits(ids) for key, ids in by_key.items()}
    snapshot.keys_of = Layered(keys_of)
    snapshot.sort_keys = _read_sort_keys()  # a plain dict to sort every order once
    snapshot.rebuild_derived()
    snapshot.sort_all()
    snapshot.sort_keys = Layered(snapshot.sort_keys)
    return snapshot


def _incremental(old, changed, token, last_change):
    snapshot = Snapshot(token=token, last_change=last_change, bits=dict(old.bits))
    mask = to_bits(changed)
    for iid in changed:
        for key in old.keys_of.get(iid, ()):
            snapshot.bits[key] &= ~mask
    fresh = _read_keys(changed)
    for iid, keys in fresh.items():
        bit = 1 << iid
        for key in keys:
            snapshot.bits[key] = snapshot.bits.get(key, 0) | bit
    snapshot.bits = {key: bits for key, bits in snapshot.bits.items() if bits}
    snapshot.keys_of = old.keys_of.changed(fresh, removed=changed)
    snapshot.sort_keys = old.sort_keys.changed(_read_sort_keys(changed), removed=changed)
    snapshot.rebuild_derived()
    snapshot.resort(old, changed)
    return snapshot


def _version():
    """(version, token) of the newest write; (0, "") before the first one."""
    return BrowseVersion.objects.values_list("version", "token").filter(pk=1).first() or (0, "")


def current() -> Snapshot:
    """The index as the database has it now. One query when nothing changed."""
    global _current
    version, token = _version()
    snapshot = _current
    if snapshot.token is not None and token == snapshot.token:
        return snapshot
    with _lock:
        snapshot = _current
        if snapshot.token is not None and token == snapshot.token:
            return snapshot
        changes = None
        # Incremental only from a version the database still has (not one a rollback undid).
        if (
            snapshot.token
            and version > snapshot.last_change
            and BrowseChange.objects.filter(version=snapshot.last_change, token=snapshot.token).exists()
        ):
            rows = list(
                BrowseChange.objects.filter(version__gt=snapshot.last_change, version__lte=version).values_list(
                    "initiative_id", flat=True
                )[: FULL_RELOAD_AFTER + 1]
            )
            if None not in rows and len(rows) <= FULL_RELOAD_AFTER:
                changes = sorted(set(rows))
        fresh = _full(token, version) if changes is None else _incremental(snapshot, changes, token, version)
        _current = fresh
        return fresh


def from_scratch() -> Snapshot:
    """The index read whole from the database, ignoring this process's copy (what tests compare with)."""
    version, token = _version()
    return _full(token, version)


def reset():
    """Forget the in-memory index (tests that rewrite the database under it)."""
    global _current
    with _lock:
        _current = Snapshot()
