"""Synthetic initiatives for benchmarks only: never in the real base.

Shape (issue "Public browsing", Performance): 1 to 4 themes, 1 to 5 actors
(about 45 % institutional, 40 % formal, 15 % informal), 2 to 8 KB of French
text, territories skewed like the real cases (their département weights, so
Île-de-France heavy; 5 % regional or national), 1 to 2 periods. The French
text is made of sentences of the real case files, shuffled, so stemming and
search behave as on real cases.

Every synthetic case has a slug starting with ``synth-`` and cites the
source ``synthetique``; the generator refuses to write into a database that
holds any other case, so synthetic data never mixes with the real cases.
"""

import random
import re
from collections import Counter

from django.db import connection, transaction
from django.utils import timezone

from initiatives.browse.keys import rebuild
from initiatives.casefiles.check import case_files, read_cases
from initiatives.models import Actor, Citation, CrisisPeriod, Initiative, Involvement, Public, Source, Theme
from territories.models import ResourceCentre, Territory
from territories.services import choose_curating_centre

PREFIX = "synth-"
SOURCE = "synthetique"
KINDS = [("institutional", 45), ("formal", 40), ("informal", 15)]
CATEGORIES = {
    "institutional": ["commune", "departement", "etat", "caf", "ccas", "etablissement-scolaire", "bailleur-social"],
    "formal": ["association", "centre-social", "entreprise", "fondation"],
    "informal": ["collectif-habitants", "habitant"],
}


class RefusedError(Exception):
    pass


def _sentences():
    sentences = []
    for _, _, case in read_cases(case_files()):
        for text in [case.get("summary") or "", *(case.get("sections") or {}).values()]:
            sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 6]
    return sentences


def _department_weights():
    """Département codes weighted like the real cases (from the case files)."""
    weights = Counter()
    for _, _, case in read_cases(case_files()):
        ref = str(case.get("territory", ""))
        kind, _, rest = ref.partition(":")
        code = rest.split(":")[0]
        if kind in ("commune", "qpv", "arrondissement"):
            weights[code[:3] if code.startswith("97") else code[:2]] += 1
        elif kind == "department":
            weights[code] += 1
    return weights


def existing_real_cases():
    return Initiative.objects.exclude(slug__startswith=PREFIX).count()


def _relations(rnd, created, children, publics, periods, by_kind, source):
    """Themes, publics, periods, 1 to 5 actors and a citation for each new case, as rows to bulk-create."""
    themes, pubs, pers, involvements, citations = [], [], [], [], []
    T, P, Q = Initiative.themes.through, Initiative.publics.through, Initiative.periods.through
    for pk in created:
        chosen = rnd.sample(children, rnd.randint(1, 4))
        chosen_roots = {c.parent_id for c in chosen}
        themes += [T(initiative_id=pk, theme_id=t.pk) for t in chosen]
        themes += [T(initiative_id=pk, theme_id=r) for r in chosen_roots if rnd.random() < 0.5]
        pubs += [P(initiative_id=pk, public_id=p.pk) for p in rnd.sample(publics, rnd.randint(0, 2))]
        pers += [Q(initiative_id=pk, crisisperiod_id=p.pk) for p in rnd.sample(periods[:3], rnd.randint(1, 2))]
        seen = set()
        for i in range(rnd.randint(1, 5)):
            kind = rnd.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
            actor = rnd.choice(by_kind[kind])
            role = "porteur" if i == 0 else rnd.choice(["partenaire", "partenaire", "financeur", "relais"])
            if (actor.pk, role) not in seen:
                seen.add((actor.pk, role))
                involvements.append(Involvement(initiative_id=pk, actor_id=actor.pk, role=role))
        citations.append(
            Citation(
                initiative_id=pk,
                source=source,
                locator="synthétique",
                excerpt="Cas synthétique de banc d'essai.",
            )
        )
    return themes, pubs, pers, involvements, citations


