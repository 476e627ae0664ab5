"""Loading the official list of the quartiers prioritaires (QPV, 2024), when an administrator has the file.

The list is published by the ANCT (sig.ville.gouv.fr, data.gouv.fr) as a CSV
with one row per QPV. Headers are matched leniently (case, accents and
punctuation ignored; the usual names of the published files are known):

| what | accepted headers | example |
|---|---|---|
| official code | code_qp, code_qpv, code_quartier, qp, code | QN09101M |
| name | lib_qp, nom_qp, nom_qpv, nom_quartier, libelle, nom | Grigny 2 |
| communes | insee_com, code_insee, codes_insee, insee_commune, code_commune, communes, com | 91286 |

A QPV over several communes lists their INSEE codes in one cell, separated by
commas, semicolons, "|" or spaces: it is placed under the first and attached to
the others (``Territory.also_in``), as a case is attached to its other places.
A neighbourhood already known under one of its communes (a report named it,
as a ``quartier`` or a code-less QPV) is upgraded in place, never duplicated.
A row that cannot be read (no code, no name, an unknown commune) is reported
with its line and skipped; the others load. Loading the file twice changes
nothing the second time.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from territories.models import Territory
from territories.services import get_or_create_neighbourhood

HEADERS = {
    "code": ("code_qp", "code_qpv", "code_quartier", "qp", "code"),
    "name": ("lib_qp", "nom_qp", "nom_qpv", "nom_quartier", "libelle", "nom"),
    "communes": ("insee_com", "code_insee", "codes_insee", "insee_commune", "code_commune", "communes", "com"),
}
SOURCE = "liste officielle des QPV 2024 (ANCT)"


@dataclass
class QpvReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list = field(default_factory=list)  # "ligne N : ..."


def _key(header):
    folded = unicodedata.normalize("NFKD", header or "").encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", folded).strip("_")


def read_rows(path: Path):
    """(line number, row dict keyed code/name/communes) of the file; ValueError for a file it cannot read."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    first = text.splitlines()[0] if text else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    headers = [_key(h) for h in next(reader, [])]
    columns = {}
    for what, names in HEADERS.items():
        found = next((headers.index(n) for n in names if n in headers), None)
        if found is None:
            raise ValueError(f"colonne « {what} » introuvable (en-têtes acceptés : {', '.join(names)})")
        columns[what] = found
    for line, values in enumerate(reader, start=2):
        if any(v.strip() for v in values):
            yield line, {what: (values[i] if i < len(values) else "").strip() for what, i in columns.items()}


def _communes(cell):
    codes = [c for c in re.split(r"[\s,;|/]+", cell) if c]
    found = {t.code: t for t in Territory.objects.filter(kind__in=["commune", "arrondissement"], code__in=codes)}
    return [found.get(code) for code in codes], codes


def _known(code, name, communes):
    """The neighbourhood this row is: by official code, else by name under one of its communes."""
    by_code = Territory.objects.filter(kind=Territory.Kind.QPV, code=code).first()
    if by_code is not None:
        return by_code
    return (
        Territory.objects.filter(kind__in=Territory.NEIGHBOURHOODS, parent__in=communes, name__iexact=name)
        .order_by("kind")
        .first()
    )


@transaction.atomic
def load_qpv(path: Path, *, progress=lambda done, total, label: None) -> QpvReport:
    report = QpvReport()
    rows = list(read_rows(path))
    for done, (line, row) in enumerate(rows, start=1):
        communes, codes = _communes(row["communes"])
        if not row["code"] or not row["name"] or not codes:
            report.problems.append(f"ligne {line} : code, nom et commune(s) sont obligatoires")
        elif None in communes:
            unknown = [c for c, t in zip(codes, communes, strict=True) if t is None]
            report.problems.append(f"ligne {line} : commune(s) inconnue(s) {', '.join(unknown)}")
        else:
            _load_one(row, communes, report)
        progress(done, len(rows), "QPV")
    return report


def _load_one(row, communes, report):
    name = " ".join(row["name"].split())
    place = _known(row["code"], name, communes)
    if place is None:
        place = get_or_create_neighbourhood(
            commune=communes[0], name=name, kind=Territory.Kind.QPV, code=row["code"], source=SOURCE
        )
        report.created += 1
    elif (place.kind, place.code) != (Territory.Kind.QPV, row["code"]):
        place.kind, place.code, place.source = Territory.Kind.QPV, row["code"], place.source or SOURCE
        place.save()
        report.updated += 1
    else:
        report.unchanged += 1
    others = [c for c in communes if c.pk != place.parent_id]
    if {t.pk for t in place.also_in.all()} != {c.pk for c in others}:
        place.also_in.set(others)
