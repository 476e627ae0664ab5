"""The open data of /donnees/: the files a reuser downloads, their datapackage.json validated by frictionless
against them (offline: the suite refuses any connection off the machine), what they hold and leave out."""

import csv
import io
import re
from html import unescape

import pytest
from django.core.cache import caches
from django.utils import timezone

from initiatives.models import Actor, Initiative, Lesson, LessonCitation, LessonEvidence, Resource
from tests.factories import (
    ActorFactory,
    CitationFactory,
    CommuneFactory,
    DepartmentFactory,
    InitiativeFactory,
    InvolvementFactory,
    QpvFactory,
    RegionFactory,
    SourceFactory,
    ThemeFactory,
    national_network,
)
from tests.initiatives.opendata.opendata_files import download, errors, rows, validate

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://exemple.test";"cliquer")'
FILES = [
    "initiatives.csv",
    "initiatives-themes.csv",
    "themes.csv",
    "acteurs.csv",
    "implications.csv",
    "citations.csv",
    "sources.csv",
    "territoires.csv",
    "enseignements.csv",
    "enseignements-extraits.csv",
    "enseignements-cas.csv",
    "ressources.csv",
    "initiatives.json",
]
ROWS = {
    "initiatives": 2,
    "initiatives-themes": 2,
    "themes": 3,
    "acteurs": 2,
    "implications": 3,
    "citations": 3,
    "sources": 2,
    "territoires": 7,  # France, the région, the département, Bohain, Guise, Saint-Quentin, the QPV
    "enseignements": 1,
    "enseignements-extraits": 2,
    "enseignements-cas": 1,  # the draft case that illustrates the lesson is left out
    "ressources": 1,
}


@pytest.fixture
def base():
    """Two published cases (one in a QPV, also in a second commune) and a draft, with their actors and citations."""
    national_network()
    region = RegionFactory(name="Hauts-de-France", code="32")
    aisne = DepartmentFactory(name="Aisne", code="02", parent=region)
    bohain = CommuneFactory(name="Bohain-en-Vermandois", code="02095", parent=aisne)
    guise = CommuneFactory(name="Guise", code="02361", parent=aisne)
    laon = CommuneFactory(name="Laon", code="02408", parent=aisne)  # only the draft is there
    saint_quentin = CommuneFactory(name="Saint-Quentin", code="02691", parent=aisne)  # an actor's place
    CommuneFactory(name="Chauny", code="02173", parent=aisne)  # nothing there
    qpv = QpvFactory(name="Quartier du Centre", parent=bohain)
    needs = ThemeFactory(name="Besoins de première nécessité", slug="besoins", position=1)
    food = ThemeFactory(name="Aide alimentaire", slug="aide-alimentaire", parent=needs)
    ThemeFactory(name="Culture", slug="culture", position=2)  # no case: the reference list keeps it
    odas = SourceFactory(slug="odas-2022", publisher="Odas", title="Les initiatives locales", year=2022)
    anct = SourceFactory(slug="anct-2021", publisher="ANCT", title="Note", descriptive_title=True, year=2021)
    secours = ActorFactory(name="Secours populaire", slug="secours-populaire", territory=saint_quentin)
    secours.aliases.create(name="SPF")

    colis = InitiativeFactory(
        title="Colis solidaires", slug="colis", territory=qpv, summary=FORMULA, volunteers=True, continued=False
    )
    colis.themes.set([food])
    colis.other_places.set([guise])
    InvolvementFactory(initiative=colis, actor=secours)
    residents = ActorFactory(
        name="Deux résidentes", slug="colis-deux-residentes", is_unnamed=True, kind=Actor.Kind.INFORMAL, category=""
    )
    InvolvementFactory(initiative=colis, actor=residents, role="partenaire", note="livraisons")
    CitationFactory(initiative=colis, source=odas, position=0, locator="Fiche 1", excerpt="Des colis chaque semaine.")
    CitationFactory(initiative=colis, source=odas, position=1, locator="Fiche 1", excerpt="-20 % de demandes.")

    jardin = InitiativeFactory(title="Jardin partagé", slug="jardin", territory=guise, setting="rural")
    jardin.themes.set([needs])
    InvolvementFactory(initiative=jardin, actor=secours, role="partenaire")
    CitationFactory(initiative=jardin, source=anct, locator="Encadré", excerpt="Un jardin au pied des tours.")

    draft = InitiativeFactory(title="Brouillon", slug="brouillon", territory=laon, status=Initiative.Status.DRAFT)
    draft.themes.set([food])
    InvolvementFactory(initiative=draft, actor=ActorFactory(name="Acteur du brouillon", slug="acteur-du-brouillon"))
    CitationFactory(initiative=draft, source=odas, locator="Fiche 9", excerpt="Pas encore publié.")

    trust = Lesson.objects.create(
        slug="faire-confiance", source=odas, kind="recommendation", statement="Faire confiance aux habitants.",
        status=Initiative.Status.PUBLISHED,
    )  # fmt: skip
    trust.themes.set([needs, food])
    LessonCitation.objects.create(lesson=trust, locator="Partie III", excerpt="Faire confiance.", position=0)
    LessonCitation.objects.create(lesson=trust, locator="Partie III", excerpt="@laisser émerger", position=1)
    LessonEvidence.objects.create(lesson=trust, initiative=colis, basis="report", excerpt="les colis")
    LessonEvidence.objects.create(lesson=trust, initiative=draft, basis="curator")
    hidden = Lesson.objects.create(slug="lecon-brouillon", source=odas, kind="finding", statement="Pas encore.")
    LessonCitation.objects.create(lesson=hidden, locator="Partie I", excerpt="Pas encore publié.")
    guide = Resource.objects.create(
        slug="guide-colis", title="Guide des colis", source=anct, kind="guide", year=2021, date_label="mars 2021",
        url="https://exemple.test/guide", locator="Publications", excerpt="Un guide.",
        status=Initiative.Status.PUBLISHED,
    )  # fmt: skip
    guide.themes.set([food, needs])
    Resource.objects.create(slug="ressource-brouillon", title="Brouillon", source=anct, kind="note", locator="-",
                            excerpt="-")  # fmt: skip
    return {"draft": draft, "qpv": qpv, "bohain": bohain, "aisne": aisne, "region": region}


