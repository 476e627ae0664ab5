"""Read-only JSON API. Same parameters as the HTML list (one FilterSet, one selector).

Every answer is JSON, errors included, of one shape (``crpv_site.errors.json_error``):
``{"error": <message>, "status": <code>, "details": {<parameter>: <message>}}``. Malformed
parameters get a 400 whose ``details`` name each parameter; an empty value (``?theme=``) is the
parameter left out (no filter, the default), as on the HTML list; a page beyond the last one is a
404 (a first page is never one: an empty result is a 200 with no results). The API is read-only:
GET and HEAD (answered like GET, without the body); any other method gets a 405 with ``Allow``, and
CSRF does not apply (nothing is written, no cookie is read).
``openapi()`` describes the API; ``/api/`` renders that description as HTML
(no JavaScript, no CDN), with the columns of the CSV and XLSX exports
(``initiatives.browse.exports.COLUMNS``).
"""

from functools import wraps

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.csrf import csrf_exempt

from crpv_site.errors import json_error
from initiatives.api.openapi import openapi
from initiatives.browse import exports, selectors, summaries
from initiatives.browse.serializers import LIST_PREFETCH, LIST_SELECT, initiative_dict, site_root, territory_dict
from initiatives.models import Initiative
from initiatives.models.cases import published_count
from territories.models import ResourceCentre, Territory

JSON_OPTIONS = {"ensure_ascii": False}


ALLOWED_METHODS = ("GET", "HEAD")


def _json(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params=JSON_OPTIONS)


def _bad_request(errors):
    return json_error(400, "Paramètres invalides.", errors)


def _beyond_last_page(number, last):
    return json_error(404, f"La page {number} n'existe pas : la dernière est la {last}.", {"page": "page hors limites"})


def read_only(view):
    """GET and HEAD only; any other method a JSON 405 with ``Allow``. CSRF-exempt: the API writes
    nothing, so a POST must meet the 405, not the CSRF check's 403 page. (HEAD answers are stripped
    of their body by the server: runserver, gunicorn, the test client.)"""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ALLOWED_METHODS:
            response = json_error(
                405, f"Méthode {request.method[:20]} non autorisée : l'API est en lecture seule (GET, HEAD)."
            )
            response["Allow"] = ", ".join(ALLOWED_METHODS)
            return response
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapped)


def _page_links(request, page):
    def link(number):
        params = request.GET.copy()
        params["page"] = number
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    return {
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
    }


@read_only
def initiative_list(request):
    queryset = Initiative.objects.select_related(*LIST_SELECT).prefetch_related(*LIST_PREFETCH)
    result = selectors.browse(request.GET, load_page=lambda ids: selectors.cases_in_order(ids, queryset))
    if result.errors:
        return _bad_request(result.errors)
    if result.beyond_last_page:
        return _beyond_last_page(result.beyond_last_page, result.page.paginator.num_pages)
    page = result.page
    results = page.object_list
    root = site_root(request)
    return _json(
        {
            "count": result.total,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "per_page": result.per_page,
            **_page_links(request, page),
            "results": [_with_missing(initiative_dict(i, base_url=root), i) for i in results],
            "facets": {
                f.facet.name: [{"value": v.value, "label": v.label, "count": v.count} for v in f.values]
                for f in result.facets
            },
            "search": _search_block(result),
        }
    )


def _with_missing(data, initiative):
    if getattr(initiative, "missing_terms", None):
        data["missing_terms"] = initiative.missing_terms  # a partial match: the words it lacks
    return data


def _search_block(result):
    """What the search did with the query: the same notes as the page."""
    text = result.text
    if text is None:
        return None
    return {
        "q": text.q,
        "corrected_from": text.corrected_from or None,
        "did_you_mean": text.did_you_mean or None,
        "widened": [{"typed": typed, "also": others} for typed, others in text.widened()],
        "all_words_count": text.all_count,
        "partial_matches": text.partial,
        "suggested_filters": [
            {"param": named.param, "value": named.value, "label": named.filter_label, "count": count}
            for named, count in result.named_filters
        ],
    }


