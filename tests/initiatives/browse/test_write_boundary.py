"""The write boundary of derived browse data (``initiatives.browse.keys``).

A random sequence of real writes (the admin's HTTP endpoints, the services,
the spreadsheet import, the proposal queue, plain ORM writes from a shell)
with a fixed seed; after each one, the derived tables (facet keys, search
documents) and this process's in-memory index must equal a
rebuild from scratch. And a case saved through the admin with its inlines is
rebuilt exactly once.
"""

import random
from io import StringIO

import pytest
import tablib
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from taggit.models import Tag

from initiatives import services
from initiatives.browse import bitsets, keys
from initiatives.models import (
    Actor,
    BrowseKey,
    BrowseVersion,
    Citation,
    Initiative,
    Involvement,
    Proposal,
    SearchDocument,
    Source,
    Theme,
)
from initiatives.proposals.services import accept_proposal
from initiatives.spreadsheet.rows import CaseRows
from initiatives.text import fold_words
from territories.models import ResourceCentre
from tests.html_forms import form_data
from tests.initiatives.browse.browse_data import build_world

pytestmark = pytest.mark.django_db

ROUNDS = 3  # every operation this many times, in a shuffled order


def derived_state():
    state = {
        "keys": set(BrowseKey.objects.values_list("initiative_id", "facet", "value")),
        "documents": set(SearchDocument.objects.values_list("initiative_id", "published", "text", "strong", "title")),
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT initiative_id, vector::text, strong_vector::text, title_vector::text"
                " FROM initiatives_searchdocument"
            )
            state["vectors"] = set(cursor.fetchall())
    return state


def rebuilt_from_scratch():
    """The derived state a full rebuild would give, without keeping it (a savepoint rolled back)."""
    savepoint = transaction.savepoint()
    try:
        keys.rebuild()
        return derived_state()
    finally:
        transaction.savepoint_rollback(savepoint)


def index_state(snapshot):
    return {
        "bits": snapshot.bits,
        "keys_of": {iid: set(k) for iid, k in snapshot.keys_of.items()},
        "sort_keys": snapshot.sort_keys,
        "orders": snapshot.orders,
        "published": snapshot.published,
    }


def assert_derived_data_is_exact(step):
    kept, rebuilt = derived_state(), rebuilt_from_scratch()
    for part in rebuilt:
        assert kept[part] == rebuilt[part], (step, part, sorted(kept[part] ^ rebuilt[part])[:4])
    assert index_state(bitsets.current()) == index_state(bitsets.from_scratch()), step


# --- The writes ---------------------------------------------------------------------------------


def _post_change_form(client, case, edit):
    url = reverse("admin:initiatives_initiative_change", args=[case.pk])
    data = form_data(client.get(url).content.decode(), "initiative_form")
    edit(data)
    data["_save"] = "Enregistrer"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def admin_edit_case(rnd, ctx):
    case = rnd.choice(list(Initiative.objects.all()))
    themes = rnd.sample(list(Theme.objects.all()), rnd.randint(0, 3))
    actor = rnd.choice(list(Actor.objects.named()))

    def edit(data):
        data["title"] = f"{data['title'][:60]} révisé {rnd.randint(1, 999)}"
        data["themes"] = [str(t.pk) for t in themes]
        data["tags"] = rnd.choice(["", "aller-vers", "numérique, entraide"])
        total = int(data["involvements-TOTAL_FORMS"])
        data[f"involvements-{total - 1}-actor"] = str(actor.pk)  # the blank extra row
        data[f"involvements-{total - 1}-role"] = rnd.choice(["porteur", "relais"])
        if total > 1 and rnd.random() < 0.5:
            data["involvements-0-DELETE"] = "on"

    if not case.involvements.filter(actor=actor).exists():
        _post_change_form(ctx["client"], case, edit)


def admin_delete_case(rnd, ctx):
    case = rnd.choice(list(Initiative.objects.all()))
    url = reverse("admin:initiatives_initiative_delete", args=[case.pk])
    assert ctx["client"].post(url, {"post": "yes"}).status_code == 302
    assert not Initiative.objects.filter(pk=case.pk).exists()


def admin_workflow_action(rnd, ctx):
    published = list(Initiative.objects.filter(status="published"))
    chosen = rnd.sample(published, min(len(published), rnd.randint(1, 3)))
    action = rnd.choice(["status_archived", "status_draft"])
    ctx["client"].post(
        reverse("admin:initiatives_initiative_changelist"),
        {"action": action, "_selected_action": [str(c.pk) for c in chosen]},
    )


def admin_rename_theme(rnd, ctx):
    theme = rnd.choice(list(Theme.objects.all()))
    url = reverse("admin:initiatives_theme_change", args=[theme.pk])
    data = form_data(ctx["client"].get(url).content.decode(), "theme_form")
    data["slug"] = f"{theme.slug[:40]}-{rnd.randint(1, 999)}"
    data["_save"] = "Enregistrer"
    assert ctx["client"].post(url, data).status_code == 302