def by_name(header, lines):
    return [dict(zip(header, line, strict=True)) for line in lines]


def test_the_package_validates_against_the_files_it_describes(client, base, tmp_path):
    package = download(client, tmp_path)
    assert [resource["path"] for resource in package["resources"]] == FILES
    report = validate(tmp_path)
    assert report.valid, errors(report)
    assert {task.name: task.stats.get("rows") for task in report.tasks if task.type == "table"} == ROWS


def test_a_file_that_departs_from_its_schema_fails_validation(client, base, tmp_path):
    download(client, tmp_path)
    citations = tmp_path / "citations.csv"
    citations.write_bytes(citations.read_bytes().replace(b"colis;2;", b"colis;deux;"))
    report = validate(tmp_path)
    assert not report.valid and errors(report) == [("citations", "type-error")]


def test_an_extra_column_fails_validation(client, base, tmp_path):
    download(client, tmp_path)
    sources = tmp_path / "sources.csv"
    sources.write_bytes(b"".join(line.rstrip(b"\r\n") + b";en trop\r\n" for line in sources.open("rb")))
    report = validate(tmp_path)
    assert not report.valid and errors(report) == [("sources", "extra-label")]


def test_a_link_to_a_missing_row_fails_validation(client, base, tmp_path):
    download(client, tmp_path)
    territories = tmp_path / "territoires.csv"
    kept = [line for line in territories.open("rb") if not line.startswith(base["qpv"].slug.encode())]
    territories.write_bytes(b"".join(kept))
    report = validate(tmp_path)
    assert not report.valid and errors(report) == [("initiatives", "foreign-key")]  # the case in that QPV


