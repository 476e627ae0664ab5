"""Loading the editorial reference lists and the case files into the database.

Everything is keyed by natural keys (slugs, INSEE codes, normalised actor
names), so loading twice changes no count: rows are updated in place, and the
rows that hang off a case (involvements, citations, key figures) are replaced
by the file's version. Case files are checked first (``initiatives.casefiles``)
and a file with errors is refused whole, before anything is written.
"""

from pathlib import Path

from django.utils.text import slugify

from initiatives.browse.keys import touch, writing
from initiatives.casefiles.check import REFERENCE_DIR, Reference, case_files, check_files, load_yaml
from initiatives.casefiles.places import NEIGHBOURHOOD_KINDS, parse_territory
from initiatives.models import (
    Actor,
    ActorAlias,
    Citation,
    CrisisPeriod,
    FormerSlug,
    Initiative,
    Involvement,
    KeyFigure,
    Public,
    Source,
    Theme,
)
from initiatives.services import named_actor
from initiatives.text import normalise_name
from territories.loaders import territory_by_reference
from territories.models import ResourceCentre
from territories.services import get_or_create_neighbourhood


class CaseFileError(Exception):
    def __init__(self, errors):
        self.errors = errors
        super().__init__(f"{len(errors)} problème(s) dans les fichiers de cas :\n" + "\n".join(errors[:50]))


def _noop(*args, **kwargs):
    pass


@writing()
def load_reference_data(reference_dir: Path = REFERENCE_DIR) -> dict:
    """Themes (two levels), publics, crisis periods, sources and actor aliases."""
    for i, root in enumerate(load_yaml(reference_dir / "themes.yaml")):
        parent, _ = Theme.objects.update_or_create(
            slug=root["slug"], defaults={"name": root["name"], "parent": None, "position": i}
        )
        for j, child in enumerate(root.get("children", [])):
            Theme.objects.update_or_create(
                slug=child["slug"], defaults={"name": child["name"], "parent": parent, "position": j}
            )
    for i, item in enumerate(load_yaml(reference_dir / "publics.yaml")):
        Public.objects.update_or_create(slug=item["slug"], defaults={"name": item["name"], "position": i})
    for i, item in enumerate(load_yaml(reference_dir / "periods.yaml")):
        CrisisPeriod.objects.update_or_create(
            slug=item["slug"],
            defaults={"name": item["name"], "start": item["start"], "end": item.get("end"), "position": i},
        )
    for item in load_yaml(reference_dir / "sources.yaml"):
        Source.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "publisher": item["publisher"],
                "title": item["title"],
                "year": item["year"],
                "date_label": item.get("date_label", ""),
                "url": item.get("url") or "",
                "file_name": item["file"],
                "descriptive_title": bool(item.get("descriptive_title", False)),
                "scope": " ".join((item.get("scope") or "").split()),
                "method": " ".join((item.get("method") or "").split()),
                "centre": ResourceCentre.objects.filter(slug=item["centre"]).first() if item.get("centre") else None,
            },
        )
    aliases_path = reference_dir / "actor_aliases.yaml"
    for item in load_yaml(aliases_path) or [] if aliases_path.exists() else []:
        actor = named_actor(item["name"], kind=item.get("kind") or "", category=item.get("category") or "")
        for alias in item.get("aliases", []):
            ActorAlias.objects.update_or_create(
                normalised_name=normalise_name(alias), defaults={"actor": actor, "name": alias}
            )
    return {
        "themes": Theme.objects.count(),
        "publics": Public.objects.count(),
        "periods": CrisisPeriod.objects.count(),
        "sources": Source.objects.count(),
    }


def _unnamed_actor(name, kind, category, initiative):
    slug = f"{initiative.slug}--{slugify(name)}"[:250]
    actor, _ = Actor.objects.update_or_create(
        slug=slug, defaults={"name": name, "kind": kind, "category": category, "is_unnamed": True}
    )
    return actor


def _territory(reference, qpv_code=None):
    """The territory of a reference; a neighbourhood (``qpv:`` or ``quartier:``) is created on first mention."""
    kind, code, name = parse_territory(reference)
    if kind in NEIGHBOURHOOD_KINDS:
        return get_or_create_neighbourhood(
            commune=territory_by_reference(f"commune:{code}"),
            name=name,
            kind=kind,
            code=qpv_code if kind == "qpv" else None,
            source="cité par un rapport",
        )
    return territory_by_reference(reference)


def _merge_former(initiative, slugs):
    """Cases merged into ``initiative``: gone (their citations are on it now), their addresses redirect to it."""
    Initiative.objects.filter(slug__in=slugs).exclude(pk=initiative.pk).delete()
    for slug in slugs:
        FormerSlug.objects.update_or_create(slug=slug, defaults={"initiative": initiative})


