"""The browse selector: published cases matching the list's parameters, a page of them, facet counts."""

from dataclasses import dataclass

from django.core.paginator import Paginator

from initiatives.browse import bitsets
from initiatives.browse.facets import BY_PARAM, FACETS, Facet, facet_labels
from initiatives.browse.filters import DEFAULT_PER_PAGE, PER_PAGE, SORTS, InitiativeFilterSet
from initiatives.browse.search import ranked_ids
from initiatives.models import Initiative
from territories.models import Territory

# --- Browsing ------------------------------------------------------------------------------------


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class FacetResult:
    facet: Facet
    values: list

    @property
    def selected(self):
        return [v for v in self.values if v.selected]


@dataclass
class BrowseResult:
    page: object  # a Django Page whose object_list holds the cases of the page
    total: int
    facets: list
    active: list  # (param, value, label) of every active filter
    notices: list  # messages about ignored parameters
    errors: dict  # param -> message (the API answers 400 with them)
    q: str
    sort: str
    per_page: int
    used_fallback: bool = False
    ordered_ids: object = None  # every result id in order (a lazy sequence)

    def all_ids(self):
        return list(self.ordered_ids)


class OrderedIds:
    """The result ids in the chosen order, produced lazily (a page needs only its slice)."""

    def __init__(self, order, results_bits, total):
        self.order = order
        self.members = bitsets.Membership(results_bits)
        self.total = total

    def __len__(self):
        return self.total

    def __iter__(self):
        members = self.members
        return (i for i in self.order if i in members)

    def __getitem__(self, item):
        if not isinstance(item, slice):
            raise TypeError("slices only")
        start, stop = item.start or 0, item.stop if item.stop is not None else self.total
        out = []
        for n, i in enumerate(self):
            if n >= stop:
                break
            if n >= start:
                out.append(i)
        return out


KNOWN_PARAMS = {"q", "territoire", "tri", "page", "par_page", "retour", "format", *BY_PARAM}


def _clean_int(raw, default, allowed=None, notices=None, errors=None, param=""):
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = None
    if value is None or value < 1 or (allowed and value not in allowed):
        message = f"« {param} » : valeur « {str(raw)[:20]} » non valide, {default} retenu"
        notices.append(message)
        errors[param] = message
        return default
    return value


