"""Public pages of what the reports learned (/enseignements/) and what they point to (/ressources/)."""

from django.shortcuts import get_object_or_404, render

from initiatives.knowledge import lessons, resources
from initiatives.models import Resource, Source


def lesson_index(request):
    published = list(lessons.published_lessons())
    by_source = {}
    for lesson in published:
        by_source.setdefault(lesson.source, []).append(lesson)
    context = {
        "groups": lessons.by_theme(published),
        "total": len(published),
        "by_source": sorted(by_source.items(), key=lambda item: (item[0].year, item[0].slug)),
        # Reports that state no finding of their own (Résonances: its resources stand for it).
        "sources_without": Source.objects.exclude(pk__in=[s.pk for s in by_source]).order_by("year"),
    }
    return render(request, "knowledge/lessons.html", context)


def lesson_detail(request, slug):
    lesson = get_object_or_404(lessons.published_lessons(), slug=slug)
    context = {
        "lesson": lesson,
        "citations": lesson.citations.all(),
        "themes": lesson.themes.all(),
        "evidence": lessons.evidence(lesson),
    }
    return render(request, "knowledge/lesson.html", context)


def resource_list(request):
    result = resources.browse_resources(request.GET)
    return render(request, "knowledge/resources.html", {"result": result, "filters_count": len(result.active)})


def resource_detail(request, slug):
    resource = get_object_or_404(Resource.objects.published().select_related("source", "publisher_centre"), slug=slug)
    return render(request, "knowledge/resource.html", {"resource": resource, "themes": resource.themes.all()})
