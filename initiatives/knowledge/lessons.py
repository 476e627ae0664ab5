"""The lessons as the public pages show them: by theme, and each with the cases that illustrate it."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Prefetch

from initiatives.models import Actor, Initiative, Involvement, Lesson, LessonEvidence, Theme

OTHER = "Autres enseignements"


@dataclass
class ThemeGroup:
    theme: Theme | None
    lessons: list

    @property
    def label(self):
        return self.theme.name if self.theme else OTHER


def published_lessons():
    return Lesson.objects.published().select_related("source").prefetch_related("themes__parent")


def by_theme(lessons) -> list[ThemeGroup]:
    """Each root theme with the lessons on it or on one of its finer themes (a lesson on two
    themes is under both); the lessons on no theme last. Empty themes are left out."""
    roots = Theme.objects.filter(parent=None).order_by("position", "name")
    groups = {root.pk: ThemeGroup(root, []) for root in roots}  # in the roots' order
    other = ThemeGroup(None, [])
    for lesson in lessons:
        root_ids = {t.parent_id or t.pk for t in lesson.themes.all()}
        for root_id in root_ids:  # each group keeps the lessons' order, whatever order its roots come in
            groups[root_id].lessons.append(lesson)
        if not root_ids:
            other.lessons.append(lesson)
    return [g for g in groups.values() if g.lessons] + ([other] if other.lessons else [])


@dataclass
class Evidence:
    links: list  # LessonEvidence rows of published cases, the report's links first
    by_region: list  # (région name, number of cases), most first
    by_actor_kind: list  # (kind label, number of cases with at least one such actor)
    no_region: int


def evidence(lesson) -> Evidence:
    """The published cases that illustrate ``lesson``, and how they spread over régions and actor kinds."""
    involvements = Prefetch("initiative__involvements", queryset=Involvement.objects.select_related("actor"))
    links = list(
        LessonEvidence.objects.filter(lesson=lesson, initiative__status=Initiative.Status.PUBLISHED)
        .select_related("initiative__territory", "initiative__region")
        .prefetch_related(involvements)
        .order_by("basis", "initiative__title")
    )
    regions = Counter(link.initiative.region.name for link in links if link.initiative.region_id)
    kinds = Counter(
        kind for link in links for kind in {i.actor.kind for i in link.initiative.involvements.all() if i.actor.kind}
    )
    labels = dict(Actor.Kind.choices)
    return Evidence(
        links=links,
        by_region=sorted(regions.items(), key=lambda item: (-item[1], item[0])),
        by_actor_kind=[(labels[k], kinds[k]) for k in Actor.Kind.values if kinds[k]],
        no_region=sum(1 for link in links if not link.initiative.region_id),
    )
