"""Who acted with whom in a selection of cases: actor kinds × roles, associations and institutions
together, the questionnaire's "coopération inédite", and the named actors the cases share.

Read from the involvements of the selection's published cases (one query) and the cases' facts (one
query). A count that a list can show links to it, with exactly that count (``selection.Selection``).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from initiatives.browse import bitsets
from initiatives.browse.facets import UNSPECIFIED
from initiatives.models import Actor, Initiative, Involvement
from initiatives.panorama.selection import Selection

# "non établi": the report names the actor without saying what it is (Actor.kind left blank).
KINDS = [*Actor.Kind.choices, ("", "non établi")]
KIND_LABELS = dict(KINDS)
ROLES = Involvement.Role.choices
NETWORK_MIN_CASES = 2  # a named actor joins the network when it appears in this many cases of the selection
# What a page can show: the network's most present actors (a picture of more is unreadable, and at
# 100,000 cases a network without bound made an 84 MB page), and the first cases of a coopération inédite.
NETWORK_MAX_ACTORS = 40
CASES_SHOWN = 50


@dataclass
class Cell:
    cases: int
    involvements: int = 0
    url: str = ""


@dataclass
class KindRow:
    kind: str
    label: str
    cells: list  # one Cell per role, in ROLES order
    total: Cell  # cases with an actor of this kind, any role


@dataclass
class Node:
    actor_id: int
    name: str
    slug: str
    kind: str
    cases: int
    partners: list = field(default_factory=list)  # (Node, shared cases), most shared first

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass
class Cooperation:
    total: int  # cases of the selection
    with_actors: int  # those that name at least one actor
    matrix: list  # KindRow per kind
    role_totals: list  # Cell per role: cases with that role, any kind
    together: list  # (label, Cell): formal and institutional actors in one case
    unprecedented: list  # (label, count): yes / no / not established
    unprecedented_cases: list  # (title, slug) of the first CASES_SHOWN cases where it is "yes", by title
    nodes: list  # the network's actors, most cases first (NETWORK_MAX_ACTORS at most)
    edges: list  # (Node, Node, shared cases)
    network_actors: int = 0  # the named actors in NETWORK_MIN_CASES cases or more (nodes holds the first)

    @property
    def unprecedented_not_shown(self) -> int:
        return dict(self.unprecedented)["oui"] - len(self.unprecedented_cases)


def _involvements(selection: Selection):
    """(case id, role, actor id, kind, unnamed, name, slug) of the selection's published cases."""
    members = bitsets.Membership(selection.bits)
    rows = Involvement.objects.filter(initiative__status=Initiative.Status.PUBLISHED).values_list(
        "initiative_id", "role", "actor_id", "actor__kind", "actor__is_unnamed", "actor__name", "actor__slug"
    )
    return [row for row in rows.order_by("pk").iterator(chunk_size=2000) if row[0] in members]


def matrix(selection: Selection, rows) -> tuple[list, list]:
    """Per kind and role: cases (and involvements); each kind's cases, each role's cases."""
    cases, involvements = defaultdict(set), Counter()
    for case, role, _, kind, *_ in rows:
        for key in ((kind, role), (kind, None), (None, role)):
            cases[key].add(case)
        involvements[(kind, role)] += 1
    table = []
    for kind, label in KINDS:
        key = kind or UNSPECIFIED
        cells = [
            Cell(
                len(cases[(kind, role)]),
                involvements[(kind, role)],
                # The list filters on the carrier's kind ("porteur") and on any actor's kind ("acteur").
                selection.url(carrier_kind=key) if role == Involvement.Role.CARRIER and cases[(kind, role)] else "",
            )
            for role, _ in ROLES
        ]
        n = len(cases[(kind, None)])
        table.append(KindRow(kind, label, cells, Cell(n, url=selection.url(actor_kind=key) if n else "")))
    role_totals = [Cell(len(cases[(None, role)]), sum(involvements[(k, role)] for k, _ in KINDS)) for role, _ in ROLES]
    return table, role_totals