def test_every_schema_field_is_a_column_of_its_file_in_order(client, base, tmp_path):
    package = download(client, tmp_path)
    for resource in package["resources"][:-1]:
        header, _ = rows(tmp_path, resource["name"])
        assert header == [field["name"] for field in resource["schema"]["fields"]], resource["name"]
        assert all(field["title"] and field["description"] for field in resource["schema"]["fields"])
    initiatives = package["resources"][0]["schema"]
    assert initiatives["primaryKey"] == ["slug"]
    assert initiatives["foreignKeys"] == [
        {"fields": ["territory_slug"], "reference": {"resource": "territoires", "fields": ["slug"]}}
    ]
    fields = {field["name"]: field for field in initiatives["fields"]}
    assert fields["setting"]["constraints"] == {"enum": ["urbain", "péri-urbain", "rural"]}
    assert fields["volunteers"]["trueValues"] == ["oui"] and fields["volunteers"]["falseValues"] == ["non"]
    assert fields["start_date"]["type"] == "date" and fields["url"]["format"] == "uri"


def test_only_published_cases_and_what_they_reach_are_in_the_files(client, base, tmp_path):
    download(client, tmp_path)
    header, lines = rows(tmp_path, "initiatives")
    assert [line[0] for line in lines] == ["colis", "jardin"]  # the draft is not there
    assert len(lines) == Initiative.objects.published().count()
    for name in ("initiatives-themes", "implications", "citations"):
        _, lines = rows(tmp_path, name)
        assert {line[0] for line in lines} == {"colis", "jardin"}, name
    _, actors = rows(tmp_path, "acteurs")
    assert [line[0] for line in actors] == ["colis-deux-residentes", "secours-populaire"]
    _, themes = rows(tmp_path, "themes")
    assert [line[0] for line in themes] == ["besoins", "aide-alimentaire", "culture"]  # each root, then its own
    _, places = rows(tmp_path, "territoires")
    names = [line[1] for line in places]
    assert "Saint-Quentin" in names and "Guise" in names and "Quartier du Centre" in names
    assert "Laon" not in names and "Chauny" not in names  # the draft's place, and a commune without anything
    assert names[:3] == ["France", "Hauts-de-France", "Aisne"]
    _, lessons = rows(tmp_path, "enseignements")
    assert [line[0] for line in lessons] == ["faire-confiance"]  # not the draft lesson
    _, excerpts = rows(tmp_path, "enseignements-extraits")
    assert excerpts == [
        ["faire-confiance", "1", "Partie III", "Faire confiance."],
        ["faire-confiance", "2", "Partie III", "'@laisser émerger"],
    ]
    _, evidence = rows(tmp_path, "enseignements-cas")
    assert evidence == [["faire-confiance", "colis", "report", "les colis"]]  # the draft case is not there
    header, resources = rows(tmp_path, "ressources")
    assert by_name(header, resources) == [
        {
            "slug": "guide-colis",
            "title": "Guide des colis",
            "kind": "guide",
            "publisher": "",
            "year": "2021",
            "date": "mars 2021",
            "summary": "",
            "website": "https://exemple.test/guide",
            "themes": "aide-alimentaire | besoins",
            "source": "anct-2021",
            "locator": "Publications",
            "excerpt": "Un guide.",
            "url": "http://testserver/ressources/guide-colis/",
        }
    ]


def test_values_are_written_as_the_list_export_writes_them(client, base, tmp_path):
    download(client, tmp_path)
    header, lines = rows(tmp_path, "initiatives")
    ours = {line[0]: line for line in lines}
    export = b"".join(client.get("/initiatives/export.csv").streaming_content).decode("utf-8")
    assert export.startswith("\ufeff")
    exported = {line[0]: line for line in list(csv.reader(io.StringIO(export[1:]), delimiter=";"))[1:]}
    assert set(exported) == set(ours)
    for slug, line in ours.items():
        assert line[:-1] == exported[slug]  # the export's columns, then the territory's identifier
        assert line[-1] == (base["qpv"].slug if slug == "colis" else "guise-02361")
    colis = dict(zip(header, ours["colis"], strict=True))
    assert colis["summary"] == "'" + FORMULA  # no spreadsheet runs it
    assert colis["volunteers"] == "oui" and colis["continued"] == "non" and colis["new_publics"] == ""
    _, citations = rows(tmp_path, "citations")
    assert citations[:2] == [
        ["colis", "1", "odas-2022", "Fiche 1", "Des colis chaque semaine."],
        ["colis", "2", "odas-2022", "Fiche 1", "'-20 % de demandes."],
    ]
    header, actors = rows(tmp_path, "acteurs")
    assert by_name(header, actors)[1] == {
        "slug": "secours-populaire",
        "name": "Secours populaire",
        "kind": "formal",
        "category": "association",
        "unnamed": "non",
        "aliases": "SPF",
        "territory": "saint-quentin-02691",
        "website": "",
        "url": "http://testserver/acteurs/secours-populaire/",
    }


