"""Reading and checking the case files of ``fixtures/cases/*.yaml``.

The format is documented in ``fixtures/cases/FORMAT.md``. This module is pure
Python (PyYAML, no Django) so that editors can check a file while they write
it: ``python -m initiatives.casefiles fixtures/cases/*.yaml``. The loader
(``load_demo_data``) refuses files with errors; ``verify_citations`` runs the
same checks against what the database holds.
"""

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from initiatives.casefiles.places import carrier_name_problems, parse_territory, territory_problem, words
from initiatives.casefiles.verbatim import MIN_EXCERPT_WORDS, VerbatimIndex, word_count
from territories.decoupage import read_fixture

ROOT = Path(__file__).resolve().parents[2]  # the repository: initiatives/casefiles/check.py
FIXTURES = ROOT / "fixtures"
CASES_DIR = FIXTURES / "cases"
REFERENCE_DIR = FIXTURES / "reference"
DEFAULT_SEEDS = ROOT.parent / "shared" / "seeds"

DOCUMENTATION_LEVELS = {"listed", "described", "analysed"}
PRECISIONS = {"qpv", "quartier", "commune", "department", "region", "national"}
SETTINGS = {"urbain", "periurbain", "rural"}
KINDS = {"formal", "informal", "institutional"}
ROLES = {"porteur", "partenaire", "financeur", "relais"}
CATEGORIES = {
    "association",
    "centre-social",
    "entreprise",
    "fondation",
    "centre-de-ressources",
    "collectif-habitants",
    "habitant",
    "etat",
    "commune",
    "intercommunalite",
    "departement",
    "region",
    "caf",
    "ccas",
    "etablissement-scolaire",
    "education-nationale",
    "bailleur-social",
    "sante",
    "service-public",
}
SECTIONS = [
    "issues",
    "context",
    "actions",
    "partnerships",
    "obstacles",
    "means",
    "communication",
    "practice_change",
    "impacts",
    "steering",
    "transferability",
    "people_interviewed",
]
FACTS = ["volunteers", "new_publics", "unprecedented_cooperation", "freed_from_rule", "continued"]
KEYS = {
    "slug",
    "title",
    "summary",
    "documentation_level",
    "precision",
    "territory",
    "qpv_code",
    "reporting_centre",
    "setting",
    "periods",
    "start_date",
    "end_date",
    "facts",
    "sections",
    "themes",
    "publics",
    "tags",
    "key_figures",
    "actors",
    "citations",
    "related",
    "other_places",
    "merged_from",
}
PRECISION_OF_KIND = {
    "country": "national",
    "region": "region",
    "department": "department",
    "commune": "commune",
    "qpv": "qpv",
    "quartier": "quartier",
}
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# libyaml's parser when PyYAML was built with it (its wheels are): the same data, ten times faster.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class UnreadableFile(Exception):
    """A fixture file that is not YAML in UTF-8: the message names the file and the line."""


def load_yaml(path: Path):
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.load(fh, Loader=SAFE_LOADER)
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"{path} : le fichier n'est pas en UTF-8 (octet {error.start + 1})") from error
    except yaml.MarkedYAMLError as error:
        where, started = error.problem_mark, error.context_mark
        message = f"{path} : YAML illisible ligne {where.line + 1}, colonne {where.column + 1} : {error.problem}"
        if started is not None:
            message += f" ({error.context}, ligne {started.line + 1})"
        raise UnreadableFile(message) from error
    except yaml.YAMLError as error:
        raise UnreadableFile(f"{path} : YAML illisible : {error}") from error


@dataclass
class Reference:
    """Slugs and codes a case file may point to."""

    themes: set = field(default_factory=set)
    publics: set = field(default_factory=set)
    periods: set = field(default_factory=set)
    sources: dict = field(default_factory=dict)  # slug -> file name
    centres: set = field(default_factory=set)
    territories: set = field(default_factory=set)  # "kind:code"
    communes: tuple = ()  # (INSEE code, name, département code)
    waivers: frozenset = frozenset()  # (folded words of a name, département code) that only resemble a commune

    @classmethod
    def from_fixtures(cls, reference_dir: Path = REFERENCE_DIR):
        ref = cls()
        for root in load_yaml(reference_dir / "themes.yaml"):
            ref.themes.add(root["slug"])
            ref.themes.update(child["slug"] for child in root.get("children", []))
        ref.publics = {p["slug"] for p in load_yaml(reference_dir / "publics.yaml")}
        ref.periods = {p["slug"] for p in load_yaml(reference_dir / "periods.yaml")}
        ref.sources = {s["slug"]: s["file"] for s in load_yaml(reference_dir / "sources.yaml")}
        ref.centres = {c["slug"] for c in load_yaml(reference_dir / "resource_centres.yaml")}
        ref.territories = {"country:FR"}
        rows = list(read_fixture(reference_dir / "territories.csv"))
        ref.territories.update(f"{r['kind']}:{r['code']}" for r in rows)
        ref.communes = tuple(
            (r["code"], r["name"], r["parent_code"])
            for r in rows
            if r["kind"] == "commune" and r["parent_kind"] == "department"
        )
        ref.waivers = frozenset(
            (tuple(words(w["name"])), str(w["department"]))
            for w in load_yaml(reference_dir / "place_name_waivers.yaml") or []
        )
        return ref


