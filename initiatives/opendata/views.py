"""/donnees/: the page that presents the open data, and the files, made from the database on request.

Anonymous requests are answered from the public page cache (``initiatives.browse.page_cache``), kept
per version of the public data: a write that changes a case, a theme or a place makes new files.
Each file says where it is described (``Link: <…/datapackage.json>; rel="describedby"``).
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from initiatives.browse.serializers import site_root
from initiatives.opendata import package
from initiatives.opendata.tables import BY_NAME, TABLES


def _described(response, request):
    described_by = request.build_absolute_uri(reverse("opendata:datapackage"))
    response["Link"] = f'<{described_by}>; rel="describedby"; type="application/json"'
    return response


@require_safe
def index(request):
    root = site_root(request)
    context = {
        "package": package.datapackage(root),
        "tables": [(table, table.count()) for table in TABLES],
        "json_file": package.JSON_FILE,
        "licence": package.LICENCE,
        "quotations": package.QUOTATIONS,
        "delimiter": package.DELIMITER,
    }
    return render(request, "opendata/index.html", context)


@require_safe
def datapackage_json(request):
    return HttpResponse(package.datapackage_text(site_root(request)), content_type="application/json")


@require_safe
def table_csv(request, name):
    table = BY_NAME.get(name)
    if table is None:
        context = {"name": name[:60], "tables": TABLES}
        return render(request, "opendata/unknown_file.html", context, status=404)
    content = package.csv_text(table, site_root(request))
    return _described(HttpResponse(content, content_type="text/csv; charset=utf-8"), request)


@require_safe
def cases_json(request):
    content = package.json_text(site_root(request))
    return _described(HttpResponse(content, content_type="application/json"), request)