@read_only
def initiative_detail(request, slug):
    found = selectors.find_case(
        slug, queryset=Initiative.objects.select_related(*LIST_SELECT).prefetch_related(*LIST_PREFETCH, "key_figures")
    )
    if found.moved_to:  # a case merged into another: the address leads there for good
        return HttpResponsePermanentRedirect(reverse("api:initiative", kwargs={"slug": found.moved_to}))
    initiative = found.initiative
    if initiative is None:
        return json_error(404, f"Aucun cas publié « {slug[:80]} ».")
    return _json(initiative_dict(initiative, base_url=site_root(request), full=True))


TERRITORY_PAGE = 100


@read_only
def territory_list(request):
    """Territories, filtered by ``kind``, ``parent`` (slug) and ``q`` (name), 100 a page."""
    errors = {}
    qs = Territory.objects.order_by("path")
    kind = request.GET.get("kind")
    if kind:
        if kind not in Territory.Kind.values:
            errors["kind"] = f"type inconnu, attendu : {', '.join(Territory.Kind.values)}"
        qs = qs.filter(kind=kind)
    parent = request.GET.get("parent")
    if parent:
        parent_obj = Territory.objects.filter(slug=parent).first()
        if parent_obj is None:
            errors["parent"] = "territoire inconnu"
        else:
            qs = qs.filter(parent=parent_obj)
    q = (request.GET.get("q") or "").strip()[:100]
    if q:
        # Same folding as the proposal form's place search: "bethoncourt" finds "Béthoncourt".
        key = slugify(" ".join(q.split()))
        qs = qs.filter(Q(name__icontains=q) | Q(slug__contains=key)) if key else qs.filter(name__icontains=q)
    raw_page = request.GET.get("page") or "1"  # empty: the first page, like absent
    try:
        page_number = int(raw_page) if len(raw_page) <= 9 else 0
    except ValueError:
        page_number = 0
    if page_number < 1:
        errors["page"] = "entier positif attendu"
    unknown = set(request.GET) - {"kind", "parent", "q", "page"}
    for name in unknown:
        errors[name] = "paramètre inconnu"
    if errors:
        return _bad_request(errors)
    qs = qs.annotate(n=published_count("initiatives")).select_related("parent")
    paginator = Paginator(qs, TERRITORY_PAGE)
    if page_number > paginator.num_pages:
        return _beyond_last_page(page_number, paginator.num_pages)
    page = paginator.page(page_number)
    root = site_root(request)
    return _json(
        {
            "count": paginator.count,
            **_page_links(request, page),
            "results": [
                {
                    **territory_dict(t),
                    "parent": t.parent.slug if t.parent else None,
                    "initiatives": t.n,
                    "url": f"{root}{t.get_absolute_url()}",
                }
                for t in page.object_list
            ],
        }
    )


@read_only
def theme_list(request):
    return _json(
        {
            "results": [
                {
                    "slug": node.theme.slug,
                    "name": node.theme.name,
                    "initiatives": node.count,
                    "children": [
                        {"slug": c.theme.slug, "name": c.theme.name, "initiatives": c.count} for c in node.children
                    ],
                }
                for node in summaries.theme_tree()
            ]
        }
    )


@read_only
def resource_centre_list(request):
    centres = ResourceCentre.objects.prefetch_related("coverage").annotate(n=published_count("curated_initiatives"))
    root = site_root(request)
    return _json(
        {
            "results": [
                {
                    "slug": c.slug,
                    "name": c.name,
                    "short_name": c.short_name,
                    "website": c.website or None,
                    "national": c.is_national,
                    "coverage": [territory_dict(t) for t in c.coverage.all()],
                    "initiatives": c.n,
                    "url": f"{root}{c.get_absolute_url()}",
                }
                for c in centres.order_by("name")
            ]
        }
    )


@read_only
def openapi_json(request):
    return _json(openapi(server=site_root(request)))


@read_only
def docs(request):
    spec = openapi(server=site_root(request))
    example = request.build_absolute_uri(f"{reverse('api:initiatives')}?theme=aide-alimentaire&region=11&par_page=10")
    context = {"spec": spec, "example": example, "columns": exports.COLUMNS, "kinds": exports.KINDS}
    return render(request, "api/docs.html", context)
