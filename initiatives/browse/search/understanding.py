"""What a query names: a theme, a place (commune, quartier, département, région) or a resource centre.

"Grigny continuité scolaire" names the commune of Grigny and the theme
Continuité scolaire. The page then offers each as a filter, with the number
of results it keeps ("Filtrer sur Grigny — 4 cas"), and the search ranks the
cases of what the query names first. Names are matched as whole words,
accents and case ignored; the places considered are those the published
cases concern (and everything above them), read once per index version.
"""

import functools
import threading
from dataclasses import dataclass

from initiatives.browse import bitsets
from initiatives.models import Initiative, Theme
from initiatives.text import fold_words
from territories.models import ResourceCentre, Territory, path_prefixes

_lock = threading.Lock()
_cached = (None, None)


@dataclass(frozen=True)
class Named:
    kind: str  # "theme", "place", "centre"
    param: str  # the list's parameter that filters on it
    value: str
    label: str
    words: tuple  # folded words of its name

    @property
    def filter_label(self):
        return {"theme": f"le thème {self.label}", "centre": f"le centre {self.label}"}.get(self.kind, self.label)


@functools.cache  # names come back at every rebuild: each is folded once per process
def _words(name):
    return tuple(fold_words(name).split())


def _names():
    """Every theme, centre and concerned place, by the folded words of its name.

    Rebuilt whenever the index changes (a write to any case), so kept cheap: distinct paths, plain
    tuples instead of model instances, and each name folded once per process."""
    out = [
        Named("theme", "theme", slug, name, _words(name)) for slug, name in Theme.objects.values_list("slug", "name")
    ]
    for centre in ResourceCentre.objects.all():
        label = centre.short_name or centre.name
        for name in {centre.name, centre.short_name} - {""}:
            out.append(Named("centre", "centre", centre.slug, label, _words(name)))
    published = Initiative.objects.published()
    paths = set(published.exclude(territory=None).order_by().values_list("territory__path", flat=True).distinct())
    elsewhere = Initiative.other_places.through.objects.filter(initiative__in=published)
    paths |= set(elsewhere.order_by().values_list("territory__path", flat=True).distinct())
    prefixes = {prefix for path in paths for prefix in path_prefixes(path)[1:]}
    for slug, name in Territory.objects.filter(path__in=prefixes).values_list("slug", "name"):
        out.append(Named("place", "territoire", slug, name, _words(name)))
    return out


def _index(token):
    global _cached
    if _cached[0] == token:
        return _cached[1]
    by_first = {}
    for named in _names():
        if named.words:
            by_first.setdefault(named.words[0], []).append(named)
    with _lock:
        _cached = (token, by_first)
    return by_first


def named_in(words, token) -> list:
    """What the folded ``words`` of a query name, longest names first, each once."""
    by_first = _index(token)
    found = {}
    for i, word in enumerate(words):
        for named in by_first.get(word, ()):
            if tuple(words[i : i + len(named.words)]) == named.words:
                found.setdefault((named.param, named.value), named)
    return sorted(found.values(), key=lambda n: (-len(n.words), n.kind, n.label))


def cases_of(named, index) -> int:
    """The published cases of what is named, as a bitset."""
    if named.kind == "theme":
        return index.bits.get(("theme", named.value), 0)
    if named.kind == "centre":
        return index.bits.get(("centre", named.value), 0)
    territory = Territory.objects.filter(slug=named.value).only("path").first()
    if territory is None:
        return 0
    return bitsets.to_bits(Initiative.objects.published().in_territory(territory).values_list("pk", flat=True))
