"""The browse selector: published cases matching the list's parameters, a page of them, facet counts."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.http import QueryDict

from initiatives.browse import bitsets
from initiatives.browse.facets import BY_PARAM, FACETS, Facet, facet_labels
from initiatives.browse.filters import DEFAULT_PER_PAGE, PER_PAGE, SORTS, InitiativeFilterSet
from initiatives.browse.search import run
from initiatives.models import FormerSlug, Initiative
from territories.models import Territory


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
    ordered_ids: object = None  # every result id in order (a lazy sequence)
    text: object = None  # the text search (search.TextSearch), when there is a query
    named_filters: list = field(default_factory=list)  # (understanding.Named, results it keeps)
    territory: Territory | None = None  # the territory filter in force
    beyond_last_page: int = 0  # the page asked when it is beyond the last (the page shown is the last)

    def all_ids(self):
        return list(self.ordered_ids)


class OrderedIds:
    """The result ids in order, produced lazily (a page needs only its slice).

    ``segments`` are (order, bits) pairs taken one after the other: the ids of
    ``bits`` in the order of ``order`` (search tiers, each in the order of
    richer documentation then recency); a page beyond a whole segment skips it.
    """

    def __init__(self, segments):
        self.segments = [(order, bits, bits.bit_count()) for order, bits in segments if bits]
        self.total = sum(count for _, _, count in self.segments)

    def __len__(self):
        return self.total

    def __iter__(self):
        for order, bits, _ in self.segments:
            members = bitsets.Membership(bits)
            yield from (i for i in order if i in members)

    def __getitem__(self, item):
        if not isinstance(item, slice):
            raise TypeError("slices only")
        start, stop = item.start or 0, item.stop if item.stop is not None else self.total
        out, skipped = [], 0
        for order, bits, count in self.segments:
            if skipped + count <= start:  # the whole segment comes before the slice
                skipped += count
                continue
            members = bitsets.Membership(bits)
            for i in order:
                if i in members:
                    if skipped >= stop:
                        return out
                    if skipped >= start:
                        out.append(i)
                    skipped += 1
        return out


# "ou" (the "Où ?" field) and "cas" (the comparison selection) are read by the list view.
KNOWN_PARAMS = {"q", "territoire", "ou", "cas", "tri", "page", "par_page", "retour", "format", *BY_PARAM}


@dataclass
class BrowseQuery:
    """The list's parameters, validated: what was asked, and what was ignored with why."""

    q: str = ""
    territory: Territory | None = None
    territory_slug: str = ""
    chosen: dict = field(default_factory=dict)  # facet param -> chosen values (known ones only)
    sort: str = "recent"
    per_page: int = DEFAULT_PER_PAGE
    page: int = 1
    notices: list = field(default_factory=list)
    errors: dict = field(default_factory=dict)  # param -> message (the API answers 400 with them)
    beyond_last_page: int = 0  # the page asked, when beyond the last: the list shows the last, the API a 404

    def reject(self, param, message, notice=None):
        self.notices.append(notice or message)
        self.errors[param] = message


@dataclass
class Match:
    """Which published cases match: bitsets of the in-memory index."""

    base: int  # published cases matching the text and territory
    masks: dict  # facet name -> cases having one of the chosen values
    results: int  # base AND every mask
    text: object = None  # the text search (search.TextSearch), when there is a query


def _clean_int(query, params, param, default, allowed=None):
    raw = params.get(param)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = None
    if value is None or value < 1 or (allowed and value not in allowed):
        query.reject(param, f"« {param} » : valeur « {str(raw)[:20]} » non valide, {default} retenu")
        return default
    return value


def _facet_values(params, name, labels, query):
    """The known values of a facet parameter; unknown ones are dropped and reported."""
    facet = BY_PARAM[name]
    known = labels.get(facet.name, {})
    raw = params.getlist(name)
    bad = [v for v in raw if v not in known]
    query.reject(name, f"« {facet.label} » : valeur inconnue ignorée ({', '.join(b[:40] for b in bad)})")
    return [v for v in raw if v in known]


def without_empty_values(params) -> QueryDict:
    """The rule for empty values, the same on the list, the API and the exports: an empty value
    (``?theme=``, ``?tri=``, ``?page=``) is the parameter left out — no filter, the default. An
    HTML form sends its untouched fields that way."""
    kept = QueryDict(mutable=True)
    for name, values in params.lists():
        values = [v for v in values if v != ""]
        if values:
            kept.setlist(name, values)
    return kept


