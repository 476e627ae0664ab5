"""The panorama pages: a selection of cases (the list's parameters) seen as cooperation and as a timeline.

Thin views: validate the selection (``selection.select``), compute (``cooperation``, ``timeline``),
place the pictures (``charts``) and render. A malformed parameter gets a 400 that says what was not
understood, as the exports do: a page of counts cannot say which of them an ignored filter changed.
"""

from django.shortcuts import render
from django.urls import reverse

from initiatives.panorama import charts
from initiatives.panorama.cooperation import NETWORK_MIN_CASES, ROLES, cooperation
from initiatives.panorama.selection import select
from initiatives.panorama.timeline import THIN, timeline


def _context(selection, page, other_page, other_label):
    return {
        "selection": selection,
        "here": reverse(page),
        "list_url": selection.url(),
        "other_url": selection.url(other_page),
        "other_label": other_label,
        "filtered": bool(selection.active),
    }


def _refused(request, selection, page):
    context = {"notices": selection.notices, "page": page, "list_qs": request.GET.urlencode()}
    return render(request, "panorama/refused.html", context, status=400)


def cooperation_page(request):
    selection = select(request.GET)
    if selection.errors:
        return _refused(request, selection, "les coopérations")
    data = cooperation(selection)
    nodes, edges = charts.circle_layout(data.nodes, data.edges) if len(data.nodes) >= 2 else ([], [])
    context = {
        **_context(selection, "panorama:cooperation", "panorama:timeline", "Voir la chronologie de ces cas"),
        "data": data,
        "roles": ROLES,
        "placed_nodes": nodes,
        "placed_edges": edges,
        "network_min": NETWORK_MIN_CASES,
        "width": charts.NETWORK_WIDTH,
        "height": charts.NETWORK_HEIGHT,
    }
    return render(request, "panorama/cooperation.html", context)


def timeline_page(request):
    selection = select(request.GET)
    if selection.errors:
        return _refused(request, selection, "la chronologie")
    context = {
        **_context(selection, "panorama:timeline", "panorama:cooperation", "Voir les coopérations de ces cas"),
        "data": timeline(selection),
        "thin": THIN,
        "width": charts.BARS_WIDTH,
        "height": charts.BARS_HEIGHT,
        "list_base": reverse("browse:list"),
    }
    return render(request, "panorama/timeline.html", context)