def together(selection: Selection, rows) -> list:
    """Formal actors (associations…) and institutions in the same case: both, one, neither."""
    kinds = defaultdict(set)
    for case, _, _, kind, *_ in rows:
        kinds[case].add(kind)
    formal, institutional = Actor.Kind.FORMAL, Actor.Kind.INSTITUTIONAL
    counts = Counter()
    for found in kinds.values():
        counts[(formal in found, institutional in found)] += 1
    with_formal = counts[(True, True)] + counts[(True, False)]
    with_institutional = counts[(True, True)] + counts[(False, True)]
    return [
        ("un acteur formel et un acteur institutionnel", Cell(counts[(True, True)])),
        ("un acteur formel, aucun institutionnel", Cell(counts[(True, False)])),
        ("un acteur institutionnel, aucun formel", Cell(counts[(False, True)])),
        ("ni l'un ni l'autre (acteurs informels ou non établis seulement)", Cell(counts[(False, False)])),
        ("au moins un acteur formel", Cell(with_formal, url=selection.url(actor_kind=formal) if with_formal else "")),
        (
            "au moins un acteur institutionnel",
            Cell(with_institutional, url=selection.url(actor_kind=institutional) if with_institutional else ""),
        ),
    ]


def unprecedented(selection: Selection) -> tuple[list, list]:
    """The questionnaire's "coopération ou partenariat inédit": yes, no, not established; and the yes cases."""
    members = bitsets.Membership(selection.bits)
    facts = (
        Initiative.objects.published().order_by("title").values_list("pk", "unprecedented_cooperation", "title", "slug")
    )
    counts, cases = Counter(), []
    for pk, fact, title, slug in facts.iterator(chunk_size=2000):
        if pk in members:
            counts[fact] += 1
            if fact and len(cases) < CASES_SHOWN:
                cases.append((title, slug))
    labels = [("oui", counts[True]), ("non", counts[False]), ("non établi", counts[None])]
    return labels, cases


def network(rows) -> tuple[list, list, int]:
    """The NETWORK_MAX_ACTORS named actors in the most cases (at least NETWORK_MIN_CASES; then by name), the
    pairs of them that share cases, and how many named actors are in NETWORK_MIN_CASES cases or more."""
    cases_of, info = defaultdict(set), {}
    for case, _, actor, kind, unnamed, name, slug in rows:
        if not unnamed:
            cases_of[actor].add(case)
            info[actor] = (name, slug, kind)
    qualified = [
        Node(actor, *info[actor][:2], info[actor][2], len(found))
        for actor, found in cases_of.items()
        if len(found) >= NETWORK_MIN_CASES
    ]
    qualified.sort(key=lambda n: (-n.cases, n.name))
    nodes = {node.actor_id: node for node in qualified[:NETWORK_MAX_ACTORS]}
    members = defaultdict(set)  # case -> network actors in it
    for actor in nodes:
        for case in cases_of[actor]:
            members[case].add(actor)
    shared = Counter()
    for found in members.values():
        for pair in combinations(sorted(found), 2):
            shared[pair] += 1
    for (a, b), n in shared.items():
        nodes[a].partners.append((nodes[b], n))
        nodes[b].partners.append((nodes[a], n))
    for node in nodes.values():
        node.partners.sort(key=lambda p: (-p[1], p[0].name))
    pairs = (sorted((nodes[a], nodes[b]), key=lambda n: n.name) + [n] for (a, b), n in shared.items())
    edges = sorted(pairs, key=lambda e: (-e[2], e[0].name, e[1].name))
    return list(nodes.values()), edges, len(qualified)


def cooperation(selection: Selection) -> Cooperation:
    rows = _involvements(selection)
    table, role_totals = matrix(selection, rows)
    facts, yes_cases = unprecedented(selection)
    nodes, edges, network_actors = network(rows)
    return Cooperation(
        total=selection.total,
        with_actors=len({row[0] for row in rows}),
        matrix=table,
        role_totals=role_totals,
        together=together(selection, rows),
        unprecedented=facts,
        unprecedented_cases=yes_cases,
        nodes=nodes,
        edges=edges,
        network_actors=network_actors,
    )
