"""A choropleth of départements drawn on the server from the vendored SVG outlines.

``static/vendor/svg-maps-france-departments/france.departments.svg`` (CC BY
4.0) gives one ``<path id="<INSEE code>" d="…">`` per mainland département.
We read the outlines once and draw our own SVG: each département with cases a
link, filled by its count's class, with a ``<title>`` for hover and focus; a
département without cases is drawn, with its 0, but is no link (nothing to
find there, and no tab stop). Overseas départements are not in the file: pages
list them beside the map.

Paris and the petite couronne are a few pixels wide on the whole map, so the
same outlines are drawn again, enlarged, in an inset over the Channel (upper
left, where the file holds no land): a transformed group, clipped to its frame.
Each département is offered once to the keyboard and to screen readers: the
four small ones in the inset, every other one on the main map; their other
copy is for the mouse only (``primary`` False: hidden from assistive
technologies, out of the tab order).
"""

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings

SVG_PATH = settings.BASE_DIR / "static" / "vendor" / "svg-maps-france-departments" / "france.departments.svg"
_PATH = re.compile(r'<path\s+id="(?P<code>[0-9AB]{2})"\s+aria-label="(?P<name>[^"]*)"\s+d="(?P<d>[^"]+)"', re.S)
_VIEWBOX = re.compile(r'viewBox="([^"]+)"')
_TOKEN = re.compile(r"[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
CLASSES = 5

# The inset: the départements it enlarges, where it sits (x, y, width, height in the map's units:
# the Channel, clear of every outline, which a test checks) and its caption, in a strip at its top.
INSET_CODES = ("75", "92", "93", "94")
INSET_FRAME = (2.0, 2.0, 131.0, 136.0)
INSET_CAPTION = "Île-de-France agrandie"
INSET_CAPTION_BAND = 16.0
INSET_MARGIN = 1.5  # map units kept around the enlarged départements


@dataclass(frozen=True)
class Outline:
    code: str
    name: str
    d: str
    rings: tuple = field(default=(), compare=False, repr=False)  # its closed outlines, as points


@lru_cache(maxsize=1)
def outlines():
    text = SVG_PATH.read_text("utf-8")
    paths = []
    for m in _PATH.finditer(text):
        d = " ".join(m["d"].split())
        paths.append(Outline(m["code"], m["name"], d, tuple(tuple(r) for r in rings(d))))
    return _VIEWBOX.search(text).group(1), paths


def rings(d: str) -> list[list[tuple[float, float]]]:
    """The points of each closed outline of a path drawn with moves and straight lines (``m``/``M``
    followed by implicit line-tos, ``z``: all the vendored file uses). Anything else is refused."""
    out, pending = [], []
    x = y = 0.0
    command = None
    for token in _TOKEN.findall(d):
        if token in "zZ":
            if out and out[-1]:
                x, y = out[-1][0]  # a closed outline leaves the pen at its start
            command = None
        elif token in "mM":
            command = token
            out.append([])
        elif token.isalpha() or command is None:
            raise ValueError(f"path command not understood: {token!r}")
        else:
            pending.append(float(token))
            if len(pending) == 2:
                (dx, dy), pending = pending, []
                x, y = (x + dx, y + dy) if command == "m" else (dx, dy)
                out[-1].append((x, y))
    return [r for r in out if r]


def bounds(points) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _area(ring) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)) / 2


