"""Public browsing pages: thin views that parse the request, call one selector and render.

The list, a case, exports, comparison, themes, actors, source reports, territories and resource centres."""

import json
from collections import defaultdict
from datetime import date

from django.db.models import Count, Q
from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode

from crpv_site.errors import json_error
from initiatives.browse import compare as comparison
from initiatives.browse import families, related, selectors, sources, summaries
from initiatives.browse.exports import EXPORT_PREFETCH, EXPORT_SELECT, csv_lines, file_name, xlsx_bytes
from initiatives.browse.filters import PER_PAGE, SORTS
from initiatives.browse.serializers import LIST_PREFETCH, LIST_SELECT, initiative_dict, site_root
from initiatives.models import Actor, Initiative, Involvement, Source, Theme
from initiatives.models.cases import published_count
from territories.models import ResourceCentre, Territory, path_prefixes
from territories.selectors import AREA_KINDS, place_label, resolve_place, search_places


def initiative_list(request):
    where = request.GET.get("ou", "").strip()[:200]
    place = resolve_place(where, kinds=AREA_KINDS) if where else None
    if place is not None and place.place is not None:  # "Où ? Nantes": the territory filter, in the URL
        params = request.GET.copy()
        params.pop("ou")
        params.pop("page", None)
        params["territoire"] = place.place.slug
        return HttpResponseRedirect(f"{reverse('browse:list')}?{params.urlencode()}")
    result = selectors.browse(request.GET)
    chosen = comparison.selection(request.GET)
    context = {
        "result": result,
        "cards": families.cards(result.page.object_list),
        "sorts": SORTS,
        "per_page_options": PER_PAGE,
        "return_qs": request.GET.urlencode(),
        # The selection as understood (the parameters the notices ignore left out): what is exported.
        "export_qs": urlencode([(param, value) for param, value, _ in result.active]),
        "where": where,
        "where_candidates": [(p, place_label(p)) for p in place.candidates] if place is not None else [],
        # The territory in force is shown in "Où ?" (and sent back from there) when it is one of its kinds.
        "where_label": place_label(result.territory)
        if result.territory is not None and result.territory.kind in AREA_KINDS
        else "",
        "compared": chosen,
        "compare_max": comparison.MAX_CASES,
        "compare_qs": _only(request.GET, comparison.PARAM),
        "filters_count": sum(1 for param, _, _ in result.active if param not in ("q", "territoire")),
    }
    return render(request, "browse/list.html", context)


def place_lookup(request):
    """The "Où ?" field's suggestions: communes, QPV, départements, régions matching ``q``."""
    query = request.GET.get("q", "").strip()[:200]
    places = search_places(query, limit=12, kinds=AREA_KINDS) if len(query) >= 2 else []
    return JsonResponse([{"id": p.pk, "label": place_label(p)} for p in places], safe=False)


def _only(params, name):
    kept = QueryDict(mutable=True)
    kept.setlist(name, params.getlist(name))
    return kept.urlencode()


def initiative_detail(request, slug):
    found = selectors.find_case(
        slug,
        user=request.user,
        queryset=Initiative.objects.select_related("territory", "curating_centre", "reporting_centre"),
    )
    if found.moved_to:  # a case merged into another: its address leads there for good
        return _moved(request, reverse("browse:detail", kwargs={"slug": found.moved_to}))
    if found.initiative is None:
        raise Http404("Aucun cas publié à cette adresse.")
    initiative = found.initiative
    by_role = {label: [] for label in Involvement.Role.labels}
    for involvement in initiative.involvements.select_related("actor").order_by("actor__name"):
        by_role[involvement.get_role_display()].append(involvement.actor)
    return_qs = request.GET.get("retour", "")[:2000]
    context = {
        "initiative": initiative,
        "preview": found.preview,
        "other_places": initiative.other_places.order_by("path"),
        "breadcrumb": (
            Territory.objects.ancestors_of(initiative.territory).exclude(kind="country") if initiative.territory else []
        ),
        "actors_by_role": {role: actors for role, actors in by_role.items() if actors},
        # Each root theme followed by its finer themes.
        "themes": sorted(
            initiative.themes.select_related("parent"),
            key=lambda t: ((t.parent or t).position, t.parent_id is not None, t.position),
        ),
        "publics": initiative.publics.all(),
        "periods": initiative.periods.all(),
        "tags": initiative.tags.all(),
        "key_figures": initiative.key_figures.all(),
        "citations": initiative.citations.select_related("source"),
        "similar": related.similar(initiative),
        "related": initiative.related.published().select_related("territory"),
        "neighbours": related.neighbours(QueryDict(return_qs), initiative) if return_qs else None,
        "return_qs": return_qs,
        "cite": _citation_text(request, initiative),
        "lessons": initiative.lesson_evidence.filter(lesson__status=Initiative.Status.PUBLISHED)
        .select_related("lesson__source")
        .order_by("lesson__source__year", "lesson__position"),
    }
    return render(request, "browse/detail.html", context)


