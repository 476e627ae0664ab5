"""Curating lessons and resources through the real admin: the centre's scope, the workflow, the history."""

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from initiatives.models import Initiative, Lesson, LessonEvidence, Resource
from tests.factories import make_curator
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


def change_url(record):
    return reverse(f"admin:initiatives_{record._meta.model_name}_change", args=[record.pk])


@pytest.fixture
def users(knowledge_base, django_user_model):
    return {
        "admin": django_user_model.objects.create_superuser(email="admin@example.org", password="x"),
        "north": make_curator("curatrice@irev.example", [knowledge_base.centres["north"]]),
        "national": make_curator("curateur@reseau.example", [knowledge_base.centres["national"]]),
    }


def edit(client, user, record, form_id, **changes):
    """Read the change form as ``user`` sees it (or as an administrator, for a refused user), change it, post it."""
    client.force_login(user)
    page = client.get(change_url(record))
    if b'name="_save"' not in page.content:
        client.force_login(type(user).objects.get(email="admin@example.org"))
        page = client.get(change_url(record))
        client.force_login(user)
    data = form_data(page.content.decode(), form_id)
    data.update(changes)
    return client.post(change_url(record), data)


def test_a_curator_edits_the_resources_of_their_centre_only(client, knowledge_base, users):
    guide, note = knowledge_base.resources["guide"], knowledge_base.resources["note"]
    response = edit(client, users["north"], guide, "resource_form", title="Guide revu")
    assert response.status_code == 302, response.content.decode()[-2000:]
    guide.refresh_from_db()
    assert guide.title == "Guide revu"
    response = edit(client, users["north"], note, "resource_form", title="Note détournée")
    assert response.status_code == 403
    note.refresh_from_db()
    assert note.title == "Note sur la crise"


def test_the_national_network_curates_the_lessons_of_national_reports(client, knowledge_base, users):
    lesson = knowledge_base.lessons["coop"]
    refused = edit(client, users["north"], lesson, "lesson_form", statement="Changé par IREV")
    assert refused.status_code == 403
    accepted = edit(client, users["national"], lesson, "lesson_form", statement="Coopérer, d'abord")
    assert accepted.status_code == 302
    lesson.refresh_from_db()
    assert lesson.statement == "Coopérer, d'abord"
    # The history holds the report's wording (a first version, made before the change) and the change.
    versions = Version.objects.get_for_object(lesson).order_by("pk")
    assert [v.field_dict["statement"] for v in versions] == ["Énoncé cooperer", "Coopérer, d'abord"]
    assert versions[0].revision.comment == "État initial (avant la première modification enregistrée)"


def test_the_status_moves_only_as_the_workflow_allows(client, knowledge_base, users):
    lesson = knowledge_base.lessons["hidden"]  # a draft
    response = edit(client, users["national"], lesson, "lesson_form", status="published")
    assert response.status_code == 200
    assert "Une fiche « brouillon » peut passer à : en relecture ; pas à « publié »." in response.content.decode()
    lesson.refresh_from_db()
    assert lesson.status == Initiative.Status.DRAFT and lesson.published_at is None
    for step in ("review", "published"):
        assert edit(client, users["national"], lesson, "lesson_form", status=step).status_code == 302
    lesson.refresh_from_db()
    assert lesson.status == Initiative.Status.PUBLISHED and lesson.published_at is not None


