"""What a case's derived browse data is made of, read for a chunk of cases at once.

For each case: its facet keys (``BrowseKey``) and its search text in three
strengths, the same on both databases (DESIGN, Search):

- strong: title (also searched alone), theme labels (a finer theme and its root), places (the main
  place and the other places, with everything above them but France);
- medium: summary, actors (names and other names), publics, periods, tags,
  source reports (publisher and title), citation locators (a fiche's title);
- weak: the grid sections and the citation excerpts.

Every related table is read once per chunk, so rebuilding 100,000 cases costs
a few queries per thousand. Every read is ordered: the same case gives the same
text (and the same PostgreSQL word positions) whichever way it was rebuilt.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from taggit.models import TaggedItem

from initiatives.browse.facets import UNSPECIFIED
from initiatives.models import ActorAlias, Citation, Initiative, Involvement
from initiatives.text import search_text, yes_no
from territories.models import Territory, path_prefixes

CASE_FIELDS = (
    "pk",
    "title",
    "summary",
    "status",
    "setting",
    "precision",
    "documentation_level",
    "continued",
    "volunteers",
    "curating_centre__slug",
    "region__code",
    "department__code",
    "territory__path",
)


@dataclass
class CaseData:
    keys: set = field(default_factory=set)  # (facet, value)
    strong: list = field(default_factory=list)
    medium: list = field(default_factory=list)
    weak: list = field(default_factory=list)

    def text(self):
        """The folded words of every field, strongest first (SQLite matches it; PostgreSQL vectors it)."""
        return search_text(*self.strong, *self.medium, *self.weak)

    def strong_text(self):
        return search_text(*self.strong)

    def title_text(self):
        return search_text(self.strong[0], self.medium[0])  # the title and the summary come first


def collect(ids) -> tuple[list, dict]:
    """The rows of the cases ``ids`` that still exist, and case id -> ``CaseData``."""
    sections = [name for name, _ in Initiative.SECTIONS]
    rows = list(Initiative.objects.filter(pk__in=ids).values(*CASE_FIELDS, *sections))
    data = defaultdict(CaseData)
    for row in rows:
        case = data[row["pk"]]
        case.strong.append(row["title"])
        case.medium.append(row["summary"])
        case.weak.extend(row[name] for name in sections)
        if row["status"] == Initiative.Status.PUBLISHED:
            case.keys.update(_own_keys(row))
    _themes(ids, data)
    _classification(ids, data)
    _actors(ids, data)
    _citations(ids, data)
    _places(rows, ids, data)
    return rows, data


def _own_keys(row):
    return {
        ("precision", row["precision"]),
        ("level", row["documentation_level"]),
        ("centre", row["curating_centre__slug"]),
        ("region", row["region__code"]),
        ("department", row["department__code"]),
        ("setting", row["setting"] or None),
        ("continued", yes_no(row["continued"]) or None),  # "oui" / "non": facets.YES / NO
        ("volunteers", yes_no(row["volunteers"]) or None),
    }


def _themes(ids, data):
    """A finer theme gives its root's key and label too: choosing or typing the root finds it."""
    through = Initiative.themes.through.objects.filter(initiative_id__in=ids).order_by("pk")
    for iid, slug, name, parent, parent_name in through.values_list(
        "initiative_id", "theme__slug", "theme__name", "theme__parent__slug", "theme__parent__name"
    ):
        data[iid].keys.add(("theme", slug))
        data[iid].strong.append(name)
        if parent:
            data[iid].keys.add(("theme", parent))
            data[iid].strong.append(parent_name)


def _classification(ids, data):
    """Publics, periods and tags: a facet key and a label each."""
    for facet, relation, target in (("public", "publics", "public"), ("period", "periods", "crisisperiod")):
        through = getattr(Initiative, relation).through.objects.filter(initiative_id__in=ids).order_by("pk")
        for iid, slug, name in through.values_list("initiative_id", f"{target}__slug", f"{target}__name"):
            data[iid].keys.add((facet, slug))
            data[iid].medium.append(name)
    tagged = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Initiative), object_id__in=ids
    ).order_by("pk")
    for iid, slug, name in tagged.values_list("object_id", "tag__slug", "tag__name"):
        data[iid].keys.add(("tag", slug))
        data[iid].medium.append(name)


def _actors(ids, data):
    """Actor kinds (any role, and the carrier's) and categories; names and other names for the text."""
    involvements = list(
        Involvement.objects.filter(initiative_id__in=ids)
        .order_by("pk")
        .values_list("initiative_id", "role", "actor_id", "actor__kind", "actor__category", "actor__name")
    )
    aliases = defaultdict(list)
    for actor_id, name in (
        ActorAlias.objects.filter(actor_id__in={row[2] for row in involvements})
        .order_by("pk")
        .values_list("actor_id", "name")
    ):
        aliases[actor_id].append(name)
    for iid, role, actor_id, kind, category, name in involvements:
        case = data[iid]
        case.keys.add(("actor_kind", kind or UNSPECIFIED))
        if role == Involvement.Role.CARRIER:
            case.keys.add(("carrier_kind", kind or UNSPECIFIED))
        if category:
            case.keys.add(("category", category))
        case.medium.extend([name, *aliases[actor_id]])


def _citations(ids, data):
    """The report each citation comes from (a key, and its name), where in it, and the excerpt."""
    rows = (
        Citation.objects.filter(initiative_id__in=ids)
        .order_by("pk")
        .values_list("initiative_id", "source__slug", "source__publisher", "source__title", "locator", "excerpt")
    )
    named = set()  # (case, source): a report's name once per case
    for iid, slug, publisher, title, locator, excerpt in rows:
        case = data[iid]
        case.keys.add(("source", slug))
        if (iid, slug) not in named:
            named.add((iid, slug))
            case.medium.extend([publisher, title])
        case.medium.append(locator)
        case.weak.append(excerpt)


def _places(rows, ids, data):
    """The région and département of every place a case concerns (its main place and its other
    places: a case counts once in each), and the names of those places and all above them but France."""
    places = defaultdict(list)  # case id -> paths
    for row in rows:
        if row["territory__path"]:
            places[row["pk"]].append(row["territory__path"])
    other = Initiative.other_places.through.objects.filter(initiative_id__in=ids).order_by("pk")
    for iid, kind, code, region, department, path in other.values_list(
        "initiative_id",
        "territory__kind",
        "territory__code",
        "territory__region__code",
        "territory__department__code",
        "territory__path",
    ):
        keys = data[iid].keys
        keys.add(("region", code if kind == Territory.Kind.REGION else region))
        keys.add(("department", code if kind == Territory.Kind.DEPARTMENT else department))
        places[iid].append(path)
    prefixes = {prefix for paths in places.values() for path in paths for prefix in path_prefixes(path)[1:]}
    names = dict(Territory.objects.filter(path__in=prefixes).values_list("path", "name"))
    for iid, paths in places.items():
        ordered = (names.get(p, "") for path in paths for p in reversed(path_prefixes(path)[1:]))
        data[iid].strong.extend(dict.fromkeys(ordered))