def parse(params, labels) -> BrowseQuery:
    """Step 1: validate ``params`` (a QueryDict) with the FilterSet; keep what is valid, report the rest."""
    query = BrowseQuery()
    for name in params:  # an unknown name is reported whatever its value: it is a typo or a stale link
        if name not in KNOWN_PARAMS:
            query.reject(name, "paramètre inconnu", f"Paramètre inconnu ignoré : « {name[:40]} »")
    params = without_empty_values(params)
    form = InitiativeFilterSet(params, labels=labels).form
    form.is_valid()
    cleaned = dict(getattr(form, "cleaned_data", {}))
    for name, messages in form.errors.items():
        if name in BY_PARAM:  # keep the valid values of a facet, drop the unknown ones
            cleaned[name] = _facet_values(params, name, labels, query)
        else:
            cleaned[name] = ""
            query.reject(name, f"« {name} » : {' '.join(messages)}")
    query.q = (cleaned.get("q") or "").strip()
    query.territory_slug = cleaned.get("territoire") or ""
    if query.territory_slug:
        query.territory = (
            Territory.objects.filter(slug=query.territory_slug)
            .select_related("parent")
            .only("path", "name", "kind", "code", "slug", "parent__name")
            .first()
        )
        if query.territory is None:
            notice = f"Territoire inconnu ignoré : « {query.territory_slug[:60]} »"
            query.reject("territoire", "territoire inconnu", notice)
    query.chosen = {f.param: [v for v in cleaned.get(f.param) or [] if v] for f in FACETS}
    query.sort = _parse_sort(query, params.get("tri") or "")
    query.per_page = _clean_int(query, params, "par_page", DEFAULT_PER_PAGE, PER_PAGE)
    query.page = _clean_int(query, params, "page", 1)
    return query


def _parse_sort(query, sort):
    if sort not in SORTS:
        if sort:
            query.reject("tri", "tri inconnu", f"Tri inconnu ignoré : « {sort[:30]} »")
        sort = "pertinence"
    return sort


def match(query, index) -> Match:
    """Step 2: the published cases matching the text, the territory and each facet's chosen values."""
    base = index.published
    text = None
    if query.q:
        text = run(query.q, index=index, per_page=query.per_page)
        base &= text.results
    if query.territory is not None:
        inside = Initiative.objects.published().in_territory(query.territory).values_list("pk", flat=True)
        base &= bitsets.to_bits(inside)
    masks = {}
    for facet in FACETS:
        if query.chosen[facet.param]:
            mask = 0
            for value in query.chosen[facet.param]:
                mask |= index.bits.get((facet.name, value), 0)
            masks[facet.name] = mask
    results = base
    for mask in masks.values():
        results &= mask
    return Match(base=base, masks=masks, results=results, text=text)


MISSING_SORT_KEY = (float("-inf"), "\uffff", "\uffff", 9)  # published a moment ago, not in the index yet: last
DIRECT_SORT_MAX = 5000
ORDER_OF_SORT = {"pertinence": "richesse", "recent": "recent", "titre": "titre", "territoire": "territoire"}


def order(query, found, index) -> OrderedIds:
    """Step 3: the matching ids in order. "pertinence" (the default): with a query, its tiers (every
    word, then some), each by richer documentation then recency; without, richer documentation then
    recency. Or recency, title, territory."""
    name = ORDER_OF_SORT[query.sort]
    tiers = [t.bits for t in found.text.tiers] if found.text and query.sort == "pertinence" else [~0]
    return OrderedIds([(_walk(name, found.results & tier, index), found.results & tier) for tier in tiers])


def _walk(name, bits, index):
    """The precomputed order, or, for a few ids, those ids sorted directly."""
    if bits.bit_count() > DIRECT_SORT_MAX:
        return index.orders[name]
    keys = index.sort_keys
    return sorted(bitsets.ids_of(bits), key=lambda i: bitsets.sort_key(name, keys.get(i, MISSING_SORT_KEY), i))


def paginate(query, ordered, load_page):
    """Step 4: the asked page (the last one when it is beyond), its cases loaded by ``load_page``."""
    paginator = Paginator(ordered, query.per_page)
    number = query.page
    if number > paginator.num_pages:
        query.notices.append(f"La page {number} n'existe pas : voici la dernière.")
        query.beyond_last_page = number
        number = paginator.num_pages
    page = paginator.page(number)
    page.object_list = load_page(page.object_list)
    return page


