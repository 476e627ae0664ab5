"""The public exports of a selection of cases: their columns, declared once, and the files made of them.

``COLUMNS`` is the one declaration: each column's stable name, its French
header, its type and a one-line description. The CSV and the XLSX exports
write these columns in this order, and the API documentation page (``/api/``)
lists them, so the formats are documented where they are defined. The JSON
export is the API's own representation (``serializers.initiative_dict``).

A column's value is typed: text (``str``), a date (``datetime.date``), a
yes/no fact (``bool``, ``None`` when the report does not say) or a list
(``list[str]``). Each format renders the types its own way: the CSV as plain
text (ISO dates, oui/non, lists joined with " | "), the XLSX with typed cells
(codes as text, so that INSEE code 02095 keeps its zero; dates as date cells).
"""

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from initiatives.browse.facets import BY_PARAM
from initiatives.browse.serializers import LIST_PREFETCH, LIST_SELECT
from initiatives.models import Initiative, Involvement
from initiatives.text import neutralise_formula, yes_no

# What an export reads of each case, in two queries per relation and per 500 cases.
EXPORT_SELECT = LIST_SELECT
EXPORT_PREFETCH = [*LIST_PREFETCH, "other_places", "key_figures"]

PARIS = ZoneInfo("Europe/Paris")  # the dates of the exports are French dates, whatever the server's zone

TEXT, CODE, DATE, YES_NO, LIST, LINK = "texte", "code", "date", "oui/non", "liste", "lien"
KINDS = {
    TEXT: "texte libre",
    CODE: "code à garder tel quel, zéros en tête compris (02095) : une cellule texte dans le XLSX",
    DATE: "AAAA-MM-JJ dans le CSV, une cellule date dans le XLSX ; jour de Paris ; vide si inconnue",
    YES_NO: "« oui », « non », ou vide quand le rapport ne le dit pas",
    LIST: "plusieurs valeurs séparées par « | »",
    LINK: "adresse web complète",
}
LIST_SEPARATOR = " | "
WIDTHS = {TEXT: 40, CODE: 12, DATE: 12, YES_NO: 10, LIST: 40, LINK: 45}  # XLSX column widths, in characters


@dataclass(frozen=True)
class Column:
    name: str  # stable identifier (the API's key where it has one): never renamed once published
    label: str  # the French header of the CSV and XLSX files
    kind: str  # one of KINDS
    description: str
    value: Callable  # (case, base_url) -> str | date | bool | list[str] | None
    width: int | None = None  # XLSX width, when the kind's default (WIDTHS) does not fit

    @property
    def kind_label(self):
        return KINDS[self.kind]


def _name(obj):
    return obj.name if obj is not None else ""


def _code(territory):
    return (territory.code or "") if territory is not None else ""


def _day(moment):
    return timezone.localtime(moment, PARIS).date() if moment else None


def _place(territory):
    return f"{territory.name} ({territory.code})" if territory.code else territory.name


def _actors(case, *, carriers):
    return [
        involvement.actor.name if carriers else f"{involvement.actor.name} ({involvement.get_role_display()})"
        for involvement in case.involvements.all()
        if (involvement.role == Involvement.Role.CARRIER) == carriers
    ]


def _unique_sources(case):
    return sorted({citation.source.reference() for citation in case.citations.all()})  # as the case page cites


def _field(field):
    return lambda case, base: getattr(case, field)


FACT_LABELS = {  # short headers; the question of the Odas questionnaire is the description
    "volunteers": "bénévoles",
    "new_publics": "nouveaux publics",
    "unprecedented_cooperation": "coopération inédite",
    "freed_from_rule": "émancipée d'une règle",
    "continued": "poursuivie après la crise",
}

