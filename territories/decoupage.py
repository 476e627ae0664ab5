"""Conversion of INSEE's administrative lists into Proximités' compact fixture.

Input: the JSON files of the npm package ``@etalab/decoupage-administratif``
(MIT licence, Etalab), which republishes INSEE's Code officiel géographique.
Output: ``fixtures/reference/territories.csv``, one row per région,
département, commune and Paris/Lyon/Marseille arrondissement municipal, in
parent-before-child order. Overseas collectivities (COM: Saint-Pierre-et-
Miquelon, Polynésie...) are left out: they are not départements and the
politique de la ville does not apply there.

Pure Python (no Django) so that the conversion can be run and tested alone;
``manage.py build_territory_fixture`` calls it.
"""

import csv
import json
from pathlib import Path

FIELDS = ["kind", "code", "name", "parent_kind", "parent_code", "population"]
ZONES = {"metro", "drom"}


def rows_from_package(data_dir: Path):
    """Yield fixture rows, parents first."""
    data_dir = Path(data_dir)
    regions = json.loads((data_dir / "regions.json").read_text("utf-8"))
    departments = json.loads((data_dir / "departements.json").read_text("utf-8"))
    communes = json.loads((data_dir / "communes.json").read_text("utf-8"))
    for r in sorted(regions, key=lambda r: r["code"]):
        if r["zone"] in ZONES:
            yield {
                "kind": "region",
                "code": r["code"],
                "name": r["nom"],
                "parent_kind": "country",
                "parent_code": "FR",
                "population": "",
            }
    for d in sorted(departments, key=lambda d: d["code"]):
        if d["zone"] in ZONES:
            yield {
                "kind": "department",
                "code": d["code"],
                "name": d["nom"],
                "parent_kind": "region",
                "parent_code": d["region"],
                "population": "",
            }
    current = [c for c in communes if c["type"] == "commune-actuelle" and c["zone"] in ZONES]
    for c in sorted(current, key=lambda c: c["code"]):
        yield {
            "kind": "commune",
            "code": c["code"],
            "name": c["nom"],
            "parent_kind": "department",
            "parent_code": c["departement"],
            "population": c.get("population", ""),
        }
    arrondissements = [c for c in communes if c["type"] == "arrondissement-municipal"]
    for a in sorted(arrondissements, key=lambda c: c["code"]):
        yield {
            "kind": "arrondissement",
            "code": a["code"],
            "name": a["nom"],
            "parent_kind": "commune",
            "parent_code": a["commune"],
            "population": a.get("population", ""),
        }


def write_fixture(data_dir: Path, out: Path) -> int:
    count = 0
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        for row in rows_from_package(data_dir):
            writer.writerow(row)
            count += 1
    return count


def read_fixture(path: Path):
    with open(path, newline="", encoding="utf-8") as fh:
        yield from csv.DictReader(fh)