def test_publish_action_refuses_a_draft_and_publishes_a_reviewed_one(client, knowledge_base, users):
    draft = knowledge_base.resources["draft"]
    client.force_login(users["north"])
    url = reverse("admin:initiatives_resource_changelist")
    refused = client.post(url, {"action": "status_published", "_selected_action": [draft.pk]}, follow=True)
    assert (
        "Rien n&#x27;a changé. « Guide en préparation » : une fiche « brouillon » peut passer à : en relecture ; "
        "pas à « publié »."
    ) in refused.content.decode()
    draft.refresh_from_db()
    assert draft.status == Initiative.Status.DRAFT
    client.post(url, {"action": "status_review", "_selected_action": [draft.pk]})
    client.post(url, {"action": "status_published", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Initiative.Status.PUBLISHED
    note = knowledge_base.resources["note"]
    response = client.post(url, {"action": "status_archived", "_selected_action": [note.pk]})
    assert response.status_code == 403
    assert Resource.objects.get(pk=note.pk).status == Initiative.Status.PUBLISHED


def test_a_case_linked_in_the_admin_is_marked_as_a_curators_link(client, knowledge_base, users):
    lesson = knowledge_base.lessons["coop"]
    client.force_login(users["national"])
    data = form_data(client.get(change_url(lesson)).content.decode(), "lesson_form")
    data.update(
        {
            "evidence-TOTAL_FORMS": "1",
            "evidence-0-initiative": str(knowledge_base.cases["toulouse"].pk),
            "evidence-0-basis": "report",  # crafted: the field is read-only
            "evidence-0-excerpt": "",
            "evidence-0-lesson": str(lesson.pk),
        }
    )
    response = client.post(change_url(lesson), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    link = LessonEvidence.objects.get(lesson=lesson)
    assert link.initiative == knowledge_base.cases["toulouse"]
    assert link.basis == LessonEvidence.Basis.CURATOR


def test_a_curator_adds_a_lesson_for_their_centre_not_anothers(client, knowledge_base, users):
    client.force_login(users["north"])
    url = reverse("admin:initiatives_lesson_add")
    data = form_data(client.get(url).content.decode(), "lesson_form")
    data.update(
        {
            "statement": "Un constat du centre",
            "slug": "constat-irev",
            "kind": "finding",
            "source": str(knowledge_base.sources["crpv"].pk),
            "curating_centre": str(knowledge_base.centres["south"].pk),
        }
    )
    assert client.post(url, data).status_code == 200  # not a choice the curator is offered
    assert not Lesson.objects.filter(slug="constat-irev").exists()
    data["curating_centre"] = str(knowledge_base.centres["north"].pk)
    assert client.post(url, data).status_code == 302
    assert Lesson.objects.get(slug="constat-irev").curating_centre == knowledge_base.centres["north"]


# The history: every earlier state kept, restores and recoveries under the cases' rules.


def test_each_record_of_a_workflow_action_gets_a_first_version_and_its_own_revision(client, knowledge_base, users):
    guide, survey = knowledge_base.resources["guide"], knowledge_base.resources["survey"]
    client.force_login(users["north"])
    url = reverse("admin:initiatives_resource_changelist")
    client.post(url, {"action": "status_archived", "_selected_action": [guide.pk, survey.pk]})
    revisions = set()
    for record in (guide, survey):
        versions = Version.objects.get_for_object(record).order_by("pk")
        assert [v.field_dict["status"] for v in versions] == ["published", "archived"]
        assert [v.revision.comment for v in versions] == [
            "État initial (avant la première modification enregistrée)",
            "Statut : archivé",
        ]
        assert versions[1].revision.user == users["north"]
        assert versions[1].revision.version_set.count() == 1  # restoring one never reverts the other
        revisions.add(versions[1].revision_id)
    assert len(revisions) == 2


def _two_versions(record, **changes):
    """A first version of ``record`` as it is, then one after ``changes``; returns the first."""
    with reversion.create_revision():
        record.save()
    first = Version.objects.get_for_object(record).get()
    for field, value in changes.items():
        setattr(record, field, value)
    with reversion.create_revision():
        record.save()
    return first


def test_a_curator_may_not_restore_a_record_moved_out_of_their_centre(client, knowledge_base, users):
    guide = knowledge_base.resources["guide"]  # the north centre's…
    first = _two_versions(guide, curating_centre=knowledge_base.centres["national"], title="Guide national")
    url = reverse("admin:initiatives_resource_revision", args=[guide.pk, first.pk])
    client.force_login(users["admin"])
    data = form_data(client.get(url).content.decode(), "resource_form")
    client.force_login(users["north"])  # …which the national network curates now
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    guide.refresh_from_db()
    assert (guide.title, guide.curating_centre) == ("Guide national", knowledge_base.centres["national"])


def test_restoring_an_old_draft_keeps_the_status_and_the_first_publication_date(client, knowledge_base, users):
    draft = knowledge_base.resources["draft"]
    first = _two_versions(draft, status="review", title="Guide relu")
    draft.status = "published"
    draft.save()
    published_at = draft.published_at
    url = reverse("admin:initiatives_resource_revision", args=[draft.pk, first.pk])
    client.force_login(users["north"])
    page = client.get(url).content.decode()
    data = form_data(page, "resource_form")
    assert data["status"] == "published"  # the record's status, not the version's
    assert "<strong>Le statut reste « publié »</strong> : la restauration ne publie ni ne dépublie la fiche." in page
    assert client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.status, draft.published_at) == ("Guide en préparation", "published", published_at)


def test_a_deleted_record_is_recovered_by_its_centre_only(client, knowledge_base, users, django_user_model):
    guide = knowledge_base.resources["guide"]
    client.force_login(users["north"])
    delete = reverse("admin:initiatives_resource_delete", args=[guide.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Resource.objects.filter(pk=guide.pk).exists()
    version = Version.objects.get_deleted(Resource).get(object_id=str(guide.pk))  # kept before the deletion
    recover = reverse("admin:initiatives_resource_recover", args=[version.pk])
    client.force_login(users["north"])
    data = form_data(client.get(recover).content.decode(), "resource_form")
    client.force_login(users["national"])
    assert client.get(recover).status_code == 403
    assert client.post(recover, data).status_code == 403
    client.force_login(users["north"])
    assert client.post(recover, data).status_code == 302
    assert Resource.objects.get(pk=guide.pk).title == "Guide de l'aide alimentaire"
