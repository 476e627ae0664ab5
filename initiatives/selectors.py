"""Reads: what the base holds (inventory, home page counts) and case browsing."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Q
from taggit.models import Tag

from initiatives import facet_index
from initiatives.facets import BY_PARAM, FACETS, NO, UNSPECIFIED, YES, Facet
from initiatives.filters import DEFAULT_PER_PAGE, PER_PAGE, SORTS, InitiativeFilterSet
from initiatives.models import Actor, BrowseKey, Citation, CrisisPeriod, Initiative, Public, Source, Theme
from initiatives.search import ranked_ids, search
from territories.models import ResourceCentre, Territory


def _counts(qs, field):
    return {row[field]: row["n"] for row in qs.values(field).annotate(n=Count("pk", distinct=True)).order_by(field)}


def inventory() -> dict:
    """Counts of everything, in the shape ``manage.py inventory --json`` prints."""
    territories = _counts(Territory.objects.all(), "kind")
    initiatives = Initiative.objects.all()
    by_source = {
        s.slug: s.n
        for s in Source.objects.annotate(n=Count("citations__initiative", distinct=True)).order_by("year", "slug")
    }
    by_region = {
        t.name: t.n
        for t in Territory.objects.filter(kind=Territory.Kind.REGION)
        .annotate(n=Count("initiatives_in_region", distinct=True))
        .filter(n__gt=0)
        .order_by("-n", "name")
    }
    national = initiatives.filter(precision=Initiative.Precision.NATIONAL).count()
    if national:
        by_region["(national)"] = national
    # A case filed under a root theme or any of its children counts once for that root.
    by_root_theme = {
        root.name: initiatives.filter(Q(themes=root) | Q(themes__parent=root)).values("pk").distinct().count()
        for root in Theme.objects.filter(parent__isnull=True)
    }
    return {
        "territories": {
            "country": territories.get("country", 0),
            "region": territories.get("region", 0),
            "department": territories.get("department", 0),
            "commune": territories.get("commune", 0),
            "arrondissement": territories.get("arrondissement", 0),
            "qpv": territories.get("qpv", 0),
        },
        "resource_centres": ResourceCentre.objects.count(),
        "resource_centres_with_coverage": ResourceCentre.objects.filter(coverage__isnull=False).distinct().count(),
        "actors": {
            **{kind: Actor.objects.filter(kind=kind).count() for kind in Actor.Kind.values},
            "unspecified": Actor.objects.filter(kind="").count(),
        },
        "actors_named": Actor.objects.named().count(),
        "themes": Theme.objects.count(),
        "initiatives": {
            "total": initiatives.count(),
            "by_documentation_level": {
                level: initiatives.filter(documentation_level=level).count()
                for level in Initiative.DocumentationLevel.values
            },
            "by_status": {status: initiatives.filter(status=status).count() for status in Initiative.Status.values},
            "by_source": by_source,
            "by_region": by_region,
            "by_root_theme": by_root_theme,
            "by_carrier_kind": {
                kind: initiatives.filter(involvements__role="porteur", involvements__actor__kind=kind)
                .values("pk")
                .distinct()
                .count()
                for kind in Actor.Kind.values
            },
            "by_actor_kind": {
                kind: initiatives.filter(involvements__actor__kind=kind).values("pk").distinct().count()
                for kind in Actor.Kind.values
            },
            "by_period": {
                p.slug: p.n
                for p in CrisisPeriod.objects.annotate(n=Count("initiatives", distinct=True)).order_by("start")
            },
        },
        "citations": Citation.objects.count(),
    }


def home_counts() -> dict:
    published = Initiative.objects.published()
    return {
        "initiatives": published.count(),
        "analysed": published.filter(documentation_level=Initiative.DocumentationLevel.ANALYSED).count(),
        "actors": Actor.objects.named().filter(initiatives__status=Initiative.Status.PUBLISHED).distinct().count(),
        "centres": ResourceCentre.objects.count(),
        "sources": Source.objects.count(),
    }


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
        self.members = facet_index.Membership(results_bits)
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


def facet_labels() -> dict:
    """facet name -> {value key: French label}, in display order. A fixed number of small queries."""
    themes = Theme.objects.select_related("parent").order_by("parent__position", "position")
    roots = sorted((t for t in themes if t.parent_id is None), key=lambda t: t.position)
    theme_labels = {}
    for root in roots:
        theme_labels[root.slug] = root.name
        for child in sorted((t for t in themes if t.parent_id == root.pk), key=lambda t: t.position):
            theme_labels[child.slug] = f"{root.name} › {child.name}"
    kind_labels = {**dict(Actor.Kind.choices), UNSPECIFIED: "non précisé"}
    yes_no = {YES: "oui", NO: "non"}
    return {
        "theme": theme_labels,
        "region": dict(Territory.objects.filter(kind="region").order_by("name").values_list("code", "name")),
        "department": {
            code: f"{name} ({code})"
            for code, name in Territory.objects.filter(kind="department").order_by("code").values_list("code", "name")
        },
        "centre": dict(ResourceCentre.objects.order_by("name").values_list("slug", "name")),
        "carrier_kind": kind_labels,
        "actor_kind": kind_labels,
        "category": dict(Actor.Category.choices),
        "public": dict(Public.objects.values_list("slug", "name")),
        "period": dict(CrisisPeriod.objects.values_list("slug", "name")),
        "setting": dict(Initiative.Setting.choices),
        "precision": dict(Initiative.Precision.choices),
        "level": dict(Initiative.DocumentationLevel.choices),
        "continued": yes_no,
        "volunteers": yes_no,
        "source": {s.slug: f"{s.publisher} ({s.year})" for s in Source.objects.all()},
        "tag": dict(Tag.objects.order_by("name").values_list("slug", "name")),
    }


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
    index (``initiatives.facet_index``, read from the ``BrowseKey`` table);
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

    index = facet_index.current()
    base = index.published
    used_fallback = False
    ranked = None
    if q:
        ranked, used_fallback = ranked_ids(q)
        base &= facet_index.to_bits(ranked)
    if territory is not None:
        base &= facet_index.to_bits(Initiative.objects.published().in_territory(territory).values_list("pk", flat=True))
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
        order = sorted(facet_index.ids_of(results), key=position)
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


def sql_facet_counts(params, labels=None):
    """The same disjunctive facet counts computed in SQL, one aggregate query per facet.

    Not used by the pages: it is the reference the in-memory index is tested
    against, and the "floor" the benchmark times.
    """
    labels = labels if labels is not None else facet_labels()
    filterset = InitiativeFilterSet(params.copy(), labels=labels, queryset=Initiative.objects.published())
    filterset.form.is_valid()
    cleaned = filterset.form.cleaned_data
    base = Initiative.objects.published()
    if cleaned.get("q"):
        base, _ = search(base, cleaned["q"])
    if cleaned.get("territoire"):
        base = filterset.filters["territoire"].filter(base, cleaned["territoire"])
    chosen = {f.param: cleaned.get(f.param) or [] for f in FACETS}
    searching = bool(cleaned.get("q") or cleaned.get("territoire"))
    out = {}
    for facet in FACETS:
        qs = base
        others = [o for o in FACETS if o.param != facet.param and chosen[o.param]]
        for other in others:
            qs = filterset.filters[other.param].filter(qs, chosen[other.param])
        keys = BrowseKey.objects.filter(facet=facet.name)
        if searching or others:  # BrowseKey holds published cases only: no filter, no subquery
            keys = keys.filter(initiative__in=qs.values("pk"))
        out[facet.name] = dict(
            keys.values("value").annotate(n=Count("initiative_id")).order_by().values_list("value", "n")
        )
    return out


def facet_totals(facet) -> dict:
    """value -> published cases with it, for one facet (a root theme counts its children's cases).

    Read from the in-memory facet index: one query (its version).
    """
    index = facet_index.current()
    return {value: index.bits[(facet, value)].bit_count() for value in index.values_of(facet)}


def theme_counts() -> dict:
    return facet_totals("theme")


def department_counts() -> dict:
    """département INSEE code -> published cases located in it."""
    return facet_totals("department")


def department_map():
    """Choropleth data of published cases per département, and the same numbers as table rows."""
    from territories.maps import choropleth

    counts = department_counts()
    departments = list(Territory.objects.filter(kind="department").select_related("region").order_by("code"))
    urls = {d.code: d.get_absolute_url() for d in departments}
    data = choropleth(counts, urls)
    mainland = {d["code"] for d in data["departments"]}
    data["overseas"] = [
        {"code": d.code, "name": d.name, "count": counts.get(d.code, 0), "url": urls[d.code]}
        for d in departments
        if d.code not in mainland
    ]
    data["table"] = [
        {
            "code": d.code,
            "name": d.name,
            "region": d.region.name if d.region else "",
            "count": counts.get(d.code, 0),
            "url": urls[d.code],
        }
        for d in departments
    ]
    data["total"] = sum(counts.values())
    return data


# Weights of what two cases share, for "similar cases" (DESIGN: themes, territory, actor kinds, text).
SIMILARITY_WEIGHTS = {"theme": 3, "department": 2, "region": 1, "actor_kind": 1, "public": 1, "tag": 2}


SIMILAR_CANDIDATES = 3000


def similar(initiative, limit=5):
    """Published cases sharing the most weighted facet keys with ``initiative``.

    Candidates share a theme or the place (from the in-memory facet index),
    those sharing both first; up to ``SIMILAR_CANDIDATES`` of them, most recent
    first, are scored by the weights of the keys they share. One query for the index version, one for the cases.
    """
    index = facet_index.current()
    own = {key for key in index.keys_of.get(initiative.pk, ()) if key[0] in SIMILARITY_WEIGHTS}
    if not own:
        return []
    themes = places = 0
    for key in own:
        if key[0] == "theme":
            themes |= index.bits.get(key, 0)
        elif key[0] in ("department", "region"):
            places |= index.bits.get(key, 0)
    itself = ~(1 << initiative.pk)
    # Cases sharing a theme and the place first, then those sharing either.
    tiers = [themes & places & itself, (themes | places) & ~(themes & places) & itself]
    scores = []
    for tier in tiers:
        members, remaining = facet_index.Membership(tier), tier.bit_count()
        for case_id in index.orders["recent"]:
            if len(scores) >= SIMILAR_CANDIDATES or not remaining:
                break
            if case_id in members:
                remaining -= 1
                shared = own.intersection(index.keys_of.get(case_id, ()))
                scores.append((-sum(SIMILARITY_WEIGHTS[f] for f, _ in shared), case_id))
    best = [case_id for _, case_id in sorted(scores)[:limit]]
    return cases_in_order(best, Initiative.objects.select_related("territory"))


def neighbours(params, initiative):
    """Previous and next cases of the search the reader came from (its URL's query string)."""
    result = browse(params, with_facets=False, paginate=False)
    ids = result.all_ids()
    if initiative.pk not in ids:
        return None
    i = ids.index(initiative.pk)
    previous_id = ids[i - 1] if i else None
    next_id = ids[i + 1] if i + 1 < len(ids) else None
    found = Initiative.objects.published().in_bulk([x for x in (previous_id, next_id) if x])
    return {"previous": found.get(previous_id), "next": found.get(next_id), "position": i + 1, "total": len(ids)}
