"""Bulk loading of the reference territories and of the resource-centre network.

``loaddata`` on 35,000 communes takes minutes (one INSERT and one signal per
row); this loader computes paths from INSEE codes in Python and writes each
level with ``bulk_create(update_conflicts=True)`` keyed on (kind, code), so a
second run updates in place and creates nothing. See README for the timing.
"""

from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from territories.decoupage import read_fixture
from territories.models import ResourceCentre, Territory

REFERENCE_DIR = settings.BASE_DIR / "fixtures" / "reference"
TERRITORIES_CSV = REFERENCE_DIR / "territories.csv"
CENTRES_YAML = REFERENCE_DIR / "resource_centres.yaml"
INSEE_SOURCE = "INSEE, COG via @etalab/decoupage-administratif 6.0.0"
LEVELS = ["region", "department", "commune", "arrondissement"]
BATCH = 2000


def _noop(*args, **kwargs):
    pass


@transaction.atomic
def load_territories(*, path: Path = TERRITORIES_CSV, progress=_noop) -> dict:
    """Create or update France, régions, départements, communes and arrondissements.

    ``progress(done, total, label)`` is called as rows are written.
    Returns the number of rows per kind.
    """
    rows = list(read_fixture(path))
    total = len(rows) + 1
    france, _ = Territory.objects.get_or_create(
        kind=Territory.Kind.COUNTRY, code="FR", defaults={"name": "France", "source": INSEE_SOURCE}
    )
    # Parents by (kind, code): what was loaded before, level by level.
    known = {("country", "FR"): france}
    counts = {}
    done = 1
    for level in LEVELS:
        level_rows = [r for r in rows if r["kind"] == level]
        objs = []
        for r in level_rows:
            parent = known[(r["parent_kind"], r["parent_code"])]
            t = Territory(
                kind=level,
                code=r["code"],
                name=r["name"],
                parent=parent,
                population=int(r["population"]) if r["population"] else None,
                source=INSEE_SOURCE,
            )
            t.refresh_derived()
            objs.append(t)
        for start in range(0, len(objs), BATCH):
            Territory.objects.bulk_create(
                objs[start : start + BATCH],
                update_conflicts=True,
                unique_fields=["kind", "code"],
                update_fields=[
                    "name",
                    "slug",
                    "parent",
                    "path",
                    "depth",
                    "region",
                    "department",
                    "population",
                    "source",
                ],
            )
            done += len(objs[start : start + BATCH])
            progress(done, total, level)
        # bulk_create does not return ids of updated rows on every backend: read them back.
        for t in Territory.objects.filter(kind=level).only("id", "kind", "code", "path", "region_id", "department_id"):
            known[(level, t.code)] = t
        counts[level] = len(objs)
    return counts


def territory_by_reference(ref: str) -> Territory:
    """``country:FR``, ``region:44``, ``department:93``, ``commune:44109`` (arrondissements included)."""
    kind, _, code = ref.partition(":")
    if kind == "commune":
        return Territory.objects.get(kind__in=["commune", "arrondissement"], code=code)
    return Territory.objects.get(kind=kind, code=code)


@transaction.atomic
def load_resource_centres(*, path: Path = CENTRES_YAML) -> int:
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    for item in data:
        centre, _ = ResourceCentre.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "short_name": item.get("short_name", ""),
                "website": item.get("website", ""),
                "legal_form": item.get("legal_form", ""),
                "description": item.get("description", ""),
                "is_national": bool(item.get("is_national", False)),
                "source": item.get("source", "Carte « Les CRPV en 2020 », rapport RN-CRPV 2020"),
            },
        )
        centre.coverage.set([territory_by_reference(ref) for ref in item["coverage"]])
    return len(data)