def test_the_json_file_is_the_api_representation_of_every_published_case(client, base):
    response = client.get("/donnees/initiatives.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert data["count"] == 2 and [case["slug"] for case in data["results"]] == ["colis", "jardin"]
    assert data["results"][0] == client.get("/api/initiatives/colis/").json()


def test_the_package_states_the_licence_and_fetches_no_remote_profile(client, base):
    package = client.get("/donnees/datapackage.json").json()
    assert package["licenses"] == [
        {
            "name": "etalab-2.0",
            "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            "title": "Licence Ouverte / Open Licence 2.0",
        }
    ]
    assert "$schema" not in package and package["profile"] == "data-package"
    assert {resource["profile"] for resource in package["resources"]} == {"tabular-data-resource", "data-resource"}
    assert all(not resource["path"].startswith("http") for resource in package["resources"])
    assert package["resources"][0]["dialect"]["delimiter"] == ";" and package["resources"][0]["encoding"] == "utf-8"
    assert "courtes citations" in package["description"]
    assert [source["title"] for source in package["sources"]] == [
        "ANCT, [Note], 2021",
        "Odas, « Les initiatives locales », 2022",
    ]


def test_the_page_presents_the_files_their_columns_and_the_licence(client, base):
    response = client.get("/donnees/")
    html = response.content.decode()
    assert response.status_code == 200 and html.count("<h1") == 1
    for file in FILES:
        assert f'href="/donnees/{file}"' in html, file
    assert 'href="/donnees/datapackage.json"' in html
    assert "Licence Ouverte / Open Licence 2.0" in html and "courtes citations" in unescape(html)
    counts = dict(re.findall(r'<a href="/donnees/([a-z-]+)\.csv">.*?<td class="num">(\d+)</td>', html, re.S))
    assert counts == {name: str(count) for name, count in ROWS.items()}
    assert "<code>territory_slug</code>" in html


def test_an_unknown_file_is_a_404_in_french(client, base):
    response = client.get("/donnees/inconnu.csv")
    assert response.status_code == 404
    html = unescape(response.content.decode())
    assert "n'ont pas de fichier « inconnu.csv »" in html and 'href="/donnees/citations.csv"' in html
    assert client.post("/donnees/initiatives.csv").status_code in (403, 405)


def test_each_file_says_where_it_is_described(client, base):
    for file in ("initiatives.csv", "initiatives.json"):
        link = client.get(f"/donnees/{file}")["Link"]
        assert link == '<http://testserver/donnees/datapackage.json>; rel="describedby"; type="application/json"'


def test_the_api_and_the_exports_lead_to_the_open_data(client, base):
    spec = client.get("/api/openapi.json").json()
    assert spec["externalDocs"]["url"] == "http://testserver/donnees/"
    assert 'href="/donnees/"' in client.get("/api/").content.decode()
    assert 'href="/donnees/"' in client.get("/initiatives/").content.decode()
    home = client.get("/").content.decode()
    assert '<a href="/donnees/">Données ouvertes</a>' in home  # the footer, on every page


def test_a_cached_file_changes_with_the_next_write(client, base, settings):
    settings.PAGE_CACHE = True
    caches["pages"].clear()
    first = client.get("/donnees/initiatives.csv")
    again = client.get("/donnees/initiatives.csv")
    assert again.get("X-Cache") == "hit" and again.content == first.content
    assert again["Link"] == first["Link"]
    draft = base["draft"]
    draft.status, draft.published_at = Initiative.Status.PUBLISHED, timezone.now()
    draft.save()
    after = client.get("/donnees/initiatives.csv")
    assert after.get("X-Cache") != "hit"
    assert [line.split(";")[0] for line in after.content.decode().splitlines()[1:]] == ["brouillon", "colis", "jardin"]
