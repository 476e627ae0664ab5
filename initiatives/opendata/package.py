"""The open-data package: ``datapackage.json`` (Frictionless Data Package and Table Schema) and its files.

The CSV files are written as the list's export writes its own (``initiatives.browse.exports``):
UTF-8 with BOM, ``;`` between cells, a header line, ISO dates, « oui » / « non », lists joined
with " | ", and every text cell through ``exports.spreadsheet_text`` (a value a spreadsheet would run
as a formula gets a leading apostrophe). The resources say so in their ``dialect`` and ``encoding``.
The JSON file is the whole base in the API's representation of a case (``serializers.initiative_dict``,
complete: sections, key figures, citations).

Links between files are relative (``initiatives.csv``): the package read from /donnees/ or from a
folder where its files were saved finds them beside it. The profiles are the standard names, which
frictionless knows without fetching anything.
"""

import csv
import io
import json

from django.urls import reverse

from initiatives.browse.exports import as_text, spreadsheet_text
from initiatives.browse.serializers import LIST_PREFETCH, LIST_SELECT, initiative_dict
from initiatives.models import Initiative, Source
from initiatives.opendata.tables import TABLES

DELIMITER = ";"
LINE_END = "\r\n"
DIALECT = {"delimiter": DELIMITER, "lineTerminator": LINE_END, "quoteChar": '"', "doubleQuote": True, "header": True}
JSON_FILE = "initiatives.json"
LICENCE = {
    "name": "etalab-2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    "title": "Licence Ouverte / Open Licence 2.0",
}
QUOTATIONS = (
    "Les extraits des rapports (citations.csv, enseignements-extraits.csv, ceux de enseignements-cas.csv et "
    "ressources.csv, les citations du fichier JSON) sont de courtes citations, chacune avec sa source : ils "
    "restent l'œuvre des auteurs des rapports."
)
KEYWORDS = ["politique de la ville", "quartiers prioritaires", "QPV", "COVID-19", "initiatives locales"]


def cell(value):
    """A typed value as a CSV cell: the export's text, formula-looking text neutralised."""
    text = as_text(value)
    return spreadsheet_text(text) if isinstance(value, str | list) else text


def csv_text(table, base_url):
    """The whole CSV file of ``table``."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator=LINE_END)
    out.write("\ufeff")
    writer.writerow([field.name for field in table.fields])
    for row in table.rows():
        writer.writerow([cell(field.value(row, base_url)) for field in table.fields])
    return out.getvalue()


def json_data(base_url):
    """Every published case as the API gives one case (``/api/initiatives/<slug>/``)."""
    cases = (
        Initiative.objects.published()
        .select_related(*LIST_SELECT)
        .prefetch_related(*LIST_PREFETCH, "key_figures")
        .order_by("slug")
    )
    results = [initiative_dict(case, base_url=base_url, full=True) for case in cases.iterator(chunk_size=500)]
    return {"count": len(results), "results": results}


def json_text(base_url):
    return json.dumps(json_data(base_url), ensure_ascii=False, indent=1)


def _resource(table):
    schema = {"fields": [field.schema() for field in table.fields], "missingValues": [""]}
    schema["primaryKey"] = table.primary_key
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": [own], "reference": {"resource": resource, "fields": [theirs]}}
            for own, resource, theirs in table.foreign_keys
        ]
    return {
        "name": table.name,
        "path": table.file_name,
        "profile": "tabular-data-resource",
        "title": table.title,
        "description": table.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": DIALECT,
        "schema": schema,
    }


def _json_resource():
    return {
        "name": "initiatives-json",
        "path": JSON_FILE,
        "profile": "data-resource",
        "title": "Les cas, complets, en JSON",
        "description": (
            "Un objet {count, results} : chaque cas publié tel que l'API le donne (/api/initiatives/<slug>/), "
            "avec ses sections, ses chiffres clés et ses citations. Décrit dans la documentation de l'API."
        ),
        "format": "json",
        "mediatype": "application/json",
        "encoding": "utf-8",
    }


def datapackage(base_url):
    """The ``datapackage.json`` of the published base; its links are absolute from ``base_url``."""
    home = f"{base_url}{reverse('opendata:index')}"
    return {
        "profile": "data-package",
        "name": "proximites",
        "id": home,
        "title": "Proximités : les initiatives locales des quartiers prioritaires pendant la crise du COVID-19",
        "description": (
            "Les cas publiés de la base Proximités, leurs acteurs, leurs thèmes, leurs lieux et les extraits des "
            "rapports d'où ils viennent ; les enseignements et les ressources publiés. "
            "Fichiers CSV en UTF-8 (avec BOM), séparateur « ; », une ligne d'en-tête. "
            f"Licence Ouverte 2.0 (Etalab). {QUOTATIONS}"
        ),
        "homepage": home,
        "keywords": KEYWORDS,
        "licenses": [LICENCE],
        "sources": [_source(source, base_url) for source in Source.objects.order_by("year", "slug")],
        "resources": [*[_resource(table) for table in TABLES], _json_resource()],
    }


def _source(source, base_url):
    return {"title": source.reference(), "path": source.url or f"{base_url}{source.get_absolute_url()}"}


def datapackage_text(base_url):
    return json.dumps(datapackage(base_url), ensure_ascii=False, indent=1)
