"""Bulk import and export of cases through the real admin (test client, real database, no mocks).

Import is two requests: the preview (a dry run: the file is read, every row
checked, nothing written) and the confirmation. Export is the list's button
(current filter) or the list's action (current selection), in the very
columns the import reads.
"""

import csv
import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reversion.models import Version
from taggit.models import Tag

from initiatives.models import Actor, ActorAlias, CrisisPeriod, Initiative, Involvement, Public, Theme
from initiatives.spreadsheet.rows import CaseRows
from initiatives.spreadsheet.sheet import COLUMNS, CaseSheet, documentation_rows
from initiatives.text import FORMULA_TRIGGERS, neutralise_formula, restore_formula
from territories.models import Territory
from tests.factories import (
    ActorFactory,
    CommuneFactory,
    DepartmentFactory,
    InitiativeFactory,
    InvolvementFactory,
    PeriodFactory,
    PublicFactory,
    QpvFactory,
    RegionFactory,
    ResourceCentreFactory,
    ThemeFactory,
    make_curator,
    national_network,
)

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:initiatives_initiative_import")
PROCESS = reverse("admin:initiatives_initiative_process_import")
EXPORT = reverse("admin:initiatives_initiative_export")
CHANGELIST = reverse("admin:initiatives_initiative_changelist")
TEMPLATE_CSV = reverse("admin:initiatives_initiative_import_template")
TEMPLATE_XLSX = reverse("admin:initiatives_initiative_import_template_xlsx")
CSV_FORMAT, XLSX_FORMAT = "0", "1"
IMPORT_DOC = Path(__file__).resolve().parents[3] / "docs" / "import.md"


@pytest.fixture
def sheet_base(django_user_model):
    national_network()
    pays_de_la_loire = RegionFactory(name="Pays de la Loire", code="52")
    grand_est = RegionFactory(name="Grand Est", code="44")
    nantes = CommuneFactory(name="Nantes", code="44109", parent=DepartmentFactory(code="44", parent=pays_de_la_loire))
    nancy = CommuneFactory(name="Nancy", code="54395", parent=DepartmentFactory(code="54", parent=grand_est))
    reso = ResourceCentreFactory(
        name="RésO Villes", short_name="RésO Villes", slug="reso-villes", coverage=[pays_de_la_loire]
    )
    oriv = ResourceCentreFactory(name="ORIV", short_name="ORIV", slug="oriv", coverage=[grand_est])
    root = ThemeFactory(name="Besoins de première nécessité", slug="premiere-necessite")
    ThemeFactory(name="Aide alimentaire", slug="aide-alimentaire", parent=root)
    ThemeFactory(name="Lien social", slug="lien-social")
    PublicFactory(name="Familles", slug="familles")
    PeriodFactory(name="1er confinement", slug="confinement-1")
    ville = ActorFactory(name="Ville de Nantes", slug="ville-de-nantes", kind="institutional", category="commune")
    ActorAlias.objects.create(actor=ville, name="Mairie de Nantes")
    oriv_case = InitiativeFactory(
        title="Cas de l'ORIV", slug="cas-oriv", territory=nancy, curating_centre=oriv, summary="Tel quel."
    )
    admin = django_user_model.objects.create_superuser(email="admin@example.org", password="x")
    curator = make_curator("curatrice@reso-villes.example", [reso])
    return {
        "nantes": nantes,
        "nancy": nancy,
        "reso": reso,
        "oriv": oriv,
        "ville": ville,
        "oriv_case": oriv_case,
        "admin": admin,
        "curator": curator,
    }


def as_user(client, sheet_base, role="admin"):
    client.force_login(sheet_base[role])
    return client


def csv_upload(rows, *, name="cas.csv", delimiter=",", encoding="utf-8", headers=None):
    headers = headers or list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return SimpleUploadedFile(name, out.getvalue().encode(encoding), content_type="text/csv")


def xlsx_upload(rows, *, name="cas.xlsx"):
    book = openpyxl.Workbook()
    sheet = book.active
    headers = list(rows[0])
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def preview(client, upload, file_format=CSV_FORMAT):
    response = client.post(IMPORT, {"import_file": upload, "format": file_format, "resource": "0"})
    assert response.status_code == 200
    return response


def confirm(client, response):
    form = response.context.get("confirm_form")
    assert form is not None, f"the preview did not offer to confirm: {row_errors(response)}"
    data = {name: form.initial[name] for name in ("import_file_name", "original_file_name", "format", "resource")}
    return client.post(PROCESS, data)


def import_file(client, upload, file_format=CSV_FORMAT):
    """Preview then confirm: the final response (a redirect to the list when it worked)."""
    return confirm(client, preview(client, upload, file_format))


def row_errors(response):
    """{spreadsheet line: {column: [messages]}} of the preview."""
    return {row.number + 1: row.error_dict for row in response.context["result"].invalid_rows}