def _apply_case(case, lookups):
    facts = case.get("facts") or {}
    sections = case.get("sections") or {}
    defaults = {
        "title": case["title"].strip(),
        "summary": (case.get("summary") or "").strip(),
        "documentation_level": case["documentation_level"],
        "territory": _territory(case["territory"], case.get("qpv_code")),
        "setting": case.get("setting") or "",
        "start_date": case.get("start_date"),
        "end_date": case.get("end_date"),
        "reporting_centre": lookups["centres"].get(case.get("reporting_centre")),
        "status": Initiative.Status.PUBLISHED,
        **{field: (sections.get(field) or "").strip() for field, _ in Initiative.SECTIONS},
        **{field: facts.get(field) for field, _ in Initiative.FACTS},
    }
    initiative = Initiative.objects.filter(slug=case["slug"]).first()
    if initiative is None:
        initiative = Initiative(slug=case["slug"])
    for field, value in defaults.items():
        setattr(initiative, field, value)
    initiative.curating_centre = None  # recomputed from the reporting centre or coverage in save()
    initiative.save()
    initiative.themes.set([lookups["themes"][s] for s in case.get("themes") or []])
    initiative.publics.set([lookups["publics"][s] for s in case.get("publics") or []])
    initiative.periods.set([lookups["periods"][s] for s in case.get("periods") or []])
    initiative.tags.set(case.get("tags") or [], clear=True)
    initiative.other_places.set([_territory(reference) for reference in case.get("other_places") or []])
    _merge_former(initiative, case.get("merged_from") or [])
    initiative.key_figures.all().delete()
    KeyFigure.objects.bulk_create(
        [
            KeyFigure(initiative=initiative, text=text, position=i)
            for i, text in enumerate(case.get("key_figures") or [])
        ]
    )
    initiative.involvements.all().delete()
    initiative.citations.all().delete()
    _add_actors_and_citations(initiative, case, lookups)
    return initiative


def _add_actors_and_citations(initiative, case, lookups):
    seen = set(initiative.involvements.values_list("actor_id", "role"))
    for actor_data in case.get("actors") or []:
        name = actor_data["name"].strip()
        kind, category = actor_data.get("kind") or "", actor_data.get("category") or ""
        if actor_data.get("unnamed"):
            actor = _unnamed_actor(name, kind, category, initiative)
        else:
            actor = named_actor(name, kind=kind, category=category)
        if (actor.pk, actor_data["role"]) not in seen:
            Involvement.objects.create(initiative=initiative, actor=actor, role=actor_data["role"])
            seen.add((actor.pk, actor_data["role"]))
    start = initiative.citations.count()
    Citation.objects.bulk_create(
        [
            Citation(
                initiative=initiative,
                source=lookups["sources"][c["source"]],
                locator=c["locator"].strip(),
                excerpt=" ".join(c["excerpt"].split()),
                position=start + i,
            )
            for i, c in enumerate(case.get("citations") or [])
        ]
    )
    touch([initiative.pk])  # citations are bulk-created: no signal reports them


@writing()
def load_cases(*, paths=None, seeds_dir=None, progress=_noop) -> dict:
    """Load every case file (published). Refuses everything if any file has a problem."""
    paths = list(paths) if paths is not None else case_files()
    kwargs = {"seeds_dir": seeds_dir} if seeds_dir is not None else {}
    errors, _ = check_files(paths, ref=Reference.from_fixtures(), **kwargs)
    if errors:
        raise CaseFileError(errors)
    lookups = {
        "themes": {t.slug: t for t in Theme.objects.all()},
        "publics": {p.slug: p for p in Public.objects.all()},
        "periods": {p.slug: p for p in CrisisPeriod.objects.all()},
        "sources": {s.slug: s for s in Source.objects.all()},
        "centres": {c.slug: c for c in ResourceCentre.objects.all()},
    }
    entries = [(path, case) for path in paths for case in (load_yaml(path) or [])]
    cases = [c for _, c in entries if "extends" not in c]
    extensions = [c for _, c in entries if "extends" in c]
    total = len(entries)
    by_slug = {}
    for i, case in enumerate(cases, 1):
        by_slug[case["slug"]] = _apply_case(case, lookups)
        progress(i, total, "cas")
    for i, ext in enumerate(extensions, len(cases) + 1):
        initiative = by_slug.get(ext["extends"]) or Initiative.objects.get(slug=ext["extends"])
        _add_actors_and_citations(initiative, ext, lookups)
        if ext.get("tags"):
            initiative.tags.add(*ext["tags"])
        progress(i, total, "compléments")
    for case in cases:
        related = [by_slug.get(s) or Initiative.objects.get(slug=s) for s in case.get("related") or []]
        if related:  # the reports' related cases are related both ways (links are one-way in the model)
            this = by_slug[case["slug"]]
            this.related.add(*related)
            for other in related:
                other.related.add(this)
    return {"cases": len(cases), "extensions": len(extensions)}
