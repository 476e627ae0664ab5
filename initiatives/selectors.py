"""Reads: what the base holds (inventory, home page counts) and case browsing."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Q
from taggit.models import Tag

from initiatives.facets import BY_PARAM, FACETS, NO, UNSPECIFIED, YES, Facet
from initiatives.filters import DEFAULT_PER_PAGE, PER_PAGE, SORTS, InitiativeFilterSet
from initiatives.models import Actor, BrowseKey, Citation, CrisisPeriod, Initiative, Public, Source, Theme
from initiatives.search import search
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
        "communes": published.values("territory__path").distinct().count(),
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
    page: object
    total: int
    facets: list
    active: list  # (param, value, label) of every active filter
    notices: list  # messages about ignored parameters
    errors: dict  # param -> message (the API answers 400 with them)
    q: str
    sort: str
    per_page: int
    used_fallback: bool = False
    params: dict = field(default_factory=dict)


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


def browse(params, *, with_facets=True, paginate=True, labels=None) -> BrowseResult:
    """Published cases matching ``params`` (a QueryDict), a page of them and the facet counts.

    Facet F's counts are computed with every active filter except F's own
    (disjunctive faceting), in one aggregate query per facet on ``BrowseKey``.
    """
    labels = labels if labels is not None else facet_labels()
    notices, errors = [], {}
    for name in params:
        if name not in KNOWN_PARAMS:
            notices.append(f"Paramètre inconnu ignoré : « {name[:40]} »")
            errors[name] = "paramètre inconnu"
    data = params.copy()
    filterset = InitiativeFilterSet(data, labels=labels, queryset=Initiative.objects.published())
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
    territory_slug = cleaned.get("territoire") or ""
    if territory_slug and not Territory.objects.filter(slug=territory_slug).exists():
        notices.append(f"Territoire inconnu ignoré : « {territory_slug[:60]} »")
        errors["territoire"] = "territoire inconnu"
        territory_slug = ""

    base = Initiative.objects.published()
    base, used_fallback = search(base, q)
    if territory_slug:
        base = filterset.filters["territoire"].filter(base, territory_slug)
    chosen = {f.param: [v for v in cleaned.get(f.param) or [] if v] for f in FACETS}

    def apply(qs, skip=None):
        for facet in FACETS:
            if facet.param != skip and chosen[facet.param]:
                qs = filterset.filters[facet.param].filter(qs, chosen[facet.param])
        return qs

    results = apply(base)
    sort = params.get("tri") or ""
    if sort not in SORTS:
        if sort:
            notices.append(f"Tri inconnu ignoré : « {sort[:30]} »")
            errors["tri"] = "tri inconnu"
        sort = "pertinence" if q else "recent"
    if sort == "pertinence" and not q:
        sort = "recent"
    order = {
        "pertinence": ["-rank", "-published_at", "pk"],
        "recent": ["-published_at", "pk"],
        "titre": ["title", "pk"],
        "territoire": ["territory__name", "title", "pk"],
    }[sort]
    results = results.order_by(*order)

    per_page = _clean_int(params.get("par_page"), DEFAULT_PER_PAGE, PER_PAGE, notices, errors, "par_page")
    page = None
    total = None
    if paginate:
        listing = results.select_related("territory", "curating_centre").prefetch_related("themes")
        paginator = Paginator(listing, per_page)
        number = _clean_int(params.get("page"), 1, None, notices, errors, "page")
        if number > paginator.num_pages:
            notices.append(f"La page {number} n'existe pas : voici la dernière.")
            errors["page"] = "page hors limites"
            number = paginator.num_pages
        page = paginator.page(number)
        total = paginator.count

    facets = []
    if with_facets:
        any_filter = bool(q or territory_slug)
        for facet in FACETS:
            others_active = any_filter or any(chosen[f.param] for f in FACETS if f.param != facet.param)
            keys = BrowseKey.objects.filter(facet=facet.name)
            if others_active:
                keys = keys.filter(initiative__in=apply(base, skip=facet.param).values("pk"))
            counts = dict(keys.values("value").annotate(n=Count("initiative_id")).order_by().values_list("value", "n"))
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
    if territory_slug:
        t = Territory.objects.filter(slug=territory_slug).only("name").first()
        active.append(("territoire", territory_slug, t.name))
    for facet in FACETS:
        for value in chosen[facet.param]:
            active.append((facet.param, value, f"{facet.label} : {labels[facet.name].get(value, value)}"))
    return BrowseResult(
        page=page,
        total=total if total is not None else results.count() if paginate else None,
        facets=facets,
        active=active,
        notices=notices,
        errors=errors,
        q=q,
        sort=sort,
        per_page=per_page,
        used_fallback=used_fallback,
        params={"results": results},
    )


def theme_counts() -> dict:
    """theme slug -> published cases filed under it (a root counts its children's cases). One query."""
    return dict(
        BrowseKey.objects.filter(facet="theme")
        .values("value")
        .annotate(n=Count("initiative_id"))
        .values_list("value", "n")
    )


def root_theme_counts() -> dict:
    counts = theme_counts()
    return {t.pk: counts.get(t.slug, 0) for t in Theme.objects.filter(parent__isnull=True)}


def department_counts() -> dict:
    """département INSEE code -> published cases located in it. One query."""
    return dict(
        BrowseKey.objects.filter(facet="department")
        .values("value")
        .annotate(n=Count("initiative_id"))
        .values_list("value", "n")
    )


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


def similar(initiative, limit=5):
    """Published cases sharing the most weighted facet keys with ``initiative``. Two queries."""
    from django.db.models import Case, IntegerField, Sum, When

    own = list(
        BrowseKey.objects.filter(initiative=initiative, facet__in=SIMILARITY_WEIGHTS).values_list("facet", "value")
    )
    if not own:
        return []
    condition = Q()
    for facet, value in own:
        condition |= Q(facet=facet, value=value)
    weight = Case(
        *[When(facet=f, then=w) for f, w in SIMILARITY_WEIGHTS.items()], default=0, output_field=IntegerField()
    )
    scores = (
        BrowseKey.objects.filter(condition)
        .exclude(initiative=initiative)
        .values("initiative_id")
        .annotate(score=Sum(weight))
        .order_by("-score", "initiative_id")[:limit]
    )
    ranked = {row["initiative_id"]: row["score"] for row in scores}
    cases = Initiative.objects.filter(pk__in=ranked).select_related("territory")
    return sorted(cases, key=lambda i: (-ranked[i.pk], i.pk))


def neighbours(params, initiative):
    """Previous and next cases of the search the reader came from (its URL's query string)."""
    result = browse(params, with_facets=False, paginate=False)
    slugs = list(result.params["results"].values_list("slug", flat=True))
    if initiative.slug not in slugs:
        return None
    i = slugs.index(initiative.slug)
    found = {
        i.slug: i
        for i in Initiative.objects.filter(
            slug__in=[s for s in (slugs[i - 1] if i else None, slugs[i + 1] if i + 1 < len(slugs) else None) if s]
        )
    }
    return {
        "previous": found.get(slugs[i - 1]) if i else None,
        "next": found.get(slugs[i + 1]) if i + 1 < len(slugs) else None,
        "position": i + 1,
        "total": len(slugs),
    }
