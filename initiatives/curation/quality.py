"""The data-quality report of a curator's centres (admin page "Qualité des données").

Lists, for the centres in scope, the cases that lack a territory, a theme, an
actor or a citation; suspected duplicates (close titles in the same commune);
cases flagged "à mettre à jour"; proposals waiting for more than 30 days.
Archived cases are left out: nobody curates them any more.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from difflib import SequenceMatcher
from itertools import combinations

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from initiatives import permissions
from initiatives.models import Citation, Initiative, Involvement, Proposal
from initiatives.text import normalise_name
from territories.models import ResourceCentre, path_prefixes

# Two titles this close (difflib's ratio on accent-folded words) in one commune are worth a look.
DUPLICATE_RATIO = 0.8
PROPOSAL_WAIT = timedelta(days=30)


@dataclass
class Report:
    centres: list
    all_centres: bool
    chosen: ResourceCentre | None = None
    choices: list = field(default_factory=list)
    missing: dict = field(default_factory=dict)  # label -> cases
    duplicates: list = field(default_factory=list)  # (case, case, ratio)
    needs_update: list = field(default_factory=list)
    stale_proposals: list = field(default_factory=list)
    waiting_by_centre: list = field(default_factory=list)  # (centre, count)

    @property
    def problem_count(self):
        return (
            sum(len(cases) for cases in self.missing.values())
            + len(self.duplicates)
            + len(self.needs_update)
            + len(self.stale_proposals)
        )


def _commune_key(path):
    """The path down to the commune ('/FR/R44/D54/C54395/'), or None above communes."""
    return next((p for p in path_prefixes(path) if p.rstrip("/").rsplit("/", 1)[-1].startswith("C")), None)


def suspected_duplicates(cases):
    """Pairs of cases of one commune whose titles are close, closest first."""
    by_commune = {}
    for case in cases:
        key = _commune_key(case.territory.path if case.territory_id else None)
        if key:
            by_commune.setdefault(key, []).append(case)
    pairs = []
    for group in by_commune.values():
        for a, b in combinations(group, 2):
            ratio = SequenceMatcher(None, normalise_name(a.title), normalise_name(b.title)).ratio()
            if ratio >= DUPLICATE_RATIO:
                pairs.append((a, b, round(ratio * 100)))
    return sorted(pairs, key=lambda p: (-p[2], p[0].title))


def report(*, user, centre_slug=""):
    """What to fix in the centres ``user`` curates (every centre for an administrator, or the one chosen)."""
    admin = permissions.is_admin(user)
    centres = ResourceCentre.objects.order_by("name")
    if not admin:
        centres = centres.filter(pk__in=permissions.centre_ids(user))
    choices = list(centres)
    chosen = next((c for c in choices if c.slug == centre_slug), None) if centre_slug else None
    scope = [chosen] if chosen else choices
    result = Report(centres=scope, all_centres=admin and chosen is None, chosen=chosen, choices=choices)

    cases = Initiative.objects.exclude(status=Initiative.Status.ARCHIVED).select_related("territory", "curating_centre")
    if not result.all_centres:
        cases = cases.filter(curating_centre__in=scope)
    cases = cases.annotate(
        has_theme=Exists(Initiative.themes.through.objects.filter(initiative=OuterRef("pk"))),
        has_actor=Exists(Involvement.objects.filter(initiative=OuterRef("pk"))),
        has_citation=Exists(Citation.objects.filter(initiative=OuterRef("pk"))),
    ).order_by("title")
    cases = list(cases)
    result.missing = {
        "sans territoire": [c for c in cases if c.territory_id is None],
        "sans thème": [c for c in cases if not c.has_theme],
        "sans acteur": [c for c in cases if not c.has_actor],
        "sans citation": [c for c in cases if not c.has_citation],
    }
    result.needs_update = [c for c in cases if c.needs_update]
    result.duplicates = suspected_duplicates(cases)

    proposals = Proposal.objects.filter(status=Proposal.Status.NEW).select_related("centre")
    if not result.all_centres:
        proposals = proposals.filter(centre__in=scope)
    result.stale_proposals = list(
        proposals.filter(created_at__lt=timezone.now() - PROPOSAL_WAIT).order_by("created_at")
    )
    waiting = dict(proposals.values_list("centre").annotate(n=Count("pk")).values_list("centre", "n"))
    result.waiting_by_centre = [(c, waiting.get(c.pk, 0)) for c in (choices if result.all_centres else scope)]
    return result