def _moved(request, url):
    query = request.GET.urlencode()
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


def _citation_text(request, initiative):
    reports = sorted({c.source.reference() for c in initiative.citations.all()})
    url = request.build_absolute_uri(initiative.get_absolute_url())  # the address the reader is on
    consulted = f"{date.today():%d/%m/%Y}"
    return f"« {initiative.title} », Proximités, consulté le {consulted}, {url} — d'après {' ; '.join(reports)}."


def _selection(request):
    """The whole filtered selection (every page), in the list's order."""
    return selectors.browse(request.GET, with_facets=False, paginate_results=False)


def _cases(result, select, prefetch):
    """The cases of the selection, read 500 at a time."""
    queryset = Initiative.objects.select_related(*select).prefetch_related(*prefetch)
    return selectors.iter_cases(result.ordered_ids, queryset)


def _refused(request, result):
    """A file cannot carry the list's notices, and would hold more cases than asked: a malformed
    parameter gets a 400 that says what was not understood, as the API does."""
    context = {"notices": result.notices, "list_qs": request.GET.urlencode()}
    return render(request, "browse/export_refused.html", context, status=400)


def _attachment(response, name):
    response["Content-Disposition"] = f'attachment; filename="{name}"'  # ASCII: a slug, a date
    return response


def export_csv(request):
    """The columns of ``exports.COLUMNS``, streamed (see ``exports.csv_lines``)."""
    result = _selection(request)
    if result.errors:
        return _refused(request, result)
    lines = csv_lines(_cases(result, EXPORT_SELECT, EXPORT_PREFETCH), site_root(request))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    return _attachment(response, file_name(result, "csv"))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_xlsx(request):
    """The columns of ``exports.COLUMNS`` in typed cells (codes as text, dates as dates)."""
    result = _selection(request)
    if result.errors:
        return _refused(request, result)
    content = xlsx_bytes(_cases(result, EXPORT_SELECT, EXPORT_PREFETCH), site_root(request))
    return _attachment(HttpResponse(content, content_type=XLSX), file_name(result, "xlsx"))


def export_json(request):
    """The API's representation of each case (``serializers.initiative_dict``); malformed parameters
    get the API's 400."""
    result = _selection(request)
    if result.errors:  # the API's error shape (crpv_site.errors)
        return json_error(400, "Paramètres invalides.", result.errors)
    root = site_root(request)
    cases = _cases(result, LIST_SELECT, LIST_PREFETCH)
    data = {"count": result.total, "results": [initiative_dict(i, base_url=root) for i in cases]}
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=1), content_type="application/json")
    return _attachment(response, file_name(result, "json"))


def compare(request):
    chosen = comparison.selection(request.GET)
    cases = comparison.cases_to_compare(chosen.slugs)
    back = request.GET.get("retour", "")[:2000] or _only(request.GET, comparison.PARAM)
    rows = comparison.rows(cases) if len(cases) >= 2 else []
    context = {
        "cases": cases,
        "rows": rows,
        "by_case": [(case, [(label, row[n]) for label, row in rows if row[n]]) for n, case in enumerate(cases)],
        "refused": chosen.refused,
        "compare_max": comparison.MAX_CASES,
        "back_url": f"{reverse('browse:list')}?{back}",
    }
    asked = [s for s in request.GET.getlist("cas") if s]
    status = 400 if len(cases) < 2 and len(asked) >= 2 else 200
    return render(request, "browse/compare.html", context, status=status)


def theme_list(request):
    return render(request, "browse/themes.html", {"tree": summaries.theme_tree()})


def cases_for(request, param, value):
    """The published cases of one filter (a theme's, a centre's, a territory's page), paginated
    by the page's own ``?page=``, and the URL of the same selection in the full list."""
    params = QueryDict(mutable=True)
    if value:
        params[param] = value
    list_url = f"{reverse('browse:list')}?{params.urlencode()}"
    if request.GET.get("page"):
        params["page"] = request.GET["page"]
    return selectors.browse(params, with_facets=False), list_url


def theme_detail(request, slug):
    theme = get_object_or_404(Theme.objects.select_related("parent"), slug=slug)
    result, list_url = cases_for(request, "theme", theme.slug)
    counts = summaries.theme_counts()
    children = [(c, counts.get(c.slug, 0)) for c in theme.children.order_by("position")]
    context = {"theme": theme, "result": result, "children": children, "list_url": list_url}
    return render(request, "browse/theme_detail.html", context)