def totals(response):
    result = response.context["result"]
    return {key: result.totals[key] for key in ("new", "update", "skip", "invalid", "error")}


def counts():
    return {
        "cases": Initiative.objects.count(),
        "actors": Actor.objects.count(),
        "involvements": Involvement.objects.count(),
        "territories": Territory.objects.count(),
        "tags": Tag.objects.count(),
        "versions": Version.objects.count(),
    }


def new_case(**cells):
    row = {
        "identifiant": "",
        "titre": "Épicerie solidaire mobile",
        "territoire": "commune:44109",
        "statut": "published",
        "niveau_documentation": "described",
        "themes": "aide-alimentaire",
    }
    row.update(cells)
    return row


def parse_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))


# ---------------------------------------------------------------------------
# Preview


def test_the_preview_reports_each_bad_row_with_its_column_and_problem_and_writes_nothing(client, sheet_base):
    as_user(client, sheet_base)
    before = counts()
    rows = [
        new_case(titre="Une bonne ligne", porteurs="Association inconnue", mots_cles="nouveau-mot"),
        new_case(titre="Territoire inconnu", territoire="commune:99999"),
        new_case(
            titre="Thème et dates",
            themes="aide-alimentaire | pas-un-theme",
            date_debut="2020-05-01",
            date_fin="2020-04-01",
        ),
        new_case(titre="Publié sans lieu", territoire=""),
        new_case(identifiant="Mon Cas", titre="Mauvais identifiant"),
        new_case(titre="Statut inconnu", statut="peut-être", benevoles="beaucoup"),
        new_case(titre="Nouveau archivé", statut="archivé", niveau_documentation=""),
        new_case(identifiant="cas-oriv", titre="Cas de l'ORIV", statut="review"),  # published → review: not a step
        new_case(titre="Centre inconnu", centre_referent="cr-de-nulle-part", territoire="qpv:44109:Nouveau"),
        new_case(identifiant="", titre="Une bonne ligne"),  # the case of line 2 again, found by its title
    ]
    response = preview(client, csv_upload(rows))

    assert response.context.get("confirm_form") is None
    assert row_errors(response) == {
        3: {"territoire": ["« commune:99999 » inconnu"]},
        4: {
            "themes": ["« pas-un-theme » inconnu (identifiant de thème attendu)"],
            "date_fin": ["« 2020-04-01 » précède date_debut (« 2020-05-01 »)"],
        },
        5: {"territoire": ["un territoire est obligatoire pour un cas « publié » (seul un brouillon s'en passe)"]},
        6: {
            "identifiant": [
                "« Mon Cas » n'est pas un identifiant valide (minuscules sans accents, chiffres et tirets, "
                "140 caractères au plus ; par exemple « mon-cas »)"
            ]
        },
        7: {
            "statut": ["« peut-être » n'est pas une valeur permise (draft, review, published, archived)"],
            "benevoles": ["« beaucoup » : oui, non ou vide attendu"],
        },
        8: {
            "niveau_documentation": ["obligatoire pour un nouveau cas (listed, described ou analysed)"],
            "statut": ["un nouveau cas ne peut pas être archivé"],
        },
        9: {"statut": ["un cas « publié » peut passer à : brouillon, archivé ; pas à « en relecture »"]},
        10: {
            "centre_referent": [
                "« cr-de-nulle-part » inconnu (identifiant d'un centre de ressources attendu, ex. « reso-villes »)"
            ]
        },
        11: {"identifiant": ["ce cas figure déjà à la ligne 2 du fichier"]},
    }
    page = response.content.decode()
    assert "9 lignes en erreur : rien n'a été importé" in page
    assert "<strong>territoire</strong> : « commune:99999 » inconnu" in page
    assert "<td>3</td>" in page  # the spreadsheet's line number
    assert counts() == before  # the dry run wrote nothing: no case, actor, tag, QPV or version
    assert Initiative.objects.get(slug="cas-oriv").status == "published"


def test_a_clean_preview_lists_new_rows_and_offers_to_confirm(client, sheet_base):
    as_user(client, sheet_base)
    response = preview(client, csv_upload([new_case(), new_case(titre="Deuxième cas", statut="draft")]))
    assert totals(response) == {"new": 2, "update": 0, "skip": 0, "invalid": 0, "error": 0}
    assert response.context.get("confirm_form") is not None
    page = response.content.decode()
    assert "2 nouveaux cas" in page
    assert "Nouveau" in page and "Épicerie solidaire mobile" in page
    assert Initiative.objects.count() == 1


# ---------------------------------------------------------------------------
# Confirmation