def browse(params, *, with_facets=True, paginate=True, labels=None, load_page=None) -> BrowseResult:
    """Published cases matching ``params`` (a QueryDict), a page of them and the facet counts.

    Facet F's counts are computed with every active filter except F's own
    (disjunctive faceting). Filtering and counting run on the in-memory facet
    index (``initiatives.browse.bitsets``, read from the ``BrowseKey`` table);
    text search and territory filters ask the database for their ids.
    """
    labels = labels if labels is not None else facet_labels()
    notices, errors = [], {}
    for name in params:
        if name not in KNOWN_PARAMS:
            notices.append(f"Paramètre inconnu ignoré : « {name[:40]} »")
            errors[name] = "paramètre inconnu"
    filterset = InitiativeFilterSet(params.copy(), labels=labels, queryset=Initiative.objects.published())
    form = filterset.form
    form.is_valid()
    cleaned = dict(getattr(form, "cleaned_data", {}))
    for name, messages in form.errors.items():
        # Keep the valid values of a facet, drop the unknown ones, and say so.
        if name in BY_PARAM:
            known = labels.get(BY_PARAM[name].name, {})
            raw = params.getlist(name)
            cleaned[name] = [v for v in raw if v in known]
            bad = [v for v in raw if v not in known]
            message = f"« {BY_PARAM[name].label} » : valeur inconnue ignorée ({', '.join(b[:40] for b in bad)})"
        else:
            cleaned[name] = ""
            message = f"« {name} » : {' '.join(messages)}"
        notices.append(message)
        errors[name] = message
    q = (cleaned.get("q") or "").strip()
    territory = None
    territory_slug = cleaned.get("territoire") or ""
    if territory_slug:
        territory = Territory.objects.filter(slug=territory_slug).only("path", "name").first()
        if territory is None:
            notices.append(f"Territoire inconnu ignoré : « {territory_slug[:60]} »")
            errors["territoire"] = "territoire inconnu"
    chosen = {f.param: [v for v in cleaned.get(f.param) or [] if v] for f in FACETS}

    index = bitsets.current()
    base = index.published
    used_fallback = False
    ranked = None
    if q:
        ranked, used_fallback = ranked_ids(q)
        base &= bitsets.to_bits(ranked)
    if territory is not None:
        base &= bitsets.to_bits(Initiative.objects.published().in_territory(territory).values_list("pk", flat=True))
    masks = {}
    for facet in FACETS:
        if chosen[facet.param]:
            mask = 0
            for value in chosen[facet.param]:
                mask |= index.bits.get((facet.name, value), 0)
            masks[facet.name] = mask
    results = base
    for mask in masks.values():
        results &= mask
    total = results.bit_count()

    sort = params.get("tri") or ""
    if sort not in SORTS:
        if sort:
            notices.append(f"Tri inconnu ignoré : « {sort[:30]} »")
            errors["tri"] = "tri inconnu"
        sort = "pertinence" if q else "recent"
    if sort == "pertinence" and not q:
        sort = "recent"
    order = ranked if sort == "pertinence" else index.orders[sort]
    if total <= 5000 and sort != "pertinence":
        # Few results: sort them directly rather than walk the whole order.
        # A case published a moment ago may have keys but no sort keys yet: it sorts last.
        keys = index.sort_keys
        missing = (float("-inf"), "\uffff", "\uffff")
        position = {
            "recent": lambda i: (-keys.get(i, missing)[0], i),
            "titre": lambda i: (keys.get(i, missing)[1], i),
        }.get(sort, lambda i: (keys.get(i, missing)[2], keys.get(i, missing)[1], i))
        order = sorted(bitsets.ids_of(results), key=position)
    ordered = OrderedIds(order, results, total)

    per_page = _clean_int(params.get("par_page"), DEFAULT_PER_PAGE, PER_PAGE, notices, errors, "par_page")
    page = None
    if paginate:
        paginator = Paginator(ordered, per_page)
        number = _clean_int(params.get("page"), 1, None, notices, errors, "page")
        if number > paginator.num_pages:
            notices.append(f"La page {number} n'existe pas : voici la dernière.")
            errors["page"] = "page hors limites"
            number = paginator.num_pages
        page = paginator.page(number)
        page.object_list = (load_page or (lambda ids: page_cases(ids, with_sections=bool(q))))(page.object_list)

    facets = []
    if with_facets:
        for facet in FACETS:
            mask = base
            for name, other in masks.items():
                if name != facet.name:
                    mask &= other
            counts = {
                value: (index.bits[(facet.name, value)] & mask).bit_count() for value in index.values_of(facet.name)
            }
            known = labels.get(facet.name, {})
            selected = set(chosen[facet.param])
            values = [
                FacetValue(value, known.get(value, value), counts.get(value, 0), value in selected)
                for value in (known if facet.ordered else sorted(known, key=lambda v: (-counts.get(v, 0), known[v])))
                if counts.get(value) or value in selected
            ]
            facets.append(FacetResult(facet, values))

    active = []
    if q:
        active.append(("q", q, f"« {q} »"))
    if territory is not None:
        active.append(("territoire", territory_slug, territory.name))
    for facet in FACETS:
        for value in chosen[facet.param]:
            active.append((facet.param, value, f"{facet.label} : {labels[facet.name].get(value, value)}"))
    return BrowseResult(
        page=page,
        total=total,
        facets=facets,
        active=active,
        notices=notices,
        errors=errors,
        q=q,
        sort=sort,
        per_page=per_page,
        used_fallback=used_fallback,
        ordered_ids=ordered,
    )


def page_cases(ids, *, with_sections=False):
    """The cases of ``ids``, in that order, with what a result card shows. Two queries."""
    # Sections are long and only serve search snippets.
    heavy = ["search_extra"] + ([] if with_sections else [f for f, _ in Initiative.SECTIONS])
    queryset = (
        Initiative.objects.defer(*heavy).select_related("territory", "curating_centre").prefetch_related("themes")
    )
    return cases_in_order(ids, queryset)


def cases_in_order(ids, queryset):
    """The published cases of ``ids`` from ``queryset``, in the order of ``ids``.

    Published only, whatever the ids: the in-memory index may lag a write by a
    request, and nothing unpublished may reach a public page or an export.
    """
    ids = list(ids)
    by_pk = {i.pk: i for i in queryset.filter(pk__in=ids, status=Initiative.Status.PUBLISHED)}
    return [by_pk[i] for i in ids if i in by_pk]


def iter_cases(ids, queryset, chunk=500):
    """Every case of ``ids`` in order, read ``chunk`` at a time (exports)."""
    ids = list(ids)
    for start in range(0, len(ids), chunk):
        yield from cases_in_order(ids[start : start + chunk], queryset)