def actor_detail(request, slug):
    actor = get_object_or_404(Actor.objects.named(), slug=slug)
    involvements = (
        actor.involvements.filter(initiative__status="published")
        .select_related("initiative__territory")
        .order_by("initiative__title")
    )
    if not involvements:
        raise Http404("Aucun cas publié pour cet acteur.")
    partners = (
        Actor.objects.named()
        .filter(involvements__initiative__in=[i.initiative_id for i in involvements])
        .exclude(pk=actor.pk)
        .annotate(n=Count("involvements__initiative", distinct=True))
        .order_by("-n", "name")
    )
    return render(
        request,
        "browse/actor.html",
        {"actor": actor, "involvements": involvements, "partners": partners, "aliases": actor.aliases.all()},
    )


# --- The source reports -----------------------------------------------------------------------


def source_list(request):
    return render(request, "browse/sources.html", {"sources": sources.overview()})


def source_detail(request, slug):
    source = get_object_or_404(Source, slug=slug)
    return render(request, "browse/source.html", {"source": source, "holdings": sources.holdings(source)})


# --- Territory and resource-centre pages ------------------------------------------------------


def territory_index(request):
    department_map = summaries.department_map(request.GET)  # follows the list's theme and period filters
    counts = summaries.facet_totals("region")  # a case counts once in each région it concerns
    regions = list(Territory.objects.filter(kind="region").order_by("name"))
    for region in regions:
        region.n = counts.get(region.code, 0)
    national = Initiative.objects.published().filter(precision="national").select_related("territory")
    return render(
        request,
        "browse/territories.html",
        {"map": department_map, "regions": regions, "national": national},
    )


def _children_with_counts(territory):
    """The territories right below ``territory`` that hold published cases, with their counts (a case
    counts once in each child it concerns, by its main place or its other places). Three queries."""
    depth = len(territory.path_prefixes())  # a child's path is the next prefix of a place's path
    cases = Initiative.objects.published().in_territory(territory)
    paths = defaultdict(set)  # child path -> case ids
    rows = [
        *cases.values_list("pk", "territory__path"),
        *Initiative.other_places.through.objects.filter(initiative__in=cases).values_list(
            "initiative_id", "territory__path"
        ),
    ]
    for pk, path in rows:
        prefixes = path_prefixes(path)
        if len(prefixes) > depth and prefixes[depth - 1] == territory.path:
            paths[prefixes[depth]].add(pk)
    children = Territory.objects.filter(path__in=paths).order_by("name")
    return [(child, len(paths[child.path])) for child in children]


def _concerning(places):
    """Ids of the cases that list one of ``places`` among their other places."""
    return Initiative.other_places.through.objects.filter(territory__in=places).values("initiative_id")


def territory_detail(request, slug):
    territory = get_object_or_404(Territory, slug=slug)
    national = territory.kind == Territory.Kind.COUNTRY
    result, list_url = cases_for(request, "territoire", "" if national else territory.slug)
    ancestors = list(Territory.objects.ancestors_of(territory, include_self=False))
    # Cases attached to a wider scale (DESIGN): not in this territory's results, offered beside them.
    wider_places = [a for a in ancestors if a.kind in ("country", "region", "department")]
    wider = (
        Initiative.objects.published()
        .filter(Q(territory__in=wider_places) | Q(pk__in=_concerning(wider_places)))
        .exclude(pk__in=Initiative.objects.published().in_territory(territory).values("pk"))
        .select_related("territory")
        .order_by("territory__depth", "title")
    )
    context = {
        "territory": territory,
        "breadcrumb": [a for a in ancestors if a.kind != "country"],
        "result": result,
        "children": _children_with_counts(territory),
        "wider": wider,
        "wider_title": {
            "region": "À l'échelle nationale",
            "department": "À l'échelle de la région ou nationale",
        }.get(territory.kind, "À l'échelle du département, de la région ou nationale"),
        "centres": ResourceCentre.objects.filter(coverage__path__in=territory.path_prefixes()).distinct(),
        "list_url": list_url,
    }
    return render(request, "browse/territory.html", context)


def centre_list(request):
    centres = (
        ResourceCentre.objects.annotate(n=published_count("curated_initiatives"))
        .prefetch_related("coverage")
        .order_by("-is_national", "name")
    )
    return render(request, "browse/centres.html", {"centres": centres})


def centre_detail(request, slug):
    centre = get_object_or_404(ResourceCentre.objects.prefetch_related("coverage"), slug=slug)
    result, list_url = cases_for(request, "centre", centre.slug)
    reported = Initiative.objects.published().filter(reporting_centre=centre).count()
    context = {
        "centre": centre,
        "result": result,
        "reported": reported,
        "list_url": list_url,
        "publications": centre.publications.published().order_by("-year", "title"),
    }
    return render(request, "browse/centre.html", context)