def _inside(point, ring) -> bool:
    px, py = point
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y0 > py) != (y1 > py) and px < x0 + (py - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def _distance_to_edges(point, ring) -> float:
    px, py = point
    best = math.inf
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        dx, dy = x1 - x0, y1 - y0
        t = max(0.0, min(1.0, ((px - x0) * dx + (py - y0) * dy) / (dx * dx + dy * dy or 1)))
        best = min(best, math.hypot(px - x0 - t * dx, py - y0 - t * dy))
    return best


def label_point(outline_rings, steps=24) -> tuple[float, float]:
    """Where a label sits well inside a shape (a crescent's centre lies outside it): of a grid laid
    over its largest outline, the inside point farthest from its edges."""
    ring = list(max(outline_rings, key=lambda r: abs(_area(list(r)))))
    x0, y0, x1, y1 = bounds(ring)
    best, best_distance = ((x0 + x1) / 2, (y0 + y1) / 2), -1.0
    for i in range(1, steps):
        for j in range(1, steps):
            point = (x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * j / steps)
            if _inside(point, ring) and (distance := _distance_to_edges(point, ring)) > best_distance:
                best, best_distance = point, distance
    return best


@dataclass(frozen=True)
class Inset:
    frame: tuple  # x, y, width, height of the frame, in the map's units
    area: tuple  # x, y, width, height of the enlarged view inside the frame (below the caption)
    window: tuple  # x, y, width, height of the part of the map it shows
    scale: float
    codes: frozenset  # the départements whose outline shows in it (the enlarged ones and their neighbours)
    labels: tuple  # (code, x, y) of the enlarged départements, in the map's units after enlargement

    @property
    def transform(self) -> str:
        (ax, ay, _, _), (wx, wy, _, _) = self.area, self.window
        return f"matrix({self.scale:.6f} 0 0 {self.scale:.6f} {ax - self.scale * wx:.3f} {ay - self.scale * wy:.3f})"


@lru_cache(maxsize=1)
def inset() -> Inset:
    """The inset's geometry: the enlarged départements fill its area, centred, with a margin."""
    _, paths = outlines()
    enlarged = [o for o in paths if o.code in INSET_CODES]
    x0, y0, x1, y1 = bounds([p for o in enlarged for ring in o.rings for p in ring])
    fx, fy, fw, fh = INSET_FRAME
    area = (fx, fy + INSET_CAPTION_BAND, fw, fh - INSET_CAPTION_BAND)
    scale = min(area[2] / (x1 - x0 + 2 * INSET_MARGIN), area[3] / (y1 - y0 + 2 * INSET_MARGIN))
    ww, wh = area[2] / scale, area[3] / scale
    window = ((x0 + x1 - ww) / 2, (y0 + y1 - wh) / 2, ww, wh)
    shown = frozenset(o.code for o in paths if any(_overlaps(bounds(ring), window) for ring in o.rings))
    labels = tuple(
        (o.code, area[0] + scale * (lx - window[0]), area[1] + scale * (ly - window[1]))
        for o in enlarged
        for lx, ly in [label_point(o.rings)]
    )
    return Inset(INSET_FRAME, area, window, scale, shown, labels)


def _overlaps(box, window) -> bool:
    x0, y0, x1, y1 = box
    wx, wy, ww, wh = window
    return x1 >= wx and x0 <= wx + ww and y1 >= wy and y0 <= wy + wh


def bucket(count: int, maximum: int) -> int:
    """0 for no case, then 1..CLASSES by share of the maximum (square-root scale: a few big counts
    would otherwise leave every other département in the palest class)."""
    if count <= 0 or maximum <= 0:
        return 0
    return min(CLASSES, 1 + int((count / maximum) ** 0.5 * (CLASSES - 1)))


def _box(x, y, width, height):
    return {"x": round(x, 3), "y": round(y, 3), "width": round(width, 3), "height": round(height, 3)}


def choropleth(counts: dict, urls: dict):
    """The map's data: viewBox; per mainland département its outline, count, class, URL (none at 0)
    and whether this copy is the one offered to the keyboard; the inset and its copies; the legend."""
    view_box, paths = outlines()
    maximum = max(counts.values(), default=0)
    geometry = inset()

    def shape(outline, primary):
        count = counts.get(outline.code, 0)
        return {
            "code": outline.code,
            "name": outline.name,
            "d": outline.d,
            "count": count,
            "bucket": bucket(count, maximum),
            "url": urls.get(outline.code, "") if count > 0 else "",
            "primary": primary,
        }

    buckets = {o.code: bucket(counts.get(o.code, 0), maximum) for o in paths}
    fx, fy, fw, _ = geometry.frame
    return {
        "view_box": view_box,
        "departments": [shape(o, o.code not in INSET_CODES) for o in paths],
        "inset": {
            "caption": INSET_CAPTION,
            "caption_x": round(fx + fw / 2, 3),
            "caption_y": round(fy + INSET_CAPTION_BAND * 0.72, 3),
            "frame": _box(*geometry.frame),
            "area": _box(*geometry.area),
            "marker": _box(*geometry.window),
            "transform": geometry.transform,
            "departments": [shape(o, o.code in INSET_CODES) for o in paths if o.code in geometry.codes],
            "enlarged": [{"code": o.code, "name": o.name} for o in paths if o.code in INSET_CODES],
            "labels": [
                {"code": code, "x": round(x, 2), "y": round(y, 2), "dark": buckets[code] >= 4}
                for code, x, y in geometry.labels
            ],
        },
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
