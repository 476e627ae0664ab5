"""Reads about territories: finding the place a visitor types in the proposal form.

Matching is accent- and case-insensitive on both databases without a new
column: a territory's slug is its name folded by ``slugify`` (communes and
arrondissements ``<name>-<code>``, QPV ``qpv-<name>-<commune code>``, other
neighbourhoods ``quartier-<name>-<commune code>``, see
``Territory.default_slug``), so the folded query is looked up in the slug,
with a plain ``icontains`` on the name as a second chance. Known limit:
``slugify`` drops the ligature œ ("Cœuvres" → "cuvres"), so "coeuvres" is not
found while "cœuvres" is.
"""

import re
from dataclasses import dataclass, field

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Length
from django.utils.text import slugify

from territories.models import Territory

# What a proposal may be attached to: a place where people live, not an administrative level.
PLACE_KINDS = (Territory.Kind.COMMUNE, Territory.Kind.ARRONDISSEMENT, *Territory.NEIGHBOURHOODS)
# What the list's "Où ?" field finds: those places, and the départements and régions.
AREA_KINDS = (*PLACE_KINDS, Territory.Kind.DEPARTMENT, Territory.Kind.REGION)
_KIND_ORDER = {kind: position for position, kind in enumerate(AREA_KINDS)}  # communes first
# Candidates read before ranking in Python (the best ones come first from the database already).
_WINDOW = 200
_LABEL = re.compile(r"(?P<name>.+?)\s*\((?P<detail>[^()]*)\)\s*")


def place_label(territory: Territory) -> str:
    """The label offered by the autocomplete and accepted back as typed: "Nom (code)".

    A QPV carries its commune instead (its official code is often unknown).
    """
    if territory.kind == Territory.Kind.QPV:
        return f"{territory.name} (QPV, {territory.parent.name})"
    if territory.kind == Territory.Kind.QUARTIER:
        return f"{territory.name} (quartier, {territory.parent.name})"
    if territory.kind == Territory.Kind.REGION:
        return f"{territory.name} (région)"
    return f"{territory.name} ({territory.code})" if territory.code else territory.name


def place_context(territory: Territory) -> str:
    """Where the place is, for a visitor choosing between homonyms ("Seine-Saint-Denis")."""
    return territory.department.name if territory.department_id else ""


def _places(kinds=PLACE_KINDS):
    return Territory.objects.filter(kind__in=kinds).select_related("parent", "department")


def _fold(text: str) -> str:
    return slugify(" ".join((text or "").split()))


def _ranked(places, key):
    """Exact name first, then names starting with the query, then the rest; communes before QPV."""

    def rank(item):
        position, place = item
        name = _fold(place.name)
        return (0 if name == key else 1 if name.startswith(key) else 2, _KIND_ORDER[place.kind], position)

    return [place for _, place in sorted(enumerate(places), key=rank)]


def search_places(query: str, *, limit: int = 20, kinds=PLACE_KINDS) -> list[Territory]:
    """Communes, arrondissements and QPV (or other ``kinds``) whose name contains ``query`` (accents
    and case ignored)."""
    query = " ".join((query or "").split())
    key = _fold(query)
    if not key:
        return []
    qs = (
        _places(kinds)
        .filter(Q(slug__contains=key) | Q(name__icontains=query))
        .annotate(prefix=Case(When(slug__startswith=key, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("prefix", F("population").desc(nulls_last=True), "name", "pk")
    )
    return _ranked(list(qs[:_WINDOW]), key)[:limit]


def _named(key: str, text: str, kinds=PLACE_KINDS):
    """Places whose folded name is exactly ``key``: slug prefix and length (``<key>-<5-character
    code>``, ``qpv-<key>-<commune code>``, a département's ``<key>-<2 or 3-character code>``, a
    région's ``region-<key>``), so that "Saint" does not read every "Saint-…"."""
    qs = (
        _places(kinds)
        .alias(slug_length=Length("slug"))
        .filter(
            Q(slug=key)
            | Q(slug__startswith=f"{key}-", slug_length__in=(len(key) + 3, len(key) + 4, len(key) + 6))
            | Q(slug__startswith=f"qpv-{key}-", slug_length=len(key) + 10)
            | Q(slug__startswith=f"quartier-{key}-", slug_length=len(key) + 15)
            | Q(slug=f"region-{key}")
            | Q(name__iexact=text)
        )
    )
    return [place for place in qs.order_by("path") if _fold(place.name) == key]


@dataclass
class PlaceResolution:
    """The outcome of resolving a typed place: one place, or candidates to choose from, or nothing."""

    place: Territory | None = None
    candidates: list[Territory] = field(default_factory=list)
    exact: bool = False  # the candidates all bear the typed name (homonyms), not mere suggestions


def resolve_place(text: str, *, choice: int | None = None, kinds=PLACE_KINDS) -> PlaceResolution:
    """The place meant by ``text`` as typed in the proposal form (works without JavaScript).

    1. the exact label offered by the autocomplete ("Nantes (44109)");
    2. else the one place of that name;
    3. several places of that name: they are the candidates, and ``choice``
       (the id picked among them on the re-shown form) settles it;
    4. no place of that name: places containing the text are suggestions,
       and ``choice`` may pick one of them too.
    """
    text = " ".join((text or "").split())
    key = _fold(text)
    if not key:
        return PlaceResolution()
    match = _LABEL.fullmatch(text)
    if match:
        name_key = _fold(match["name"])
        labelled = [p for p in _named(name_key, match["name"], kinds) if _fold(place_label(p)) == key]
        if len(labelled) == 1:
            return PlaceResolution(place=labelled[0])
    named = _named(key, text, kinds)
    if len(named) == 1:
        return PlaceResolution(place=named[0])
    candidates, exact = (named, True) if named else (search_places(text, kinds=kinds), False)
    chosen = next((p for p in candidates if p.pk == choice), None)
    if chosen is not None:
        return PlaceResolution(place=chosen)
    return PlaceResolution(candidates=candidates, exact=exact)