def count_facets(query, found, index, labels) -> list:
    """Step 5: each facet's values with the results they would give, its own filter left out (disjunctive)."""
    facets = []
    for facet in FACETS:
        mask = found.base
        for name, other in found.masks.items():
            if name != facet.name:
                mask &= other
        counts = {value: (index.bits[(facet.name, value)] & mask).bit_count() for value in index.values_of(facet.name)}
        known = labels.get(facet.name, {})
        selected = set(query.chosen[facet.param])
        shown = known if facet.ordered else sorted(known, key=lambda v: (-counts.get(v, 0), known[v]))
        values = [
            FacetValue(value, known.get(value, value), counts.get(value, 0), value in selected)
            for value in shown
            if counts.get(value) or value in selected
        ]
        facets.append(FacetResult(facet, values))
    return facets


def active_filters(query, labels) -> list:
    """(param, value, label) of every filter in force, for the chips that remove them."""
    active = [("q", query.q, f"« {query.q} »")] if query.q else []
    if query.territory is not None:
        active.append(("territoire", query.territory_slug, query.territory.name))
    for facet in FACETS:
        for value in query.chosen[facet.param]:
            active.append((facet.param, value, f"{facet.label} : {labels[facet.name].get(value, value)}"))
    return active


def browse(params, *, with_facets=True, paginate_results=True, labels=None, load_page=None) -> BrowseResult:
    """Published cases matching ``params`` (a QueryDict), a page of them and the facet counts.

    parse → match → order → page → counts. Filtering and counting run on the
    in-memory facet index (``initiatives.browse.bitsets``, read from the
    ``BrowseKey`` table); text search and territory filters ask the database
    for their ids.
    """
    labels = labels if labels is not None else facet_labels()
    query = parse(params, labels)
    index = bitsets.current()
    found = match(query, index)
    ordered = order(query, found, index)
    page = None
    if paginate_results:
        page = paginate(query, ordered, load_page or (lambda ids: page_cases(ids, with_sections=bool(query.q))))
        if found.text is not None and found.text.partial:
            for case in page.object_list:  # a partial match says which words it lacks
                case.missing_terms = found.text.missing(case.pk)
    return BrowseResult(
        page=page,
        total=len(ordered),
        facets=count_facets(query, found, index, labels) if with_facets else [],
        active=active_filters(query, labels),
        notices=query.notices,
        errors=query.errors,
        q=query.q,
        sort=query.sort,
        per_page=query.per_page,
        ordered_ids=ordered,
        text=found.text,
        named_filters=_named_filters(query, found),
        territory=query.territory,
        beyond_last_page=query.beyond_last_page,
    )


def _named_filters(query, found):
    """The themes, places and centres the query names, as filters, with the results each keeps."""
    if found.text is None:
        return []
    active = {(param, value) for param, values in query.chosen.items() for value in values}
    if query.territory is not None:
        active.add(("territoire", query.territory_slug))
    return [
        (named, (found.results & bits).bit_count())
        for named, bits in found.text.named
        if (named.param, named.value) not in active and found.results & bits
    ]


def page_cases(ids, *, with_sections=False):
    """The cases of ``ids``, in that order, with what a result card shows. Two queries."""
    # Sections are long and only serve search snippets.
    heavy = [] if with_sections else [f for f, _ in Initiative.SECTIONS]
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


@dataclass
class CaseLookup:
    initiative: Initiative | None = None
    moved_to: str = ""  # the slug a merged case's address now leads to
    preview: bool = False  # an unpublished case shown to staff, marked as such


def find_case(slug, *, user=None, queryset=None) -> CaseLookup:
    """The published case at ``slug``; else the case a merged one became (its address redirects);
    else, for staff who may view cases in the admin, the unpublished case as a preview."""
    queryset = queryset if queryset is not None else Initiative.objects.all()
    found = queryset.filter(slug=slug, status=Initiative.Status.PUBLISHED).first()
    if found is not None:
        return CaseLookup(found)
    moved = FormerSlug.objects.filter(slug=slug, initiative__status=Initiative.Status.PUBLISHED)
    new_slug = moved.values_list("initiative__slug", flat=True).first()
    if new_slug:
        return CaseLookup(moved_to=new_slug)
    if user is not None and user.is_active and user.is_staff and user.has_perm("initiatives.view_initiative"):
        found = queryset.filter(slug=slug).first()
        return CaseLookup(found, preview=found is not None)
    return CaseLookup()
