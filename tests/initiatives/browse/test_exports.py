"""The public exports of a selection (CSV, XLSX, JSON): their columns and file names, through real HTTP requests."""

import csv
import io
import re
from datetime import UTC, date, datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from initiatives.browse.exports import COLUMNS
from initiatives.models import Initiative, KeyFigure
from tests.factories import (
    ActorFactory,
    CitationFactory,
    CommuneFactory,
    DepartmentFactory,
    InitiativeFactory,
    InvolvementFactory,
    PeriodFactory,
    PublicFactory,
    RegionFactory,
    ResourceCentreFactory,
    SourceFactory,
    ThemeFactory,
    national_network,
)

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://exemple.test";"cliquer")'


@pytest.fixture
def food_aid():
    """One analysed case in commune 02095 (Aisne, Hauts-de-France), with every kind of column filled."""
    national_network()
    region = RegionFactory(name="Hauts-de-France", code="32")
    aisne = DepartmentFactory(name="Aisne", code="02", parent=region)
    bohain = CommuneFactory(name="Bohain-en-Vermandois", code="02095", parent=aisne)
    centre = ResourceCentreFactory(name="Centre de ressources des Hauts-de-France", coverage=[region])
    root = ThemeFactory(name="Besoins de première nécessité", slug="besoins-de-premiere-necessite")
    food = ThemeFactory(name="Aide alimentaire", slug="aide-alimentaire", parent=root)
    case = InitiativeFactory(
        title="Colis alimentaires à Bohain",
        slug="colis-alimentaires-a-bohain",
        territory=bohain,
        documentation_level=Initiative.DocumentationLevel.ANALYSED,
        setting=Initiative.Setting.RURAL,
        volunteers=True,
        continued=False,
        start_date=date(2020, 3, 20),
        end_date=date(2020, 5, 10),
        actions="Distribution de colis.",
        obstacles=FORMULA,
        # 22:30 UTC on 30 June is 1 July in Paris.
        published_at=datetime(2020, 6, 30, 22, 30, 15, 123456, tzinfo=UTC),
    )
    case.themes.set([food])
    case.publics.set([PublicFactory(name="Familles")])
    case.periods.set([PeriodFactory(name="1er confinement")])
    case.tags.set(["Épicerie solidaire"])
    case.other_places.set([CommuneFactory(name="Guise", code="02361", parent=aisne)])
    InvolvementFactory(initiative=case, actor=ActorFactory(name="Secours populaire"))
    InvolvementFactory(initiative=case, actor=ActorFactory(name="Mairie de Bohain"), role="partenaire")
    source = SourceFactory(slug="odas-2020", publisher="Odas", title="Les initiatives locales", date_label="juin 2020")
    CitationFactory(initiative=case, source=source)
    note = SourceFactory(slug="anct", publisher="ANCT", title="Note de synthèse", descriptive_title=True, year=2020)
    CitationFactory(initiative=case, source=note)
    KeyFigure.objects.create(initiative=case, text="650 repas par jour")
    return {"case": case, "centre": centre}


def csv_rows(response):
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return body, list(csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";"))


