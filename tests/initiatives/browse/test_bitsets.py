"""The facet index's parts: bitsets, the layered mapping, the orders; then which path a process takes.

``test_write_boundary.py`` checks the index as a whole against one read from
scratch after every kind of write; these tests pin each part down on its own,
at its edges (id 0, a byte's last bit, the next byte), fast enough to run for
each mutant of ``make mutation``.
"""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from initiatives.browse import bitsets, keys
from initiatives.browse.bitsets import (
    LEVEL_RANK,
    ORDERS,
    Layered,
    Membership,
    Snapshot,
    ids_of,
    sort_key,
    to_bits,
)
from initiatives.models import BrowseChange, BrowseVersion, Initiative
from initiatives.text import fold_words
from tests.initiatives.browse.browse_data import build_world

EDGES = [0, 1, 6, 7, 8, 9, 15, 16, 17, 63, 64, 1000]


def test_ids_become_bits_and_come_back_ascending():
    assert to_bits([]) == 0 and ids_of(0) == []
    assert to_bits([0]) == 1 and to_bits([7]) == 128 and to_bits([8]) == 256
    assert to_bits([3, 1, 3]) == 0b1010
    assert ids_of(0b1010) == [1, 3]
    assert ids_of(to_bits(reversed(EDGES))) == EDGES
    ids = sorted(random.Random(7).sample(range(5000), 300))
    assert ids_of(to_bits(ids)) == ids
    assert to_bits(iter(ids)) == sum(1 << i for i in ids)  # any iterable, read once


@pytest.mark.parametrize("ids", [[], [0], [7], [8], [0, 7, 8, 15], EDGES])
def test_membership_answers_every_id_up_to_past_the_last_byte(ids):
    members = Membership(to_bits(ids))
    assert [i for i in range(1100) if i in members] == ids
    assert members.size == max((len(to_bits(ids).to_bytes(130, "little").rstrip(b"\0")), 1))


def test_membership_of_no_case_still_answers():
    members = Membership(0)
    assert members.data == b"\0" and members.size == 1
    assert 0 not in members and 8 not in members


def test_a_layer_reads_through_to_its_base_and_hides_what_it_removed():
    base = {1: "a", 2: "b", 3: "c"}
    layer = Layered(base).changed({2: "B", 4: "d"}, removed=[3, 5])
    assert base == {1: "a", 2: "b", 3: "c"}  # the base is shared, never written
    assert dict(layer.items()) == {1: "a", 2: "B", 4: "d"}
    assert list(layer) == [1, 2, 4]
    assert len(layer) == 3
    assert (layer[1], layer[2], layer[4]) == ("a", "B", "d")
    for gone in (3, 5, 6):
        assert gone not in layer
        assert layer.get(gone) is None and layer.get(gone, "x") == "x"
        with pytest.raises(KeyError) as missing:
            layer[gone]
        assert missing.value.args == (gone,)
    assert 1 in layer and 2 in layer and 4 in layer
    assert layer.get(2, "x") == "B" and layer.get(1, "x") == "a"


def test_a_removed_key_set_again_comes_back_and_counts_once():
    layer = Layered({1: "a"}).changed({}, removed=[1]).changed({1: "z", 2: "b"})
    assert dict(layer.items()) == {1: "z", 2: "b"} and len(layer) == 2
    again = layer.changed({}, removed=[1, 2])
    assert dict(again.items()) == {} and len(again) == 0 and list(again) == []


def test_an_empty_layer_is_empty_and_each_layer_is_new():
    empty = Layered()
    assert len(empty) == 0 and list(empty) == [] and empty.get(1) is None
    first = Layered({1: "a"})
    second = first.changed({2: "b"})
    assert second is not first and dict(first.items()) == {1: "a"}


def test_a_layer_flattens_once_its_changes_grow_past_the_limit(monkeypatch):
    monkeypatch.setattr(Layered, "FLATTEN_AFTER", 3)
    base = {i: i for i in range(5)}
    small = Layered(base).changed({10: 10, 11: 11}, removed=[0])
    assert small.base is base and small.changes == {0: Layered._GONE, 10: 10, 11: 11}
    at_limit = Layered(base).changed({10: 10, 11: 11, 12: 12})
    assert at_limit.base is base  # three changes: not yet
    flat = small.changed({12: 12})
    assert flat.changes == {} and flat.base is not base
    assert flat.base == {1: 1, 2: 2, 3: 3, 4: 4, 10: 10, 11: 11, 12: 12}