def test_confirming_a_clean_file_creates_the_cases_and_publishes_them_in_the_public_list(client, sheet_base):
    as_user(client, sheet_base)
    rows = [
        new_case(
            identifiant="epicerie-nantes",
            resume="Des colis livrés au pied des immeubles.",
            publics="familles",
            periodes="confinement-1",
            mots_cles="circuit court | livraison",
            porteurs="Centre social de Bellevue",
            partenaires="Mairie de Nantes",  # an alias of "Ville de Nantes"
            financeurs="Ville de Nantes | CAF de Loire-Atlantique",
            benevoles="oui",
            poursuivie_apres_crise="non",
            date_debut="17/03/2020",
            grille_actions="Deux tournées par semaine.\nUne permanence téléphonique.",
        ),
        new_case(
            titre="Veille téléphonique au Breil",
            territoire="qpv:44109:Le Breil",
            statut="draft",
            themes="lien-social",
            porteurs="Deux résidentes du quartier",
        ),
    ]
    response = import_file(client, csv_upload(rows, name="printemps.csv"))

    assert response.status_code == 302 and response.url == CHANGELIST
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Import terminé : 2 cas créé(s), 0 modifié(s), 0 inchangé(s)."
    ]
    case = Initiative.objects.get(slug="epicerie-nantes")
    assert case.territory == sheet_base["nantes"] and case.precision == "commune"
    assert case.curating_centre == sheet_base["reso"]  # chosen automatically: its coverage holds Nantes
    assert case.status == "published" and case.published_at is not None
    assert [t.slug for t in case.themes.all()] == ["aide-alimentaire"]
    assert [p.slug for p in case.publics.all()] == ["familles"]
    assert [p.slug for p in case.periods.all()] == ["confinement-1"]
    assert sorted(case.tags.names()) == ["circuit court", "livraison"]
    assert case.volunteers is True and case.continued is False and case.new_publics is None
    assert case.start_date == datetime.date(2020, 3, 17)
    assert case.actions == "Deux tournées par semaine.\nUne permanence téléphonique."
    roles = sorted((i.role, i.actor.name) for i in case.involvements.select_related("actor"))
    assert roles == [
        ("financeur", "CAF de Loire-Atlantique"),
        ("financeur", "Ville de Nantes"),
        ("partenaire", "Ville de Nantes"),
        ("porteur", "Centre social de Bellevue"),
    ]
    created = Actor.objects.get(name="Centre social de Bellevue")
    assert not created.is_unnamed and created.kind == "" and created.category == ""
    assert Actor.objects.filter(normalised_name="ville nantes").count() == 1  # the alias found the actor

    draft = Initiative.objects.get(title="Veille téléphonique au Breil")
    assert draft.slug == "veille-telephonique-au-breil"
    assert draft.territory.kind == "qpv" and draft.territory.parent == sheet_base["nantes"]

    # History: one revision per row, with who and which file; the admin's recent actions too.
    version = Version.objects.get_for_object(case).get()
    assert version.revision.user == sheet_base["admin"]
    assert version.revision.comment == "Import du fichier printemps.csv, ligne 2"
    assert {v.object_repr for v in Version.objects.get_for_object(case).get().revision.version_set.all()} >= {
        "Épicerie solidaire mobile",
        "Centre social de Bellevue (porteur)",
    }
    entry = LogEntry.objects.get(object_id=str(case.pk))
    assert (
        entry.is_addition()
        and entry.user == sheet_base["admin"]
        and entry.change_message == "Importé depuis un tableur"
    )

    # The browse index was rebuilt after themes and actors were set: the public list finds it by theme.
    public = client.get("/initiatives/?theme=aide-alimentaire").content.decode()
    assert "Épicerie solidaire mobile" in public
    assert "Veille téléphonique" not in client.get("/initiatives/").content.decode()  # a draft stays private
    assert "Épicerie solidaire mobile" in client.get("/initiatives/?q=bellevue").content.decode()


def test_importing_the_same_file_twice_creates_nothing_the_second_time(client, sheet_base):
    as_user(client, sheet_base)
    rows = [
        new_case(porteurs="Centre social de Bellevue", mots_cles="livraison"),  # blank identifiant: found by title
        new_case(identifiant="veille-breil", titre="Veille au Breil", territoire="qpv:44109:Le Breil", statut="draft"),
    ]
    assert import_file(client, csv_upload(rows)).status_code == 302
    after_first = counts()

    again = preview(client, csv_upload(rows))
    assert totals(again) == {"new": 0, "update": 0, "skip": 2, "invalid": 0, "error": 0}
    assert "Inchangé" in again.content.decode()
    response = confirm(client, again)
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == (
        "Import terminé : 0 cas créé(s), 0 modifié(s), 2 inchangé(s)."
    )
    assert counts() == after_first  # no case, actor, QPV, tag or history entry more

    # Case and spacing of an existing keyword do not make a new one.
    same = preview(client, csv_upload([{**rows[0], "mots_cles": " LIVRAISON "}, rows[1]]))
    assert totals(same)["skip"] == 2

    changed = preview(client, csv_upload([{**rows[0], "resume": "Un résumé corrigé."}, rows[1]]))
    assert totals(changed)["update"] == 1 and totals(changed)["skip"] == 1
    assert ("resume", "Un résumé corrigé.") in changed.context["result"].valid_rows()[0].changes


