"""A choropleth of départements drawn on the server from the vendored SVG outlines.

``static/vendor/svg-maps-france-departments/france.departments.svg`` (CC BY
4.0) gives one ``<path id="<INSEE code>" d="…">`` per mainland département.
We read the outlines once and draw our own SVG: each département a link to its
page, filled by its count's class, with a ``<title>`` for hover and focus.
Overseas départements are not in the file: pages list them beside the map.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings

SVG_PATH = settings.BASE_DIR / "static" / "vendor" / "svg-maps-france-departments" / "france.departments.svg"
_PATH = re.compile(r'<path\s+id="(?P<code>[0-9AB]{2})"\s+aria-label="(?P<name>[^"]*)"\s+d="(?P<d>[^"]+)"', re.S)
_VIEWBOX = re.compile(r'viewBox="([^"]+)"')
CLASSES = 5


@dataclass(frozen=True)
class Outline:
    code: str
    name: str
    d: str


@lru_cache(maxsize=1)
def outlines():
    text = SVG_PATH.read_text("utf-8")
    return _VIEWBOX.search(text).group(1), [
        Outline(m["code"], m["name"], " ".join(m["d"].split())) for m in _PATH.finditer(text)
    ]


def bucket(count: int, maximum: int) -> int:
    """0 for no case, then 1..CLASSES by share of the maximum (square-root scale: a few big counts
    would otherwise leave every other département in the palest class)."""
    if count <= 0 or maximum <= 0:
        return 0
    return min(CLASSES, 1 + int((count / maximum) ** 0.5 * (CLASSES - 1)))


def choropleth(counts: dict, urls: dict):
    """The map's data: viewBox and, per mainland département, its outline, count, class and URL."""
    view_box, paths = outlines()
    maximum = max(counts.values(), default=0)
    return {
        "view_box": view_box,
        "departments": [
            {
                "code": o.code,
                "name": o.name,
                "d": o.d,
                "count": counts.get(o.code, 0),
                "bucket": bucket(counts.get(o.code, 0), maximum),
                "url": urls.get(o.code, ""),
            }
            for o in paths
        ],
        "legend": legend(maximum),
    }


def legend(maximum: int):
    """One row per class actually used, with the range of counts it holds."""
    rows = [{"bucket": 0, "label": "aucun cas"}]
    ranges = {}
    for n in range(1, maximum + 1):
        ranges.setdefault(bucket(n, maximum), []).append(n)
    for b, values in sorted(ranges.items()):
        label = f"{values[0]} à {values[-1]} cas" if len(values) > 1 else f"{values[0]} cas"
        rows.append({"bucket": b, "label": label})
    return rows