def test_the_list_orders():
    keys = (1600000000.0, "epicerie", "nantes", LEVEL_RANK["described"])
    assert sort_key("recent", keys, 5) == (-1600000000.0, 5)
    assert sort_key("titre", keys, 5) == ("epicerie", 5)
    assert sort_key("territoire", keys, 5) == ("nantes", "epicerie", 5)
    assert sort_key("richesse", keys, 5) == (1, -1600000000.0, 5)
    assert LEVEL_RANK == {"analysed": 0, "described": 1, "listed": 2}
    assert ORDERS == ("recent", "titre", "territoire", "richesse")


def snapshot(sort_keys, bits=None):
    snap = Snapshot(token="t", bits=bits or {}, sort_keys=Layered(sort_keys))
    snap.rebuild_derived()
    snap.sort_all()
    return snap


SORT_KEYS = {
    1: (300.0, "b", "nantes", 1),
    2: (100.0, "a", "lille", 0),
    3: (200.0, "c", "lille", 2),
    4: (200.0, "a", "nantes", 0),
}


def test_every_order_sorts_the_cases_with_the_id_breaking_ties():
    orders = snapshot(SORT_KEYS).orders
    assert orders == {
        "recent": [1, 3, 4, 2],
        "titre": [2, 4, 1, 3],
        "territoire": [2, 3, 4, 1],
        "richesse": [4, 2, 1, 3],
    }


def test_the_derived_lists_come_from_the_bits():
    bits = {("level", "listed"): 0b0110, ("level", "analysed"): 0b1000, ("theme", "sante"): 0b0010}
    snap = snapshot({}, bits)
    assert snap.published == 0b1110  # every case has one documentation level
    assert snap.values_of("level") == ["listed", "analysed"]
    assert snap.values_of("theme") == ["sante"] and snap.values_of("region") == []
    again = Snapshot(bits={("theme", "x"): 1})
    again.rebuild_derived()
    assert again.published == 0 and again.by_facet == {"theme": ["x"]}


@pytest.mark.parametrize("seed", range(6))
def test_resorting_after_changes_equals_sorting_from_scratch(seed):
    rng = random.Random(seed)
    old_keys = {
        i: (float(rng.randrange(5)), rng.choice("abc"), rng.choice(["lille", "nantes"]), rng.randrange(3))
        for i in rng.sample(range(1, 60), 25)
    }
    old = snapshot(old_keys)
    changed = sorted(rng.sample(range(1, 60), 8))
    new_keys = {i: k for i, k in old_keys.items() if i not in changed}
    for i in changed[:5]:  # five changed or added, three removed (or never there)
        new_keys[i] = (float(rng.randrange(5)), rng.choice("abc"), rng.choice(["lille", "nantes"]), rng.randrange(3))
    new = Snapshot(token="u", sort_keys=Layered(new_keys))
    new.resort(old, changed)
    assert new.orders == snapshot(new_keys).orders
    assert old.orders == snapshot(old_keys).orders  # the old snapshot's lists are not touched


# --- The index a process keeps, against the database: which path ``current()`` takes after a write.
# Both paths give the same index (test_write_boundary.py); what differs is the cost, seen here by
# whether the new snapshot shares the old one's maps (a few changes copied) or re-read everything.


def index_of(snap):
    return {key: ids_of(bits) for key, bits in snap.bits.items()}, snap.orders, dict(snap.sort_keys.items())


@pytest.fixture
def world(db):
    build_world(seed=5, cases=12)
    bitsets.reset()
    yield Initiative.objects.filter(status="published").order_by("pk")
    bitsets.reset()


def retitle(case, title):
    with keys.writing():
        case.title = title
        case.save()


def test_no_write_no_new_snapshot(world):
    first = bitsets.current()
    assert first.token and first.last_change == BrowseVersion.objects.get(pk=1).version
    assert bitsets.current() is first


