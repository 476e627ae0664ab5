"""Comparing cases: the selection a reader builds while browsing, and the side-by-side table.

The selection lives in the URL (``cas=<slug>``, repeatable), so it survives
paging, filtering and sharing, and works without JavaScript: each result
carries a link that adds or removes it. Four cases at most (a table wider
than that is no longer read side by side); a fifth is refused with a message,
never dropped silently.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from initiatives.models import Initiative, Involvement
from initiatives.text import yes_no

MAX_CASES = 4
PARAM = "cas"


@dataclass
class Selection:
    slugs: list = field(default_factory=list)  # in the order they were chosen, published cases only
    cases: list = field(default_factory=list)  # the same, as cases (title and territory)
    refused: list = field(default_factory=list)  # slugs beyond the limit

    @property
    def full(self):
        return len(self.slugs) >= MAX_CASES

    def __contains__(self, slug):
        return slug in self.slugs


def selection(params) -> Selection:
    """The cases chosen for comparison in ``params`` (a QueryDict): published ones, four at most."""
    asked = list(dict.fromkeys(s for s in params.getlist(PARAM) if s))[:20]
    if not asked:
        return Selection()
    found = {
        case.slug: case
        for case in Initiative.objects.published()
        .filter(slug__in=asked)
        .select_related("territory")
        .only("slug", "title", "territory__name")
    }
    known = [slug for slug in asked if slug in found]
    return Selection(slugs=known[:MAX_CASES], cases=[found[s] for s in known[:MAX_CASES]], refused=known[MAX_CASES:])


def cases_to_compare(slugs):
    """The published cases of ``slugs`` in that order, with everything the table shows."""
    cases = (
        Initiative.objects.published()
        .filter(slug__in=slugs)
        .select_related("territory", "curating_centre")
        .prefetch_related(
            "themes",
            "publics",
            "periods",
            "key_figures",
            Prefetch("involvements", queryset=Involvement.objects.select_related("actor")),
            "citations__source",
        )
    )
    return sorted(cases, key=lambda case: slugs.index(case.slug))


def _actors(case, carriers):
    return ", ".join(
        v.actor.name if carriers else f"{v.actor.name} ({v.get_role_display()})"
        for v in case.involvements.all()
        if (v.role == Involvement.Role.CARRIER) == carriers
    )


def rows(cases) -> list:
    """(label, [value of each case]) for every field at least one case fills."""
    table = [
        ("Territoire", [str(i.territory) for i in cases]),
        ("Précision", [i.get_precision_display() for i in cases]),
        ("Documentation", [i.get_documentation_level_display() for i in cases]),
        ("Thèmes", [", ".join(t.name for t in i.themes.all()) for i in cases]),
        ("Publics", [", ".join(p.name for p in i.publics.all()) for i in cases]),
        ("Périodes", [", ".join(p.name for p in i.periods.all()) for i in cases]),
        ("Porteurs", [_actors(i, carriers=True) for i in cases]),
        ("Autres acteurs", [_actors(i, carriers=False) for i in cases]),
        ("Résumé", [i.summary for i in cases]),
        *[(label, [getattr(i, name) for i in cases]) for name, label in Initiative.SECTIONS],
        *[(label, [yes_no(getattr(i, name)) for i in cases]) for name, label in Initiative.FACTS],
        ("Chiffres clés", [" ; ".join(k.text for k in i.key_figures.all()) for i in cases]),
        ("Centre de ressources", [i.curating_centre.name if i.curating_centre else "" for i in cases]),
        ("Sources", [" ; ".join(sorted({c.source.publisher for c in i.citations.all()})) for i in cases]),
    ]
    return [(label, values) for label, values in table if any(values)]