def test_a_file_with_some_columns_changes_only_those(client, sheet_base):
    as_user(client, sheet_base)
    case = sheet_base["oriv_case"]
    case.themes.set(Theme.objects.filter(slug="lien-social"))
    rows = [{"identifiant": "cas-oriv", "titre": "Cas de l'ORIV", "a_mettre_a_jour": "oui"}]
    response = preview(client, csv_upload(rows))
    assert [(row.import_type, row.changes) for row in response.context["result"].valid_rows()] == [
        ("update", [("a_mettre_a_jour", "oui")])
    ]
    confirm(client, response)
    case.refresh_from_db()
    assert case.needs_update is True and case.summary == "Tel quel." and case.status == "published"
    assert [t.slug for t in case.themes.all()] == ["lien-social"]
    # History: the state before the import (the case had none), then the import.
    versions = Version.objects.get_for_object(case).order_by("pk")
    assert [v.revision.comment for v in versions] == [
        "État initial (avant la première modification enregistrée)",
        "Import du fichier cas.csv, ligne 2",
    ]
    assert [v.field_dict["needs_update"] for v in versions] == [False, True]


def test_a_row_that_became_invalid_before_confirmation_cancels_the_whole_file(client, sheet_base):
    as_user(client, sheet_base)
    response = preview(client, csv_upload([new_case(titre="Premier"), new_case(titre="Second", themes="lien-social")]))
    Theme.objects.filter(slug="lien-social").delete()  # someone deletes a theme in between
    final = confirm(client, response)
    assert final.status_code == 200
    assert row_errors(final) == {3: {"themes": ["« lien-social » inconnu (identifiant de thème attendu)"]}}
    assert not Initiative.objects.filter(title="Premier").exists()


def test_an_xlsx_file_is_imported_with_native_dates_and_booleans(client, sheet_base):
    as_user(client, sheet_base)
    rows = [
        {
            "Identifiant": "kits-nancy",
            "Titre": "Kits pédagogiques",
            "Territoire": "department:54",
            "Centre référent": "oriv",
            "Statut": "brouillon",
            "Niveau documentation": "décrit",
            "Date début": datetime.datetime(2020, 3, 20),
            "Bénévoles": True,
            "Thèmes": "lien-social",
        },
        {"Identifiant": None, "Titre": None},  # a blank line left in the sheet
    ]
    response = preview(client, xlsx_upload(rows), XLSX_FORMAT)
    assert totals(response)["new"] == 1, row_errors(response)
    assert confirm(client, response).status_code == 302
    case = Initiative.objects.get(slug="kits-nancy")
    assert case.territory.code == "54" and case.curating_centre == sheet_base["oriv"]
    assert case.status == "draft" and case.documentation_level == "described"
    assert case.start_date == datetime.date(2020, 3, 20) and case.volunteers is True


def test_a_french_excel_csv_in_windows_1252_with_semicolons_is_read(client, sheet_base):
    as_user(client, sheet_base)
    upload = csv_upload(
        [new_case(titre="Épicerie à Nantes", resume="Déjà évoqué « ici ».")], delimiter=";", encoding="cp1252"
    )
    response = preview(client, upload)
    assert totals(response)["new"] == 1, row_errors(response)
    confirm(client, response)
    assert Initiative.objects.get(slug="epicerie-a-nantes").summary == "Déjà évoqué « ici »."


# ---------------------------------------------------------------------------
# Files that cannot be imported: a message on the form, never a 500