def test_a_write_is_read_incrementally_and_equals_the_index_read_whole(world):
    first = bitsets.current()
    case = world.last()
    retitle(case, "Aaa premier par le titre")
    second = bitsets.current()
    assert second is not first and second.last_change == first.last_change + 1
    assert second.keys_of.base is first.keys_of.base and second.sort_keys.base is first.sort_keys.base
    assert second.orders["titre"][0] == case.pk
    scratch = bitsets.from_scratch()
    assert index_of(second) == index_of(scratch)
    assert (scratch.token, scratch.last_change) == (second.token, second.last_change)
    assert bitsets.current() is second  # and it is kept until the next write
    assert first.orders["titre"][0] != case.pk  # the old snapshot, still served to running requests, is untouched


def test_an_everything_changed_record_is_read_whole(world):
    first = bitsets.current()
    keys.record_change(None)
    second = bitsets.current()
    assert second.keys_of.base is not first.keys_of.base
    assert index_of(second) == index_of(first)


def test_more_changes_than_the_limit_are_read_whole(world, monkeypatch):
    first = bitsets.current()
    monkeypatch.setattr(bitsets, "FULL_RELOAD_AFTER", 2)
    cases = list(world[:3])
    with keys.writing():
        for case in cases[:2]:
            case.title += " bis"
            case.save()
    at_limit = bitsets.current()
    assert at_limit.keys_of.base is first.keys_of.base  # two changed cases: still incremental
    with keys.writing():
        for case in cases:
            case.title += " ter"
            case.save()
    beyond = bitsets.current()
    assert beyond.keys_of.base is not first.keys_of.base
    assert index_of(beyond) == index_of(bitsets.from_scratch())


def test_a_version_the_database_no_longer_has_is_read_whole(world):
    first = bitsets.current()
    BrowseChange.objects.filter(version=first.last_change).delete()  # as a rollback or the pruning would
    retitle(world.first(), "Après l'effacement")
    second = bitsets.current()
    assert second.keys_of.base is not first.keys_of.base
    assert index_of(second) == index_of(bitsets.from_scratch())


def test_an_empty_database_has_an_empty_index(db):
    BrowseVersion.objects.all().delete()  # as before the first migration's rebuild
    bitsets.reset()
    snap = bitsets.current()
    assert (snap.token, snap.last_change) == ("", 0)  # no version row yet
    assert (snap.bits, snap.published, dict(snap.keys_of.items())) == ({}, 0, {})
    assert bitsets.current() is snap
    assert snap.orders == {order: [] for order in ORDERS}
    bitsets.reset()


def test_a_write_re_reads_only_the_cases_it_changed(world):
    bitsets.current()
    case = world.last()
    retitle(case, "Relu seul")
    with CaptureQueriesContext(connection) as queries:
        bitsets.current()
    reads = [q["sql"] for q in queries if "initiatives_browsekey" in q["sql"] or "initiatives_initiative" in q["sql"]]
    assert len(reads) == 2, reads  # the facet keys and the sort keys, of the changed case only
    assert all(f"IN ({case.pk})" in sql for sql in reads), reads


def test_the_orders_follow_the_database(world):
    """An oracle outside the index: the published cases sorted from their rows, as the list promises."""
    unrated = world.first()
    Initiative.objects.filter(pk=unrated.pk).update(documentation_level="")  # as a shell write could leave it
    keys.record_change([unrated.pk])
    orders = bitsets.current().orders
    cases = list(Initiative.objects.published().select_related("territory"))

    def published(case):
        return case.published_at.timestamp()

    rank = {"analysed": 0, "described": 1, "listed": 2, "": 3}  # no level: after the others
    assert orders["recent"] == [c.pk for c in sorted(cases, key=lambda c: (-published(c), c.pk))]
    assert orders["titre"] == [c.pk for c in sorted(cases, key=lambda c: (fold_words(c.title), c.pk))]
    assert orders["territoire"] == [
        c.pk
        for c in sorted(
            cases, key=lambda c: (fold_words(c.territory.name if c.territory else ""), fold_words(c.title), c.pk)
        )
    ]
    assert orders["richesse"] == [
        c.pk for c in sorted(cases, key=lambda c: (rank[c.documentation_level], -published(c), c.pk))
    ]
    assert len({c.documentation_level for c in cases}) > 1 and len({published(c) for c in cases}) > 2
