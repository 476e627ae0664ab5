"""Cells of the case spreadsheet: reading a cell as text, lists, headers, territory references.

Territory references are those of the case files (fixtures/cases/FORMAT.md)
plus French aliases ("pays", "région", "département").
"""

import datetime
import re
from dataclasses import dataclass

from initiatives.models import Initiative
from initiatives.text import fold_words, yes_no
from territories.models import Territory
from territories.services import get_or_create_neighbourhood

SEPARATOR = " | "
MAX_ROWS = 500  # cases in one file: about 15 s of preview and 25 s of import (README), within one request
MAX_BYTES = 5 * 1024 * 1024
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX = Initiative._meta.get_field("slug").max_length
Status = Initiative.Status


class CellError(Exception):
    """A problem with one cell; the message says what, the column is added by the caller."""


class HeaderError(Exception):
    """A problem with the file as a whole (its header row); nothing is imported."""


# ---------------------------------------------------------------------------
# Cells


def cell_text(value) -> str:
    """A cell as text, whatever the spreadsheet made of it (numbers, dates, booleans)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    if "\x00" in text:
        raise CellError("contient un caractère nul : le fichier est-il bien un tableur ?")
    return text


def split_list(value) -> list[str]:
    """Values separated by " | " (spaces optional), without blanks and repeats, in order."""
    seen, items = set(), []
    for part in cell_text(value).split("|"):
        part = " ".join(part.split())
        if part and part not in seen:
            seen.add(part)
            items.append(part)
    return items


def quoted(values) -> str:
    return ", ".join(f"« {v} »" for v in values)


def header_key(header) -> str:
    """Headers are compared without case, accents or punctuation: "Centre référent" is centre_referent."""
    return fold_words(cell_text(header)).replace(" ", "_")


# ---------------------------------------------------------------------------
# Territories: the references of the case files (fixtures/cases/FORMAT.md), plus French aliases


TERRITORY_KINDS = {
    "country": "country",
    "pays": "country",
    "region": "region",
    "department": "department",
    "departement": "department",
    "dept": "department",
    "dep": "department",
    "epci": "epci",
    "intercommunalite": "epci",
    "commune": "commune",
    "arrondissement": "commune",
    "qpv": "qpv",
    "quartier": "quartier",
}


def territory_reference(territory) -> str:
    """How the export writes a place: ``country:FR``, ``region:44``, ``department:54``,
    ``commune:44109`` (arrondissements too), ``epci:<SIREN>``, ``qpv:<commune code>:<name>``,
    ``quartier:<commune code>:<name>``."""
    if territory is None:
        return ""
    kind = territory.kind
    if kind in Territory.NEIGHBOURHOODS:
        return f"{kind}:{territory.parent.code}:{territory.name}"
    if kind == Territory.Kind.ARRONDISSEMENT:
        kind = Territory.Kind.COMMUNE
    return f"{kind}:{territory.code}"


@dataclass(frozen=True)
class PendingNeighbourhood:
    """A QPV or quartier named for the first time: created when the row is written (as the case loader does)."""

    commune: Territory
    name: str
    kind: str = Territory.Kind.QPV

    @property
    def path_prefixes(self):
        return self.commune.path_prefixes

    def create(self, source):
        return get_or_create_neighbourhood(commune=self.commune, name=self.name, kind=self.kind, source=source)


def parse_territory(text: str):
    """The territory of a reference, a ``PendingNeighbourhood``, or ``CellError``."""
    if ":" not in text:
        if fold_words(text) in ("france", "fr", "national"):
            text = "country:FR"
        else:
            raise CellError(
                f"« {text} » n'est pas une référence de territoire "
                "(ex. « commune:44109 », « department:54 », « region:44 », « qpv:44109:Bellevue », « france »)"
            )
    kind_text, _, rest = text.partition(":")
    kind = TERRITORY_KINDS.get(fold_words(kind_text).replace(" ", ""))
    if kind is None:
        raise CellError(
            f"« {kind_text} » n'est pas un type de territoire "
            "(country, region, department, commune, epci, qpv ou quartier ; pays, région, département acceptés)"
        )
    if kind in Territory.NEIGHBOURHOODS:
        return _neighbourhood(text, kind, rest)
    territory = _territory_or_none(kind, rest.strip().upper() if kind == "country" else rest.strip())
    if territory is None:
        raise CellError(f"« {text} » inconnu")
    return territory


def _neighbourhood(text, kind, rest):
    code, _, name = rest.partition(":")
    name = " ".join(name.split())
    if not code.strip() or not name:
        raise CellError(f"« {text} » : un quartier s'écrit « {kind}:<code INSEE de la commune>:<nom du quartier> »")
    commune = _territory_or_none("commune", code.strip())
    if commune is None:
        raise CellError(f"« {text} » : commune « {code.strip()} » inconnue")
    known = Territory.objects.filter(kind__in=Territory.NEIGHBOURHOODS, parent=commune, name__iexact=name)
    known = known.order_by("kind").first()  # "qpv" before "quartier"
    if known is not None and (known.kind == kind or kind == Territory.Kind.QUARTIER):
        return known  # a QPV stays a QPV whoever calls it a quartier
    return PendingNeighbourhood(commune=commune, name=name, kind=kind)  # new, or a quartier now known as a QPV


def _territory_or_none(kind, code):
    kinds = ["commune", "arrondissement"] if kind == "commune" else [kind]
    # Codes are unique per kind; a commune and an arrondissement never share one.
    return Territory.objects.filter(kind__in=kinds, code=code).order_by("kind").first() if code else None