def test_csv_export_has_french_labels_names_dates_and_grid_sections(client, food_aid):
    body, rows = csv_rows(client.get("/initiatives/export.csv?theme=aide-alimentaire&region=32"))
    assert rows[0] == [column.label for column in COLUMNS]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["identifiant"] == "colis-alimentaires-a-bohain"
    assert row["adresse"] == "http://testserver/initiatives/colis-alimentaires-a-bohain/"
    assert (row["territoire"], row["code du territoire"]) == ("Bohain-en-Vermandois", "02095")
    assert (row["département"], row["code du département"]) == ("Aisne", "02")
    assert (row["région"], row["code de la région"]) == ("Hauts-de-France", "32")
    assert row["autres lieux"] == "Guise (02361)"
    # Labels, never the codes stored in the database (analysed, rural, commune).
    assert row["niveau de documentation"] == "analysé en détail"
    assert (row["milieu"], row["précision géographique"]) == ("rural", "commune")
    # Names, never slugs.
    assert row["thèmes"] == "Aide alimentaire"
    assert row["mots-clés"] == "Épicerie solidaire"
    assert row["sources"] == "ANCT, [Note de synthèse], 2020 | Odas, « Les initiatives locales », juin 2020"
    assert row["centre de ressources"] == "Centre de ressources des Hauts-de-France"
    assert (row["publics"], row["périodes de la crise"]) == ("Familles", "1er confinement")
    assert row["porteurs"] == "Secours populaire"
    assert row["autres acteurs"] == "Mairie de Bohain (partenaire)"
    assert row["chiffres clés"] == "650 repas par jour"
    # Yes/no facts: oui, non, empty when the report does not say.
    assert (row["bénévoles"], row["poursuivie après la crise"], row["nouveaux publics"]) == ("oui", "non", "")
    # Dates are days: Paris's day, no time, no microseconds.
    assert (row["date de début"], row["date de fin"]) == ("2020-03-20", "2020-05-10")
    assert row["publié le"] == "2020-07-01"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["modifié le"])
    assert not re.search(r"\d{2}:\d{2}:\d{2}", body)
    # The grid sections, under their own headers; a value a spreadsheet would run as a formula gets a
    # leading apostrophe (issue 13: CSV formula injection), so that it opens as text.
    assert row["actions mises en œuvre"] == "Distribution de colis."
    assert row["freins et difficultés"] == "'" + FORMULA
    assert row["enjeux et besoins repérés"] == ""


def xlsx_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content))["Initiatives"]
    return sheet, [list(row) for row in sheet.iter_rows()]


def test_xlsx_export_keeps_codes_as_text_and_dates_as_dates(client, food_aid):
    sheet, rows = xlsx_rows(client.get("/initiatives/export.xlsx?theme=aide-alimentaire&region=32"))
    assert [cell.value for cell in rows[0]] == [column.label for column in COLUMNS]
    assert all(cell.font.b for cell in rows[0])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == 50  # the title
    assert len(rows) == 2
    row = {header.value: cell for header, cell in zip(rows[0], rows[1], strict=True)}
    # Codes are text cells: 02095 keeps its zero.
    assert (row["code du territoire"].value, row["code du territoire"].data_type) == ("02095", "s")
    assert (row["code du département"].value, row["code du département"].data_type) == ("02", "s")
    # Dates are date cells, shown with a date format; the day is Paris's.
    published = row["publié le"]
    assert published.is_date and published.value.date() == date(2020, 7, 1)
    assert "yy" in published.number_format
    assert row["date de début"].is_date and row["date de début"].value.date() == date(2020, 3, 20)
    assert row["modifié le"].is_date
    # Labels and names, yes/no as text.
    assert row["niveau de documentation"].value == "analysé en détail"
    assert row["thèmes"].value == "Aide alimentaire"
    assert row["centre de ressources"].value == "Centre de ressources des Hauts-de-France"
    assert row["sources"].value == "ANCT, [Note de synthèse], 2020 | Odas, « Les initiatives locales », juin 2020"
    assert (row["bénévoles"].value, row["bénévoles"].data_type) == ("oui", "s")
    assert row["nouveaux publics"].value is None
    # Text that looks like a formula stays text, as written.
    assert (row["freins et difficultés"].value, row["freins et difficultés"].data_type) == (FORMULA, "s")


def test_xlsx_export_drops_the_control_characters_xlsx_cannot_hold(client, food_aid):
    case = food_aid["case"]
    case.summary = "Colis\x0c livrés\x0b à domicile."  # a page break left by a PDF's text extraction
    case.save()
    _, rows = xlsx_rows(client.get("/initiatives/export.xlsx"))
    row = {header.value: cell.value for header, cell in zip(rows[0], rows[1], strict=True)}
    assert row["résumé"] == "Colis livrés à domicile."


def test_export_columns_have_unique_names_and_labels_and_a_description():
    assert len({c.name for c in COLUMNS}) == len({c.label for c in COLUMNS}) == len(COLUMNS)
    assert all(c.description and c.kind_label for c in COLUMNS)
    assert {f for f, _ in Initiative.SECTIONS} <= {c.name for c in COLUMNS}
    assert {f for f, _ in Initiative.FACTS} <= {c.name for c in COLUMNS}