def generate(count: int, *, seed: int = 2020, progress=lambda done, total, label: None) -> int:
    """Add synthetic cases until the base holds ``count`` of them; returns how many were added."""
    if existing_real_cases():
        raise RefusedError(
            "Cette base contient des cas réels : les données synthétiques ne s'écrivent "
            "que dans une base de banc d'essai."
        )
    have = Initiative.objects.filter(slug__startswith=PREFIX).count()
    if have >= count:
        return 0
    rnd = random.Random(seed + have)
    sentences = _sentences()
    source, _ = Source.objects.get_or_create(
        slug=SOURCE, defaults={"publisher": "Banc d'essai", "title": "Données synthétiques", "year": 2020}
    )
    children = list(Theme.objects.filter(parent__isnull=False))
    publics = list(Public.objects.all())
    periods = list(CrisisPeriod.objects.all())
    weights = _department_weights()
    departments = {t.code: t for t in Territory.objects.filter(kind="department", code__in=weights)}
    codes = [c for c in weights if c in departments]
    communes_by_dept = {}
    for commune in (
        Territory.objects.filter(kind="commune", department__code__in=codes)
        .only("pk", "path", "region_id", "department_id", "kind", "department__code")
        .select_related("department")
    ):
        communes_by_dept.setdefault(commune.department.code, []).append(commune)
    regions = list(Territory.objects.filter(kind="region"))
    france = Territory.objects.get(kind="country")
    centres = {}
    national = ResourceCentre.objects.filter(is_national=True).first()

    def place():
        """1 % national, 4 % regional, else a département weighted like the real cases (80 % a commune)."""
        roll = rnd.random()
        if roll < 0.01:
            return france
        if roll < 0.05:
            return rnd.choice(regions)
        code = rnd.choices(codes, weights=[weights[c] for c in codes])[0]
        pool = communes_by_dept.get(code)
        return rnd.choice(pool) if pool and rnd.random() < 0.8 else departments[code]

    def centre_for(territory):
        key = territory.department_id or territory.region_id or 0
        if key not in centres:
            centres[key] = choose_curating_centre(territory=territory) or national
        return centres[key]

    actor_pool = []
    for kind, weight in KINDS:
        for i in range(max(50, count // 20 * weight // 100)):
            actor_pool.append(
                Actor(
                    name=f"{PREFIX}{kind}-{have}-{i}",
                    slug=f"{PREFIX}{kind}-{have}-{i}",
                    kind=kind,
                    category=rnd.choice(CATEGORIES[kind]),
                    normalised_name=f"{PREFIX}{kind}-{have}-{i}",
                )
            )
    Actor.objects.bulk_create(actor_pool, batch_size=2000)
    actor_pool = list(Actor.objects.filter(slug__startswith=f"{PREFIX}").only("pk", "kind"))
    by_kind = {k: [a for a in actor_pool if a.kind == k] for k, _ in KINDS}

    now = timezone.now()
    batch = 2000
    added = 0
    for start in range(have, count, batch):
        size = min(batch, count - start)
        with transaction.atomic():
            objs = []
            for n in range(start, start + size):
                territory = place()
                text = []
                target = rnd.randint(2000, 8000)
                while sum(len(t) for t in text) < target:
                    text.append(rnd.choice(sentences))
                third = len(text) // 3
                initiative = Initiative(
                    slug=f"{PREFIX}{n}",
                    title=" ".join(rnd.choice(sentences).split()[:10]).rstrip(",;:"),
                    summary=" ".join(text[:2]),
                    context=" ".join(text[2:third]),
                    actions=" ".join(text[third : 2 * third]),
                    impacts=" ".join(text[2 * third :]),
                    territory=territory,
                    precision=Initiative.PRECISION_OF_KIND[territory.kind],
                    region_id=territory.pk if territory.kind == "region" else territory.region_id,
                    department_id=territory.pk if territory.kind == "department" else territory.department_id,
                    documentation_level=rnd.choice(["listed", "described", "described", "analysed"]),
                    status="published",
                    published_at=now,
                    curating_centre=centre_for(territory),
                    setting=rnd.choice(["", "urbain", "periurbain", "rural"]),
                    volunteers=rnd.choice([None, True, False]),
                    continued=rnd.choice([None, True, False]),
                )
                objs.append(initiative)
            Initiative.objects.bulk_create(objs, batch_size=500)
            created = list(Initiative.objects.filter(slug__in=[o.slug for o in objs]).values_list("pk", flat=True))
            T, P, Q = Initiative.themes.through, Initiative.publics.through, Initiative.periods.through
            themes, pubs, pers, involvements, citations = _relations(
                rnd, created, children, publics, periods, by_kind, source
            )
            T.objects.bulk_create(themes, batch_size=5000, ignore_conflicts=True)
            P.objects.bulk_create(pubs, batch_size=5000)
            Q.objects.bulk_create(pers, batch_size=5000)
            Involvement.objects.bulk_create(involvements, batch_size=5000)
            Citation.objects.bulk_create(citations, batch_size=5000)
            rebuild(created)  # bulk writes send no signal: the writer's rebuild, as for every write
        added += size
        progress(have + added, count, "cas synthétiques")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return added