@pytest.mark.parametrize(
    ("content", "file_format", "message"),
    [
        (b"", CSV_FORMAT, "vide"),
        (b"identifiant,titre\r\n", CSV_FORMAT, "aucune ligne de cas"),
        (b"nom,lieu\r\nx,y\r\n", CSV_FORMAT, "Colonne(s) obligatoire(s) absente(s) : identifiant, titre"),
        (b"identifiant,titre,theme\r\n,x,y\r\n", CSV_FORMAT, "Colonne(s) inconnue(s) : theme"),
        (b"identifiant,titre,titre\r\n,x,y\r\n", CSV_FORMAT, "Colonne(s) en double : titre"),
        (b'identifiant,titre\r\n,"pas ferm\xc3\xa9\r\n', CSV_FORMAT, None),
        (b"PK\x03\x04\x00\x00binary", CSV_FORMAT, "choisissez le format xlsx"),
        (b"identifiant,titre\r\n,caf\xc3\xa9 \xe0 Nantes\r\n", CSV_FORMAT, "mélange des encodages"),
        (b"identifiant,titre\r\n,x\r\n", XLSX_FORMAT, "ne se lit pas comme un classeur XLSX"),
        (b"identifiant,titre\r\n,a,b,c\r\n", CSV_FORMAT, "dépassent la dernière colonne nommée"),
    ],
)
def test_an_unreadable_file_is_refused_on_the_form_with_the_reason(client, sheet_base, content, file_format, message):
    as_user(client, sheet_base)
    response = client.post(
        IMPORT, {"import_file": SimpleUploadedFile("cas.csv", content), "format": file_format, "resource": "0"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors.get("import_file") or []
    if message is None:  # an unclosed quote runs to the end of the file: read leniently, the row then checked
        assert not errors and response.context["result"].invalid_rows
    else:
        assert any(message in e for e in errors), errors
    assert Initiative.objects.count() == 1


def test_a_huge_file_is_refused_before_being_read(client, sheet_base):
    as_user(client, sheet_base)
    huge = b"identifiant,titre,resume\r\n" + b",titre," + b"x" * (5 * 1024 * 1024) + b"\r\n"
    response = client.post(IMPORT, {"import_file": SimpleUploadedFile("gros.csv", huge), "format": CSV_FORMAT})
    assert response.status_code == 200
    assert "la limite est de 5 Mo" in response.context["form"].errors["import_file"][0]


def test_a_file_with_too_many_rows_is_refused(client, sheet_base):
    as_user(client, sheet_base)
    rows = [{"identifiant": f"cas-{i}", "titre": f"Cas {i}"} for i in range(501)]
    response = client.post(IMPORT, {"import_file": csv_upload(rows), "format": CSV_FORMAT})
    assert "plus de 500 lignes de cas" in response.context["form"].errors["import_file"][0]


def test_the_confirmation_of_an_expired_upload_is_refused_politely(client, sheet_base):
    as_user(client, sheet_base)
    data = {"import_file_name": "disparu", "original_file_name": "cas.csv", "format": CSV_FORMAT, "resource": ""}
    response = client.post(PROCESS, data)
    assert response.status_code == 302 and response.url == IMPORT


# ---------------------------------------------------------------------------
# Export


@pytest.fixture
def cases(sheet_base):
    """Cases shaped as the admin form and the loaders leave them: unnamed actors, line breaks, tags."""
    lien = ThemeFactory(name="Isolement", slug="isolement")
    first = InitiativeFactory(
        title="Épicerie solidaire",
        slug="epicerie-solidaire",
        territory=sheet_base["nantes"],
        curating_centre=sheet_base["reso"],
        actions="Première ligne.\r\nDeuxième ligne.",  # as a browser sends a textarea
        volunteers=True,
        start_date=datetime.date(2020, 3, 17),
    )
    first.themes.set([lien])
    first.tags.set(["aller-vers", "Circuit court"])
    InvolvementFactory(initiative=first, actor=sheet_base["ville"], role="partenaire", note="prête une salle")
    unnamed = Actor.objects.create(name="deux résidentes", slug="epicerie-solidaire--deux-residentes", is_unnamed=True)
    InvolvementFactory(initiative=first, actor=unnamed, role="porteur")
    second = InitiativeFactory(
        title="Masques cousus",
        slug="masques-cousus",
        territory=QpvFactory(name="Le Breil", parent=sheet_base["nantes"]),
        curating_centre=sheet_base["oriv"],  # not the automatic choice: kept as is
        reporting_centre=sheet_base["reso"],
        setting="urbain",
        documentation_level="analysed",
        end_date=datetime.date(2020, 5, 11),
        continued=False,
    )
    second.periods.set(CrisisPeriod.objects.all())
    second.publics.set(Public.objects.all())
    draft = InitiativeFactory(title="=Brouillon", slug="brouillon", territory=None, status="draft")
    return {"first": first, "second": second, "draft": draft}


def test_the_export_of_the_filtered_list_has_the_template_columns_and_reimports_unchanged(client, sheet_base, cases):
    as_user(client, sheet_base)
    response = client.post(EXPORT + "?status__exact=published", {"format": CSV_FORMAT, "resource": "0"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="proximites-cas-')
    rows = parse_csv(response)
    assert rows[0] == list(COLUMNS) == parse_csv(client.get(TEMPLATE_CSV))[0]
    exported = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert set(exported) == {"cas-oriv", "epicerie-solidaire", "masques-cousus"}  # not the draft
    first = exported["epicerie-solidaire"]
    assert first["territoire"] == "commune:44109" and first["centre_referent"] == "reso-villes"
    assert first["porteurs"] == "deux résidentes" and first["partenaires"] == "Ville de Nantes"
    assert first["mots_cles"] == "Circuit court | aller-vers" and first["benevoles"] == "oui"
    assert first["date_debut"] == "2020-03-17" and first["statut"] == "published"
    second = exported["masques-cousus"]
    assert second["territoire"] == "qpv:44109:Le Breil" and second["centre_signalant"] == "reso-villes"
    assert second["centre_referent"] == "oriv" and second["periodes"] == "confinement-1"
    assert second["date_fin"] == "2020-05-11" and second["poursuivie_apres_crise"] == "non"

    before = counts()
    again = preview(client, SimpleUploadedFile("export.csv", response.content))
    assert totals(again) == {"new": 0, "update": 0, "skip": 3, "invalid": 0, "error": 0}, row_errors(again)
    confirm(client, again)
    assert counts() == before
    assert Involvement.objects.get(initiative=cases["first"], role="partenaire").note == "prête une salle"


def test_the_export_of_a_selection_in_xlsx_reimports_unchanged(client, sheet_base, cases):
    as_user(client, sheet_base)
    selected = [cases["first"].pk, cases["draft"].pk]
    form_page = client.post(CHANGELIST, {"action": "export_admin_action", "_selected_action": selected})
    assert form_page.status_code == 200
    assert "Exporter les cas sélectionnés" in client.get(CHANGELIST).content.decode()
    response = client.post(EXPORT, {"format": XLSX_FORMAT, "resource": "0", "export_items": selected})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == list(COLUMNS)
    assert sorted(row[0] for row in rows[1:]) == ["brouillon", "epicerie-solidaire"]
    titles = [row[1] for row in sheet.iter_rows(min_row=2, max_col=2)]
    assert [(c.value, c.data_type) for c in titles if c.value.startswith("=")] == [("=Brouillon", "s")]  # no formula

    before = counts()
    again = preview(client, SimpleUploadedFile("export.xlsx", response.content), XLSX_FORMAT)
    assert totals(again) == {"new": 0, "update": 0, "skip": 2, "invalid": 0, "error": 0}, row_errors(again)
    confirm(client, again)
    assert counts() == before


# ---------------------------------------------------------------------------
# Permissions, row by row


def test_a_curator_cannot_change_another_centres_case_by_import(client, sheet_base):
    as_user(client, sheet_base, "curator")
    oriv_case = sheet_base["oriv_case"]
    untouched = new_case(identifiant="cas-oriv", titre="Cas de l'ORIV", resume="Tel quel.", territoire="commune:54395")
    untouched["themes"] = ""
    rows = [
        {"identifiant": "cas-oriv", "titre": "Cas de l'ORIV, corrigé", "resume": "Tel quel."},
        {"identifiant": "nouveau", "titre": "Chez l'ORIV", "resume": ""},
    ]
    headers = ["identifiant", "titre", "resume", "centre_referent", "niveau_documentation"]
    rows[1].update(centre_referent="oriv", niveau_documentation="listed")
    response = preview(client, csv_upload(rows, headers=headers))
    assert row_errors(response) == {
        2: {
            "identifiant": [
                "le cas « Cas de l'ORIV » est suivi par « ORIV », qui n'est pas l'un de vos centres : "
                "vous ne pouvez pas le modifier (colonnes concernées : titre)"
            ]
        },
        3: {"centre_referent": ["« oriv » n'est pas l'un de vos centres de ressources (vos centres : reso-villes)"]},
    }
    oriv_case.refresh_from_db()
    assert oriv_case.title == "Cas de l'ORIV" and not Initiative.objects.filter(slug="nouveau").exists()

    # A row that leaves another centre's case as it is (a re-imported export) is simply unchanged.
    response = preview(client, csv_upload([untouched, new_case(titre="À moi")]))
    assert totals(response) == {"new": 1, "update": 0, "skip": 1, "invalid": 0, "error": 0}, row_errors(response)


def test_a_curators_new_rows_default_to_their_centre(client, sheet_base):
    as_user(client, sheet_base, "curator")
    # In Nancy the automatic choice would be the ORIV: a curator's blank centre is their own.
    response = import_file(client, csv_upload([new_case(titre="Chez nous", territoire="commune:54395")]))
    assert response.status_code == 302
    case = Initiative.objects.get(title="Chez nous")
    assert case.curating_centre == sheet_base["reso"]
    assert Version.objects.get_for_object(case).get().revision.user == sheet_base["curator"]

    # Their own cases they change freely.
    row = new_case(identifiant=case.slug, titre="Chez nous", territoire="commune:54395", resume="Complété.")
    assert import_file(client, csv_upload([row])).status_code == 302
    case.refresh_from_db()
    assert case.summary == "Complété." and case.curating_centre == sheet_base["reso"]


def test_a_curator_with_several_centres_names_the_centre_of_a_new_case(client, sheet_base):
    sheet_base["curator"].centres.add(sheet_base["oriv"])
    as_user(client, sheet_base, "curator")
    response = preview(client, csv_upload([new_case()]))
    assert row_errors(response) == {
        2: {
            "centre_referent": [
                "obligatoire : vous suivez plusieurs centres (oriv, reso-villes) ; indiquez lequel suit ce cas"
            ]
        }
    }


def test_staff_without_a_centre_cannot_import(client, sheet_base, django_user_model):
    from crpv_site.roles import ensure_curator_group

    user = django_user_model.objects.create_user(email="sans-centre@example.org", password="x", is_staff=True)
    user.groups.add(ensure_curator_group())
    client.force_login(user)
    assert client.get(IMPORT).status_code == 403
    assert client.get(TEMPLATE_CSV).status_code == 403
    assert client.get(EXPORT).status_code == 200  # everyone who sees the cases may export them


# ---------------------------------------------------------------------------
# Template


def test_the_template_downloads_with_the_header_and_an_example_row_that_imports(client, sheet_base):
    as_user(client, sheet_base)
    page = client.get(IMPORT).content.decode()
    assert f'href="{TEMPLATE_CSV}"' in page and f'href="{TEMPLATE_XLSX}"' in page

    response = client.get(TEMPLATE_CSV)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="modele-import-cas.csv"'
    header, example = parse_csv(response)
    assert header == list(COLUMNS)
    assert example == CaseSheet.example_row()

    sheet = openpyxl.load_workbook(io.BytesIO(client.get(TEMPLATE_XLSX).content)).active
    assert [c.value for c in sheet[1]] == list(COLUMNS)

    # The example is a valid row (with the reference data it names).
    preview_page = preview(client, SimpleUploadedFile("modele.csv", response.content))
    assert totals(preview_page)["new"] == 1, row_errors(preview_page)


# ---------------------------------------------------------------------------
# The resource on its own (what the admin pages call)


def test_the_resource_refuses_a_dataset_without_the_required_columns(sheet_base):
    import tablib

    result = CaseRows(user=sheet_base["admin"]).import_data(tablib.Dataset(["x"], headers=["nom"]), dry_run=True)
    assert result.has_errors()
    assert "Colonne(s) obligatoire(s) absente(s) : identifiant, titre" in str(result.base_errors[0].error)


# ---------------------------------------------------------------------------
# docs/import.md: the documented columns are the sheet's columns, with their meaning, format and example.


def _doc_cell(text, code=False):
    text = text.replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
    return f"`{text}`" if code and text else (text or "—")


def test_the_import_documentation_is_the_sheets_own_columns():
    text = IMPORT_DOC.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    expected = [
        "| " + " | ".join([f"`{name}`", *map(_doc_cell, (meaning, fmt, req)), _doc_cell(ex, code=True)]) + " |"
        for name, meaning, fmt, req, ex in documentation_rows()
    ]
    assert rows == expected


@pytest.mark.parametrize("tampered", [{"format": "x"}, {"format": "9"}, {"resource": "7"}, {"format": "-1"}])
def test_a_tampered_confirmation_is_refused_without_a_500(client, sheet_base, tampered):
    as_user(client, sheet_base)
    response = preview(client, csv_upload([{"identifiant": "x", "titre": "Un cas", "niveau_documentation": "listed"}]))
    form = response.context["confirm_form"]
    data = {name: form.initial[name] for name in ("import_file_name", "original_file_name", "format", "resource")}
    response = client.post(PROCESS, {**data, **tampered})
    assert response.status_code == 302 and response["Location"] == IMPORT
    assert "Confirmation d'import invalide" in str(list(get_messages(response.wsgi_request))[-1])
    assert not Initiative.objects.filter(slug="x").exists()


def test_a_preview_rebuilds_nothing_and_a_confirmed_import_rebuilds_once(client, sheet_base):
    from initiatives.models import BrowseChange, BrowseVersion

    as_user(client, sheet_base)
    rows = [
        {"identifiant": f"cas-{i}", "titre": f"Cas {i}", "territoire": "commune:44109", "statut": "draft"}
        | {"niveau_documentation": "listed"}
        for i in range(3)
    ]
    before = BrowseVersion.objects.get().version
    response = preview(client, csv_upload(rows))
    assert BrowseVersion.objects.get().version == before
    confirm(client, response)
    assert BrowseVersion.objects.get().version == before + 1  # one rebuild for the whole file, not one per row
    change = BrowseChange.objects.order_by("-pk").first()
    assert change.initiative_id in set(Initiative.objects.filter(slug__startswith="cas-").values_list("pk", flat=True))


def test_other_places_and_neighbourhoods_import_and_round_trip(client, sheet_base):
    as_user(client, sheet_base)
    rows = [
        {
            "identifiant": "deux-quartiers",
            "titre": "Une action sur deux quartiers",
            "niveau_documentation": "described",
            "territoire": "quartier:44109:Bellevue",
            "autres_lieux": "qpv:44109:Malakoff | commune:54395",
        }
    ]
    assert import_file(client, csv_upload(rows)).status_code == 302
    case = Initiative.objects.get(slug="deux-quartiers")
    assert (case.territory.kind, case.territory.name, case.precision) == ("quartier", "Bellevue", "quartier")
    assert sorted((t.kind, t.name) for t in case.other_places.all()) == [("commune", "Nancy"), ("qpv", "Malakoff")]
    # The export writes what the import reads: re-imported, nothing changes.
    export = parse_csv(client.post(EXPORT, {"format": CSV_FORMAT, "resource": "0"}))
    exported = dict(zip(export[0], next(r for r in export[1:] if r[0] == "deux-quartiers"), strict=True))
    assert exported["autres_lieux"] == "commune:54395 | qpv:44109:Malakoff"  # by place, wider first
    assert totals(preview(client, csv_upload([exported]))) == {
        "new": 0,
        "update": 0,
        "skip": 1,
        "invalid": 0,
        "error": 0,
    }
    # Bellevue named a QPV now: upgraded in place, not duplicated.
    rows[0]["territoire"] = "qpv:44109:Bellevue"
    assert import_file(client, csv_upload(rows)).status_code == 302
    assert Territory.objects.filter(name="Bellevue").count() == 1
    assert Initiative.objects.get(slug="deux-quartiers").territory.kind == "qpv"


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://x";"clic")', "+SUM(1+1)*cmd|' /C calc'!A0", "-2 salles", "@moi", "'déjà", "''", "'", "Titre"],
)
def test_formula_neutralisation_round_trips(value):
    written = neutralise_formula(value)
    assert restore_formula(written) == value
    assert written[0] not in FORMULA_TRIGGERS  # no spreadsheet runs it


def test_the_admin_csv_export_neutralises_formulas_and_reimports_them_unchanged(client, sheet_base, cases):
    """Issue 13: a title "=HYPERLINK(…)" or an actor "+SUM(…)" came out verbatim in the admin CSV."""
    as_user(client, sheet_base)
    case = cases["first"]
    case.title = '=HYPERLINK("http://exemple.test";"clic")'
    case.save()
    # (a "|" inside a name would split it in a list cell: the separator, a limit of its own)
    actor = Actor.objects.create(name="+SUM(1+1)*cmd' /C calc'!A0", slug="formule")
    InvolvementFactory(initiative=case, actor=actor, role="partenaire")
    response = client.post(EXPORT + "?status__exact=published", {"format": CSV_FORMAT, "resource": "0"})
    rows = parse_csv(response)
    row = dict(zip(rows[0], next(r for r in rows if r[0] == case.slug), strict=True))
    assert row["titre"] == "'" + case.title
    assert row["partenaires"].startswith("'+SUM(1+1)")
    assert not any(cell[:1] in FORMULA_TRIGGERS for r in rows for cell in r)
    before = counts()
    again = preview(client, SimpleUploadedFile("export.csv", response.content))
    assert totals(again)["update"] == 0 and totals(again)["invalid"] == 0, row_errors(again)
    confirm(client, again)
    assert counts() == before
    case.refresh_from_db()
    assert case.title == '=HYPERLINK("http://exemple.test";"clic")'


def test_a_reimport_with_reordered_lists_spaces_and_crlf_changes_nothing(client, sheet_base, cases):
    """The README promises that lists ignore order: a spreadsheet that sorted its cells, padded them and
    saved with Windows line endings is the same data (a mutant comparing ordered lists survived)."""
    second = cases["second"]
    second.themes.set(Theme.objects.filter(slug__in=["aide-alimentaire", "lien-social", "isolement"]))
    second.publics.add(PublicFactory(name="Jeunes", slug="jeunes"))
    second.periods.add(PeriodFactory(name="Été 2020", slug="ete-2020"))
    as_user(client, sheet_base)
    rows = parse_csv(client.post(EXPORT + "?status__exact=published", {"format": CSV_FORMAT, "resource": "0"}))
    header, body = rows[0], rows[1:]
    reordered = 0
    for row in body:
        for column in ("themes", "publics", "periodes", "mots_cles"):
            index = header.index(column)
            items = [item.strip() for item in row[index].split("|") if item.strip()]
            if len(items) > 1:
                row[index] = " |  ".join(reversed(items)) + " "
                reordered += 1
    assert reordered >= 4  # themes, publics and periods of the second case, the first case's tags
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows([header, *body])
    upload = SimpleUploadedFile("trie.csv", ("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv")

    before = counts()
    again = preview(client, upload)
    assert totals(again) == {"new": 0, "update": 0, "skip": 3, "invalid": 0, "error": 0}, row_errors(again)
    confirm(client, again)
    assert counts() == before  # no case, actor or tag created, and no new history version
    assert set(second.themes.values_list("slug", flat=True)) == {"aide-alimentaire", "lien-social", "isolement"}