def check_case(case, ref: Reference, texts: dict, where: str):
    """The problems of one case, in French, each prefixed by ``where`` (empty when it is sound)."""
    if not isinstance(case, dict):
        return [f"{where} : ce n'est pas une fiche (dictionnaire YAML)"]
    if "extends" in case:
        return check_extension(case, ref, texts, where)
    problems = [
        *_check_identity(case),
        *_check_place(case, ref),
        *_check_classification(case, ref),
        *_check_facts_and_sections(case),
        *_check_actors(case.get("actors") or []),
        *_check_citations(case.get("citations") or [], case.get("documentation_level"), ref, texts),
    ]
    return [f"{where} : {problem}" for problem in problems]


def _check_identity(case):
    unknown = set(case) - KEYS
    if unknown:
        yield f"clés inconnues {sorted(unknown)}"
    slug = case.get("slug") or ""
    if not SLUG_RE.match(slug) or len(slug) > 120:
        yield f"identifiant (slug) invalide {slug!r} : minuscules sans accents, chiffres et tirets"
    if not (case.get("title") or "").strip():
        yield "titre absent"
    level = case.get("documentation_level")
    if not (case.get("summary") or "").strip() and level != "listed":
        yield "résumé absent"
    if level not in DOCUMENTATION_LEVELS:
        yield f"documentation_level {level!r} hors de {sorted(DOCUMENTATION_LEVELS)}"


def _check_place(case, ref):
    precision = case.get("precision")
    if precision not in PRECISIONS:
        yield f"precision {precision!r} hors de {sorted(PRECISIONS)}"
    problem = territory_problem(case.get("territory", ""), ref.territories)
    if problem:
        yield problem
    kind, _, _ = parse_territory(case.get("territory", ""))
    if kind and precision and PRECISION_OF_KIND.get(kind) != precision:
        yield f"la précision {precision!r} ne correspond pas au territoire de type {kind!r}"
    if case.get("reporting_centre") and case["reporting_centre"] not in ref.centres:
        yield f"reporting_centre {case['reporting_centre']!r} inconnu"
    if case.get("setting") and case["setting"] not in SETTINGS:
        yield f"setting {case['setting']!r} hors de {sorted(SETTINGS)}"
    yield from _check_other_places(case, ref)
    yield from carrier_name_problems(case, ref.communes, ref.waivers)


def _check_other_places(case, ref):
    places = case.get("other_places") or []
    if not isinstance(places, list):
        yield "other_places doit être une liste"
        return
    seen = {case.get("territory")}
    for place in places:
        problem = territory_problem(place, ref.territories)
        if problem:
            yield f"other_places : {problem}"
        if place in seen:
            yield f"other_places : {place!r} répète le territoire ou un autre lieu"
        seen.add(place)


def _check_classification(case, ref):
    for key, allowed in (("periods", ref.periods), ("themes", ref.themes), ("publics", ref.publics)):
        values = case.get(key) or []
        if not isinstance(values, list):
            yield f"{key} doit être une liste"
            continue
        for value in values:
            if value not in allowed:
                yield f"{key} : {value!r} inconnu"
    if case.get("documentation_level") != "listed" and not case.get("themes"):
        yield "aucun thème (obligatoire sauf pour un cas simplement listé)"


def _check_facts_and_sections(case):
    for key in ("start_date", "end_date"):
        value = case.get(key)
        if value is not None and not re.match(r"^\d{4}-\d{2}-\d{2}$", str(value)):
            yield f"{key} {value!r} n'est pas au format AAAA-MM-JJ"
    for key, value in (case.get("facts") or {}).items():
        if key not in FACTS:
            yield f"facts : {key!r} inconnu"
        elif value not in (True, False, None):
            yield f"facts : {key} doit valoir true, false ou null"
    for key, value in (case.get("sections") or {}).items():
        if key not in SECTIONS:
            yield f"sections : {key!r} inconnue"
        elif not isinstance(value, str):
            yield f"sections : {key} doit être du texte"


ACTOR_KEYS = {"name", "kind", "category", "role", "unnamed", "territory"}


def _check_actors(actors):
    for i, actor in enumerate(actors):
        if not isinstance(actor, dict) or not (actor.get("name") or "").strip():
            yield f"acteur n° {i + 1} sans nom"
            continue
        name = actor["name"]
        # kind and category may be null: "not established by the text".
        if actor.get("kind") is not None and actor["kind"] not in KINDS:
            yield f"acteur {name!r} : kind {actor.get('kind')!r} hors de {sorted(KINDS)}"
        if actor.get("category") is not None and actor["category"] not in CATEGORIES:
            yield f"acteur {name!r} : category {actor.get('category')!r} inconnue"
        if actor.get("role") not in ROLES:
            yield f"acteur {name!r} : role {actor.get('role')!r} hors de {sorted(ROLES)}"
        extra = set(actor) - ACTOR_KEYS
        if extra:
            yield f"acteur {name!r} : clés inconnues {sorted(extra)}"