COLUMNS = [
    Column(
        "slug",
        "identifiant",
        CODE,
        "Identifiant stable du cas, la fin de l'adresse de sa fiche.",
        lambda c, b: c.slug,
        width=30,
    ),
    Column("title", "titre", TEXT, "Titre du cas.", lambda c, b: c.title, width=50),
    Column(
        "url", "adresse", LINK, "Adresse de la fiche du cas sur Proximités.", lambda c, b: f"{b}{c.get_absolute_url()}"
    ),
    Column("summary", "résumé", TEXT, "Ce qui a été fait, en quelques phrases.", lambda c, b: c.summary, width=60),
    Column(
        "territory",
        "territoire",
        TEXT,
        "Lieu principal : quartier, commune, département, région ou France.",
        lambda c, b: _name(c.territory),
        width=25,
    ),
    Column(
        "territory_code",
        "code du territoire",
        CODE,
        "Code INSEE du lieu principal (code officiel pour un QPV) ; vide pour un quartier sans code.",
        lambda c, b: _code(c.territory),
    ),
    Column(
        "department", "département", TEXT, "Département du lieu principal.", lambda c, b: _name(c.department), width=20
    ),
    Column(
        "department_code",
        "code du département",
        CODE,
        "Code INSEE du département (02, 2A, 974).",
        lambda c, b: _code(c.department),
    ),
    Column("region", "région", TEXT, "Région du lieu principal.", lambda c, b: _name(c.region), width=20),
    Column(
        "region_code",
        "code de la région",
        CODE,
        "Code INSEE de la région (32 pour les Hauts-de-France).",
        lambda c, b: _code(c.region),
    ),
    Column(
        "other_places",
        "autres lieux",
        LIST,
        "Les autres lieux de la même action, chacun avec son code : « Nom (code) ».",
        lambda c, b: [_place(t) for t in c.other_places.all()],
    ),
    Column(
        "precision",
        "précision géographique",
        TEXT,
        "Échelle du lieu principal : quartier (QPV), quartier (hors QPV), commune, département, région, national.",
        lambda c, b: c.get_precision_display(),
        width=18,
    ),
    Column(
        "setting",
        "milieu",
        TEXT,
        "Urbain, péri-urbain ou rural ; vide si le rapport ne le dit pas.",
        lambda c, b: c.get_setting_display(),
        width=12,
    ),
    Column(
        "documentation_level",
        "niveau de documentation",
        TEXT,
        "Analysé en détail (une fiche suivant la grille de l'Odas), décrit, ou simplement listé.",
        lambda c, b: c.get_documentation_level_display(),
        width=18,
    ),
    Column(
        "themes",
        "thèmes",
        LIST,
        "Thèmes : natures d'action de l'Odas et thèmes plus fins.",
        lambda c, b: [t.name for t in c.themes.all()],
    ),
    Column("publics", "publics", LIST, "Publics visés.", lambda c, b: [p.name for p in c.publics.all()], width=30),
    Column(
        "periods",
        "périodes de la crise",
        LIST,
        "Périodes de la crise sanitaire pendant lesquelles l'action a eu lieu.",
        lambda c, b: [p.name for p in c.periods.all()],
        width=30,
    ),
    Column(
        "start_date", "date de début", DATE, "Début de l'action, quand le rapport le donne.", lambda c, b: c.start_date
    ),
    Column("end_date", "date de fin", DATE, "Fin de l'action, quand le rapport la donne.", lambda c, b: c.end_date),
    Column(
        "tags",
        "mots-clés",
        LIST,
        "Mots-clés, par ordre alphabétique.",
        lambda c, b: sorted(ti.tag.name for ti in c.tagged_items.all()),
        width=30,
    ),
    Column("carriers", "porteurs", LIST, "Acteurs qui portent l'action.", lambda c, b: _actors(c, carriers=True)),
    Column(
        "other_actors",
        "autres acteurs",
        LIST,
        "Les autres acteurs, chacun avec son rôle : « Nom (partenaire) », financeur, relais.",
        lambda c, b: _actors(c, carriers=False),
    ),
    *[
        Column(field, FACT_LABELS[field], YES_NO, f"{question} ?", _field(field), width=14)
        for field, question in Initiative.FACTS
    ],
    Column(
        "key_figures",
        "chiffres clés",
        LIST,
        "Chiffres que le rapport donne (« 650 repas par jour »).",
        lambda c, b: [k.text for k in c.key_figures.all()],
    ),
    *[
        Column(
            field,
            label.lower(),
            TEXT,
            f"Section « {label} » de la grille d'analyse de l'Odas ; vide si le rapport n'en dit rien.",
            _field(field),
            width=50,
        )
        for field, label in Initiative.SECTIONS
    ],
    Column(
        "sources",
        "sources",
        LIST,
        "Les rapports qui décrivent le cas, nommés comme la fiche les cite : éditeur, « titre » (ou [titre descriptif] "
        "quand le document n'en imprime pas), date.",
        lambda c, b: _unique_sources(c),
        width=50,
    ),
    Column(
        "curating_centre",
        "centre de ressources",
        TEXT,
        "Centre de ressources politique de la ville référent du cas.",
        lambda c, b: _name(c.curating_centre),
        width=30,
    ),
    Column(
        "published_at",
        "publié le",
        DATE,
        "Jour de la première publication sur Proximités.",
        lambda c, b: _day(c.published_at),
    ),
    Column(
        "updated_at", "modifié le", DATE, "Jour de la dernière modification du cas.", lambda c, b: _day(c.updated_at)
    ),
]


