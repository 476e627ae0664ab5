"""Checks of a case's place against what its text states (fixtures/cases/FORMAT.md, "Territories").

- A territory reference: ``country:FR``, ``region:<code>``, ``department:<code>``,
  ``commune:<code>`` (arrondissements too: one rule, never ``arrondissement:``),
  and a neighbourhood of a commune, ``qpv:<commune>:<name>`` or ``quartier:<commune>:<name>``.
- The one exception to "nothing is inferred": a case filed under a département whose
  carrier's own name states a town of that département ("CCAS de Beausoleil (06)") belongs
  in that town. ``carrier_name_problems`` flags such cases, unless the name merely resembles
  a commune (``fixtures/reference/place_name_waivers.yaml``: Pas-de-Calais is not Calais).

Pure Python, like the rest of the checker.
"""

import re
import unicodedata
from functools import cache

NEIGHBOURHOOD_KINDS = {"qpv", "quartier"}


def parse_territory(ref: str):
    """Split a territory reference into (kind, code, neighbourhood name or None)."""
    parts = str(ref).split(":", 2)
    if parts[0] in NEIGHBOURHOOD_KINDS and len(parts) == 3:
        return parts[0], parts[1], parts[2].strip()
    if len(parts) == 2:
        return parts[0], parts[1], None
    return None, None, None


def territory_problem(value, territories) -> str | None:
    """What is wrong with one territory reference (``territories``: the known "kind:code"), or None."""
    kind, code, name = parse_territory(value)
    if kind in NEIGHBOURHOOD_KINDS:
        if f"commune:{code}" not in territories and f"arrondissement:{code}" not in territories:
            return f"commune {code!r} inconnue dans {value!r}"
        return None if name else f"quartier sans nom dans {value!r}"
    if kind == "arrondissement":
        return f"{value!r} : un arrondissement s'écrit commune:{code}"
    if f"{kind}:{code}" in territories or (kind == "commune" and f"arrondissement:{code}" in territories):
        return None
    return f"territoire {value!r} inconnu"


def words(text):
    """Lower-case ascii words: "Nœux-les-Mines" -> ["noeux", "les", "mines"]."""
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^0-9a-z]+", " ", folded).split()


def _contains(words, needle):
    n = len(needle)
    return any(words[i : i + n] == needle for i in range(len(words) - n + 1)) if n else False


ARTICLES = {"le", "la", "les", "l"}


@cache
def _communes_index(rows):
    """département -> (code, name, words) of its communes; without its article too ("du Port-Marly")."""
    by_department = {}
    for code, name, department in rows:
        name_words = words(name)
        if len(name_words) > 1 and name_words[0] in ARTICLES:
            name_words = name_words[1:]
        by_department.setdefault(department, []).append((code, name, name_words))
    return by_department


def carrier_name_problems(case, communes, waivers):
    """A département-level case whose carrier's name contains the name of a commune of that
    département that is not among its other places: the case belongs in that town (or the name
    goes to the waiver list). The report may give the département as the action's place
    ("Localisation : Alpes-Maritimes"): the town then stays an other place.

    ``communes``: tuple of (INSEE code, name, département code); ``waivers``: {(folded name, département)}.
    """
    kind, code, _ = parse_territory(case.get("territory", ""))
    if kind != "department":
        return []
    recorded = {parse_territory(place)[1] for place in case.get("other_places") or []}
    problems = []
    for actor in case.get("actors") or []:
        if actor.get("role") != "porteur" or actor.get("unnamed"):
            continue
        name_words = words(actor.get("name"))
        waived = [w for w, d in waivers if d == code and _contains(name_words, list(w))]
        for commune_code, name, commune_words in _communes_index(communes).get(code, []):
            if commune_code in recorded:  # the town is one of the case's places already
                continue
            if _contains(name_words, commune_words) and not any(_contains(list(w), commune_words) for w in waived):
                problems.append(
                    f"le porteur « {actor['name']} » nomme la commune {name} ({commune_code}) du département "
                    f"{code} : placez le cas dans cette commune (commune:{commune_code}), ou ajoutez le nom à "
                    "fixtures/reference/place_name_waivers.yaml s'il ne fait que lui ressembler"
                )
    return problems