def admin_delete_theme(rnd, ctx):
    leaves = list(Theme.objects.filter(children=None).exclude(initiatives=None))
    if len(leaves) > 3:  # keep some themes to write with
        theme = rnd.choice(leaves)
        url = reverse("admin:initiatives_theme_delete", args=[theme.pk])
        assert ctx["client"].post(url, {"post": "yes"}).status_code == 302
        assert not Theme.objects.filter(pk=theme.pk).exists()


def admin_change_actor(rnd, ctx):
    actor = rnd.choice(list(Actor.objects.named()))
    url = reverse("admin:initiatives_actor_change", args=[actor.pk])
    data = form_data(ctx["client"].get(url).content.decode(), "actor_form")
    data["name"] = f"{actor.name[:40]} {rnd.randint(1, 999)}"
    data["kind"] = rnd.choice(["formal", "informal", "institutional", ""])
    data["_save"] = "Enregistrer"
    assert ctx["client"].post(url, data).status_code == 302


def admin_rename_tag(rnd, ctx):
    tag = Tag.objects.order_by("?").first()
    if tag is None:
        return
    url = reverse("admin:taggit_tag_change", args=[tag.pk])
    data = form_data(ctx["client"].get(url).content.decode(), "tag_form")
    data["slug"] = f"{tag.slug[:30]}-{rnd.randint(1, 999)}"
    data["_save"] = "Enregistrer"
    assert ctx["client"].post(url, data).status_code == 302


def admin_rename_centre(rnd, ctx):
    centre = rnd.choice(list(ResourceCentre.objects.all()))
    url = reverse("admin:territories_resourcecentre_change", args=[centre.pk])
    data = form_data(ctx["client"].get(url).content.decode(), "resourcecentre_form")
    data["slug"] = f"{centre.slug[:30]}-{rnd.randint(1, 999)}"
    data["_save"] = "Enregistrer"
    assert ctx["client"].post(url, data).status_code == 302


def service_change_status(rnd, ctx):
    case = rnd.choice(list(Initiative.objects.exclude(territory=None)))
    to = rnd.choice(sorted(services.TRANSITIONS[Initiative.Status(case.status)]))
    if to == "published" and case.status != "review":
        return
    services.change_status(initiatives=[case], to=to, user=ctx["admin"])


def service_needs_update(rnd, ctx):
    cases = rnd.sample(list(Initiative.objects.all()), 2)
    services.set_needs_update(initiatives=cases, value=rnd.random() < 0.5, user=ctx["admin"])


def spreadsheet_import(rnd, ctx):
    cases = rnd.sample(list(Initiative.objects.select_related("territory")), 2)
    theme = rnd.choice(list(Theme.objects.all()))
    rows = [[c.slug, f"{c.title[:60]} importé", theme.slug, "Acteur importé"] for c in cases]
    rows.append([f"nouveau-{rnd.randint(1, 99999)}", "Un cas importé", theme.slug, "Acteur importé"])
    dataset = tablib.Dataset(*rows, headers=["identifiant", "titre", "themes", "porteurs"])
    dataset.append_col(["described"] * len(rows), header="niveau_documentation")
    result = CaseRows(user=ctx["admin"]).import_data(dataset, dry_run=False, user=ctx["admin"], file_name="t.csv")
    assert not result.has_errors() and not result.has_validation_errors(), [
        (r.number, r.error_dict) for r in result.invalid_rows
    ]


def spreadsheet_preview(rnd, ctx):
    case = rnd.choice(list(Initiative.objects.all()))
    dataset = tablib.Dataset([case.slug, "Titre d'un aperçu jamais enregistré"], headers=["identifiant", "titre"])
    CaseRows(user=ctx["admin"]).import_data(dataset, dry_run=True, user=ctx["admin"], file_name="t.csv")


def proposal_accepted(rnd, ctx):
    theme = rnd.choice(list(Theme.objects.all()))
    proposal = Proposal.objects.create(
        title=f"Proposition {rnd.randint(1, 9999)}",
        description="Une action proposée par une habitante.",
        place=rnd.choice(ctx["places"]),
        contact_email="habitante@example.org",
        centre=ResourceCentre.objects.first(),
        actors=[{"name": "Collectif proposé", "kind": "informal", "role": "porteur"}],
    )
    proposal.themes.set([theme])
    accept_proposal(proposal=proposal, user=ctx["admin"])


def shell_writes(rnd, ctx):
    """Writes outside any boundary, as from a shell: each is rebuilt as it happens."""
    case = rnd.choice(list(Initiative.objects.filter(status="published")))  # whose facet keys show a change
    ctx["shell"] = choice = ctx.get("shell", -1) + 1
    choice %= 7  # every kind of write in turn
    if choice == 0:
        rnd.choice(list(Theme.objects.exclude(initiatives=case))).initiatives.add(case)  # the m2m's other side
    elif choice == 1:
        case.themes.clear()
    elif choice == 2:
        involvement = Involvement.objects.filter(initiative=case).order_by("pk").last()
        if involvement is not None:
            involvement.delete()
    elif choice == 3:
        Citation.objects.filter(initiative=case).delete()
    elif choice == 4:
        case.tags.add(f"shell-{rnd.randint(1, 5)}")
    elif choice == 5:
        actor = Actor.objects.named().exclude(involvements__initiative=case).order_by("pk").first()
        if actor is not None:
            Involvement.objects.create(initiative=case, actor=actor, role="financeur")
    else:
        source = Source.objects.order_by("pk").last()
        Citation.objects.create(initiative=case, source=source, locator="p. 2", excerpt="Un extrait de plus.")