def values(case, base_url):
    """The typed values of ``case``, one per column."""
    return [column.value(case, base_url) for column in COLUMNS]


def spreadsheet_text(text):
    """Every text cell of the CSV passes here: a value a spreadsheet would run as a formula (starting
    with = + - @, a tab or a carriage return) gets a leading apostrophe (initiatives.text). The XLSX
    needs none: its cells are typed as text, which no spreadsheet runs."""
    return neutralise_formula(text)


def as_text(value):
    """A typed value as the CSV writes it: ISO dates, oui/non, lists joined with " | "."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    return str(value)


class _Echo:
    """A file that hands back what it is given: ``csv.writer(_Echo()).writerow`` returns the line."""

    def write(self, value):
        return value


def csv_lines(cases, base_url):
    """The CSV file, line by line (streamed): UTF-8 with BOM and ';' (French spreadsheets), a header
    of French labels, one line per case."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow([column.label for column in COLUMNS])
    for case in cases:
        yield writer.writerow([spreadsheet_text(as_text(value)) for value in values(case, base_url)])


# Characters XML 1.0, hence XLSX, cannot hold (control characters of extracted report text).
_NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
DATE_FORMAT = "dd/mm/yyyy"  # a real date, shown the French way; it sorts and filters as a date


def _xlsx_cell(sheet, value):
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    text = _NOT_IN_XLSX.sub("", as_text(value))
    if not text:
        return None
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # text, always: "02095" keeps its zero and "=…" is never a formula
    return cell


def xlsx_bytes(cases, base_url):
    """The XLSX file: one sheet, a bold frozen header row with filters, typed cells.

    Written in openpyxl's write-only mode (rows go to a temporary file as they come), then read
    back whole to answer the request."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Initiatives")
    for number, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = column.width or WIDTHS[column.kind]
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column.label)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    rows = 1
    for case in cases:
        sheet.append([_xlsx_cell(sheet, value) for value in values(case, base_url)])
        rows += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{rows}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Filters whose value alone does not say what it is ("oui", "informel"): the file name keeps the parameter.
_NAMED_WITH_PARAM = {
    "porteur",
    "acteur",
    "categorie",
    "precision",
    "documentation",
    "poursuivie",
    "benevoles",
    "milieu",
}
FILTERS_MAX = 80  # characters of the file name given to the filters


def file_name(result, extension):
    """What was exported and when: ``proximites-initiatives-aide-alimentaire-hauts-de-france-2026-12-01.csv``.

    Built from the active filters of ``result`` (a ``BrowseResult``), slugified and capped, and
    today's date in Paris."""
    parts = []
    for param, value, label in result.active:
        if param == "q":
            words = value
        elif param == "territoire":
            words = label
        else:
            words = label.removeprefix(f"{BY_PARAM[param].label} : ")
            if param == "theme":
                words = words.rsplit(" › ", 1)[-1]  # a finer theme by its own name
            if param in _NAMED_WITH_PARAM:
                words = f"{param} {words}"
        parts.append(words)
    filters = slugify(" ".join(parts))
    if len(filters) > FILTERS_MAX:
        filters = filters[:FILTERS_MAX].rsplit("-", 1)[0]
    day = timezone.localdate(timezone=PARIS)
    stem = "-".join(part for part in ("proximites-initiatives", filters, day.isoformat()) if part)
    return f"{stem}.{extension}"