def test_csv_export_reads_a_fixed_number_of_queries_whatever_the_number_of_cases(client, food_aid):
    def count():
        client.get("/initiatives/export.csv")  # brings the in-memory index up to date
        with CaptureQueriesContext(connection) as ctx:
            csv_rows(client.get("/initiatives/export.csv"))
        return len(ctx)

    before = count()
    for _ in range(5):
        case = InitiativeFactory()
        InvolvementFactory(initiative=case)
        CitationFactory(initiative=case)
        case.tags.set(["un", "deux"])
    assert count() == before


def attachment_name(response):
    disposition = response["Content-Disposition"]
    match = re.fullmatch(r'attachment; filename="([a-z0-9.-]+)"', disposition)
    assert match, disposition
    return match.group(1)


def paris_today():
    return timezone.localdate(timezone=ZoneInfo("Europe/Paris")).isoformat()


def test_export_file_names_say_what_was_exported_and_when(client, food_aid):
    today = paris_today()
    csv_response = client.get("/initiatives/export.csv?theme=aide-alimentaire&region=32")
    assert attachment_name(csv_response) == f"proximites-initiatives-aide-alimentaire-hauts-de-france-{today}.csv"
    json_response = client.get("/initiatives/export.json")
    assert attachment_name(json_response) == f"proximites-initiatives-{today}.json"
    xlsx_response = client.get("/initiatives/export.xlsx?precision=commune")
    assert attachment_name(xlsx_response) == f"proximites-initiatives-precision-commune-{today}.xlsx"
    # A yes/no filter keeps its parameter's name: "oui" alone would say nothing.
    named = attachment_name(client.get("/initiatives/export.csv?benevoles=oui&departement=02"))
    assert named == f"proximites-initiatives-aisne-02-benevoles-oui-{today}.csv"


def test_export_file_name_of_a_long_search_is_capped_on_a_word(client, food_aid):
    words = " ".join(["distribution alimentaire solidaire"] * 5)
    name = attachment_name(client.get("/initiatives/export.json", {"q": words}))
    filters = name.removeprefix("proximites-initiatives-").removesuffix(f"-{paris_today()}.json")
    assert 40 < len(filters) <= 80
    assert filters.startswith("distribution-alimentaire-solidaire-") and not filters.endswith("-")
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", filters)


@pytest.mark.parametrize(
    "query", ["theme=inconnu", "inconnu=1", "territoire=nulle-part", "tri=bizarre", "page=abc", "q=" + "x" * 300]
)
def test_exports_refuse_malformed_parameters_with_a_400_that_says_why(client, food_aid, query):
    listed = unescape(client.get(f"/initiatives/?region=32&{query}").content.decode())
    notices = re.findall(r"<li>([^<]+)</li>", re.search(r'<div class="notice".*?</div>', listed, re.S).group(0))
    for extension in ("csv", "xlsx"):
        response = client.get(f"/initiatives/export.{extension}?region=32&{query}")
        assert response.status_code == 400
        html = unescape(response.content.decode())
        assert "Export impossible" in html
        assert notices and all(notice in html for notice in notices)  # the list's own notices
        assert "/initiatives/?region=32&" in html  # back to the list, which shows what it understood
    response = client.get(f"/initiatives/export.json?region=32&{query}")
    assert response.status_code == 400
    assert response.json()["details"]


def test_the_list_exports_the_selection_it_understood(client, food_aid):
    html = unescape(client.get("/initiatives/?region=32&theme=inconnu&tri=titre&page=1").content.decode())
    assert "valeur inconnue ignorée" in html
    links = re.findall(r'href="/initiatives/export\.(?:csv|json|xlsx)\?([^"]*)"', html)
    assert links == ["region=32", "region=32", "region=32"]
    _, rows = csv_rows(client.get(f"/initiatives/export.csv?{links[0]}"))
    assert len(rows) == 2