OPERATIONS = [
    admin_edit_case,
    admin_edit_case,
    admin_delete_case,
    admin_workflow_action,
    admin_rename_theme,
    admin_delete_theme,
    admin_change_actor,
    admin_rename_tag,
    admin_rename_centre,
    service_change_status,
    service_needs_update,
    spreadsheet_import,
    spreadsheet_preview,
    proposal_accepted,
    shell_writes,
    shell_writes,
    shell_writes,
]


def test_derived_data_equals_a_rebuild_after_every_write(admin_client, django_user_model):
    base = build_world(seed=11, cases=30)
    rnd = random.Random(2020)
    ctx = {
        "client": admin_client,
        "admin": django_user_model.objects.get(email="admin@example.org"),
        "places": base["communes"],
    }
    bitsets.current()  # this process holds an index from now on, and must follow every write
    assert_derived_data_is_exact("départ")
    sequence = OPERATIONS * ROUNDS
    rnd.shuffle(sequence)
    for step, operation in enumerate(sequence):
        operation(rnd, ctx)
        assert_derived_data_is_exact(f"après l'étape {step} : {operation.__name__}")
    assert Initiative.objects.count() >= 20  # the sequence kept a base to write to


def test_an_admin_save_with_inlines_rebuilds_the_case_once(admin_client):
    build_world(seed=3, cases=8)
    case = Initiative.objects.filter(status="published").first()
    theme = Theme.objects.exclude(initiatives=case).first()
    actor = Actor.objects.named().exclude(involvements__initiative=case).first()
    before = BrowseVersion.objects.get().version

    def edit(data):
        data["title"] = "Un titre neuf"
        data["themes"] = [*(data.get("themes") or []), str(theme.pk)]
        data["tags"] = "nouveau-mot"
        total = int(data["involvements-TOTAL_FORMS"])
        data[f"involvements-{total - 1}-actor"] = str(actor.pk)
        data[f"involvements-{total - 1}-role"] = "partenaire"

    _post_change_form(admin_client, case, edit)
    assert BrowseVersion.objects.get().version == before + 1  # one rebuild for the case, its m2m and inlines
    keys_now = set(BrowseKey.objects.filter(initiative=case).values_list("facet", "value"))
    assert ("theme", theme.slug) in keys_now and ("tag", "nouveau-mot") in keys_now
    assert fold_words(actor.name) in SearchDocument.objects.get(initiative=case).text


def test_a_preview_import_rebuilds_nothing(admin_user):
    build_world(seed=5, cases=5)
    case = Initiative.objects.first()
    before = BrowseVersion.objects.get().version
    dataset = tablib.Dataset([case.slug, "Aperçu"], headers=["identifiant", "titre"])
    CaseRows(user=admin_user).import_data(dataset, dry_run=True, user=admin_user, file_name="t.csv")
    assert BrowseVersion.objects.get().version == before
    assert Initiative.objects.get(pk=case.pk).title == case.title


def test_refresh_browse_index_rebuilds_lost_derived_data_and_shows_progress(random_base):
    expected = derived_state()
    SearchDocument.objects.all().delete()
    BrowseKey.objects.all().delete()
    out = StringIO()
    call_command("refresh_browse_index", stdout=out)
    assert derived_state() == expected
    assert "100 %" in out.getvalue() and "clés de facettes reconstruites" in out.getvalue()


@pytest.mark.parametrize("flatten_after", [1, 2000])
def test_a_layered_map_reads_like_the_dict_it_stands_for(monkeypatch, flatten_after):
    """The index's shared maps (bitsets.Layered): every read agrees with a plain dict after any
    sequence of changes and removals, flattened or not."""
    monkeypatch.setattr(bitsets.Layered, "FLATTEN_AFTER", flatten_after)
    rnd = random.Random(flatten_after)
    plain = {i: (i, "t") for i in range(50)}
    layered = bitsets.Layered(dict(plain))
    for _ in range(30):
        removed = rnd.sample(range(60), 3)
        updates = {i: (i, rnd.random()) for i in rnd.sample(range(60), 4)}
        for i in removed:
            plain.pop(i, None)
        plain.update(updates)
        layered = layered.changed(updates, removed=removed)
        assert dict(layered.items()) == plain and len(layered) == len(plain) and layered == plain
        for i in range(62):
            assert (i in layered) == (i in plain) and layered.get(i, "?") == plain.get(i, "?")
    with pytest.raises(KeyError):
        layered[999]