def _check_citations(citations, level, ref, texts):
    if not citations:
        yield "aucune citation"
    for i, citation in enumerate(citations):
        source = citation.get("source")
        if source not in ref.sources:
            yield f"citation n° {i + 1} : source {source!r} inconnue"
            continue
        excerpt = citation.get("excerpt") or ""
        if not (citation.get("locator") or "").strip():
            yield f"citation n° {i + 1} : emplacement (locator) absent"
        if level != "listed" and word_count(excerpt) < MIN_EXCERPT_WORDS:
            yield f"citation n° {i + 1} : extrait de moins de {MIN_EXCERPT_WORDS} mots"
        index = texts.get(source)
        if index is not None and not index.contains(excerpt):
            report = ref.sources[source]
            yield f"citation n° {i + 1} : extrait introuvable mot pour mot dans {report} : {excerpt[:80]!r}"


def check_extension(case, ref: Reference, texts: dict, where: str):
    """An entry ``{extends: <slug>, citations: [...], actors: [...], tags: [...]}`` adds to a case of another file.

    Used for Odas Annexe 2, whose lines name the carriers of the nine fiches:
    the annex line becomes one more citation of the fiche, not a second case.
    """
    problems = []
    unknown = set(case) - {"extends", "citations", "actors", "tags"}
    if unknown:
        problems.append(f"clés inconnues {sorted(unknown)} dans un complément (extends)")
    problems += _check_actors(case.get("actors") or [])
    problems += _check_citations(case.get("citations") or [], "listed", ref, texts)
    return [f"{where} : {problem}" for problem in problems]


def load_texts(ref: Reference, seeds_dir: Path):
    texts = {}
    for slug, name in ref.sources.items():
        path = Path(seeds_dir) / name
        if path.exists():
            texts[slug] = VerbatimIndex(path.read_text("utf-8"))
    return texts


def case_files(cases_dir: Path = CASES_DIR):
    return sorted(Path(cases_dir).glob("*.yaml"))


def read_cases(paths):
    """Yield (path, index, case) for every case of the given files."""
    for path in paths:
        data = load_yaml(path) or []
        for i, case in enumerate(data):
            yield path, i, case


def check_files(paths, seeds_dir: Path = DEFAULT_SEEDS, ref: Reference | None = None):
    ref = ref or Reference.from_fixtures()
    texts = load_texts(ref, seeds_dir)
    errors = []
    slugs = {}
    all_cases = list(read_cases(paths))
    every_case = [c for _, _, c in read_cases(case_files())] + [c for _, _, c in all_cases]
    known = {c.get("slug") for c in every_case if isinstance(c, dict)}
    merged = _merged_slugs(every_case)
    for path, i, case in all_cases:
        where = f"{path.name}#{i + 1} ({case.get('slug') if isinstance(case, dict) else '?'})"
        errors.extend(check_case(case, ref, texts, where))
        if isinstance(case, dict):
            errors.extend(f"{where} : {problem}" for problem in _check_links(case, known, merged, slugs, where))
    return errors, len(all_cases)


def _merged_slugs(cases):
    """Slug of a merged case -> the cases that list it in ``merged_from`` (there must be one)."""
    merged = {}
    for case in cases:
        if isinstance(case, dict) and "extends" not in case:
            for old in case.get("merged_from") or []:
                merged.setdefault(old, set()).add(case.get("slug"))
    return merged


def _check_links(case, known, merged, slugs, where):
    """What a case points to: the case it extends, its related cases, the cases merged into it.
    A merged slug only redirects: nothing may use it or point to it."""
    if "extends" in case:
        if case["extends"] in merged:
            yield f"complète {case['extends']!r}, fusionné dans {sorted(merged[case['extends']])}"
        elif case["extends"] not in known:
            yield f"complète un cas inconnu {case['extends']!r}"
        return
    slug = case.get("slug")
    if slug in slugs:
        yield f"identifiant déjà pris par {slugs[slug]}"
    slugs[slug] = where
    if slug in merged:
        yield f"cet identifiant est listé dans merged_from de {sorted(merged[slug])}"
    for old in case.get("merged_from") or []:
        if not SLUG_RE.match(str(old)) or old == slug:
            yield f"merged_from : identifiant {old!r} invalide"
        elif len(merged.get(old, ())) > 1:
            yield f"merged_from : {old!r} est aussi listé par {sorted(merged[old] - {slug})}"
    for rel in case.get("related") or []:
        if rel == slug:
            yield "related : le cas se cite lui-même"
        elif rel in merged:
            yield f"related : {rel!r} a été fusionné dans {sorted(merged[rel])}"
        elif rel not in known:
            yield f"cas lié {rel!r} inconnu"


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    paths = [Path(a) for a in argv] or case_files()
    try:
        errors, count = check_files(paths)
    except UnreadableFile as error:
        print(error)
        return 1
    for line in errors:
        print(line)
    print(f"{count} fiches vérifiées, {len(errors)} problème(s)")
    return 1 if errors else 0
