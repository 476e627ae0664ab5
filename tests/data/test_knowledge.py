"""The real lessons and resources (fixtures/knowledge/): loaded, verbatim, linked, shown."""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from initiatives.knowledge.loaders import KnowledgeFileError, load_knowledge
from initiatives.models import Lesson, LessonEvidence, Resource

pytestmark = pytest.mark.django_db

FOUR_REPORTS = ["crpv-2020", "cet-ge-2020", "odas-2022", "anct-cites-educatives-2020"]


def test_at_least_three_lessons_per_report_that_states_findings(demo):
    by_source = demo["lessons"]["by_source"]
    assert sorted(by_source) == sorted(FOUR_REPORTS)
    assert all(by_source[slug] >= 3 for slug in FOUR_REPORTS), by_source
    assert not Lesson.objects.filter(citations__isnull=True).exists()
    assert not Lesson.objects.exclude(status="published").exists()


def test_lessons_are_curated_by_the_centre_of_their_report_or_the_national_network(demo):
    for lesson in Lesson.objects.select_related("source__centre", "curating_centre"):
        expected = lesson.source.centre.slug if lesson.source.centre else "reseau-national-crpv"
        assert lesson.curating_centre.slug == expected, lesson.slug


def test_every_case_link_of_a_report_quotes_the_words_that_make_it(demo):
    links = LessonEvidence.objects.select_related("lesson", "initiative")
    assert links.filter(basis="report").count() == demo["lessons"]["case_links"]["report"] > 0
    assert not links.filter(basis="curator").exists()  # the fixtures carry the reports' links only
    assert not links.filter(excerpt="").exists()


def test_resources_name_their_report_and_publisher_centre(demo):
    assert demo["resources"]["by_source"] == {
        "crpv-2020": Resource.objects.filter(source__slug="crpv-2020").count(),
        "resonances-2021": Resource.objects.filter(source__slug="resonances-2021").count(),
    }
    assert Resource.objects.filter(source__slug="resonances-2021").count() >= 10
    assert Resource.objects.filter(publisher_centre__slug="pole-ressources-ville-developpement-social").exists()


@pytest.mark.skipif(not settings.SEEDS_DIR.is_dir(), reason="../shared/seeds absent : textes des rapports introuvables")
def test_a_changed_excerpt_is_refused_before_anything_is_written(demo, tmp_path):
    lessons = (settings.BASE_DIR / "fixtures" / "knowledge" / "lessons.yaml").read_text("utf-8")
    first = re.search(r'excerpt: "([^"]{20,})"', lessons).group(1)
    (tmp_path / "lessons.yaml").write_text(lessons.replace(first, first + " et rien d'autre", 1), "utf-8")
    before = Lesson.objects.count()
    with pytest.raises(KnowledgeFileError, match="introuvable mot pour mot"):
        load_knowledge(directory=tmp_path)
    assert Lesson.objects.count() == before


def test_pages_render_on_the_real_base(demo, client):
    html = client.get(reverse("knowledge:lessons")).content.decode()
    assert html.count("<h1>") == 1
    assert f"<strong>{sum(demo['lessons']['by_source'].values())}</strong> enseignements" in html
    linked = LessonEvidence.objects.select_related("lesson", "initiative").first()
    page = client.get(linked.lesson.get_absolute_url()).content.decode()
    assert linked.initiative.get_absolute_url() in page
    assert linked.lesson.get_absolute_url() in client.get(linked.initiative.get_absolute_url()).content.decode()
    resources = client.get(reverse("knowledge:resources")).content.decode()
    assert f"<strong>{Resource.objects.count()}</strong> ressources" in resources
    centre = client.get(reverse("browse:centre", args=["pole-ressources-ville-developpement-social"]))
    assert "Ses publications citées par les rapports" in centre.content.decode()


def test_verify_citations_checks_the_lessons_and_resources(demo):
    out = StringIO()
    call_command("verify_citations", "--sources", str(settings.SEEDS_DIR), stdout=out)
    checked = int(re.search(r"(\d+) extraits d'enseignements et de ressources vérifiés", out.getvalue()).group(1))
    assert checked == (
        sum(lesson.citations.count() for lesson in Lesson.objects.all())
        + LessonEvidence.objects.exclude(excerpt="").count()
        + Resource.objects.count()
    )
