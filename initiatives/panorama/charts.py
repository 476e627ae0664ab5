"""The panoramas' pictures, computed in Python and written as inline SVG by the templates.

Deterministic geometry only (no randomness, no JavaScript): the network of shared actors on a
circle, most-involved actor at the top and the others clockwise; the bars of a small multiple.
Numbers are rounded to one decimal so that the markup is stable.
"""

import math
from dataclasses import dataclass

# The network: a circle in the middle, the names outside it (room for about 28 characters each side).
NETWORK_WIDTH, NETWORK_HEIGHT = 760, 480
NETWORK_RADIUS = 175
LABEL_CHARS = 28


@dataclass
class Point:
    x: float
    y: float


@dataclass
class PlacedNode:
    node: object  # cooperation.Node
    x: float
    y: float
    r: float
    label: str
    label_x: float
    label_y: float
    anchor: str  # text-anchor of the name: start (right half), end (left half), middle (top, bottom)


@dataclass
class PlacedEdge:
    a: PlacedNode
    b: PlacedNode
    shared: int
    weight: int  # 1..4, the class of its stroke


def short(name: str, limit: int = LABEL_CHARS) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def circle_layout(nodes, edges) -> tuple[list, list]:
    """Nodes evenly on a circle in their order (the first at the top, then clockwise); a node's radius
    grows with its number of cases; edges join the placed nodes."""
    cx, cy = NETWORK_WIDTH / 2, NETWORK_HEIGHT / 2
    placed, by_id = [], {}
    count = len(nodes)
    for i, node in enumerate(nodes):
        angle = -math.pi / 2 + 2 * math.pi * i / count
        cos, sin = math.cos(angle), math.sin(angle)
        r = round(4 + 3 * math.sqrt(node.cases), 1)
        distance = NETWORK_RADIUS + r + 6
        anchor = "start" if cos > 0.01 else "end" if cos < -0.01 else "middle"
        label_y = cy + distance * sin + (4 if anchor != "middle" else (14 if sin > 0 else -2))
        spot = PlacedNode(
            node,
            round(cx + NETWORK_RADIUS * cos, 1),
            round(cy + NETWORK_RADIUS * sin, 1),
            r,
            short(node.name),
            round(cx + distance * cos, 1),
            round(label_y, 1),
            anchor,
        )
        placed.append(spot)
        by_id[node.actor_id] = spot
    lines = [PlacedEdge(by_id[a.actor_id], by_id[b.actor_id], n, min(n, 4)) for a, b, n in edges]
    return placed, lines


# A small multiple: one bar per period, stacked (first seen in the period, below; seen before, above).
BARS_WIDTH, BARS_HEIGHT = 300, 170
BARS_TOP, BARS_BOTTOM, BARS_SIDE = 18, 22, 6


@dataclass
class Bar:
    number: int  # the period's number on the axis (1, 2, …), explained by the legend
    count: int
    started: int
    continued: int
    url: str
    label: str  # what a screen reader and a tooltip say
    x: float
    width: float
    started_y: float
    started_h: float
    continued_y: float
    continued_h: float
    value_y: float
    axis_y: float

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def baseline(self) -> float:
        return round(self.axis_y - 15, 1)


def bars(columns, scale: int) -> list:
    """``columns``: (number, count, started, continued, url, label) per period; ``scale``: the count
    that fills the height (shared by the small multiples, so that their bars compare)."""
    plot = BARS_HEIGHT - BARS_TOP - BARS_BOTTOM
    base = BARS_TOP + plot
    slot = (BARS_WIDTH - 2 * BARS_SIDE) / max(len(columns), 1)
    out = []
    for i, (number, count, started, continued, url, label) in enumerate(columns):
        started_h = plot * started / scale if scale else 0
        continued_h = plot * continued / scale if scale else 0
        x = BARS_SIDE + i * slot + slot * 0.2
        out.append(
            Bar(
                number,
                count,
                started,
                continued,
                url,
                label,
                round(x, 1),
                round(slot * 0.6, 1),
                round(base - started_h, 1),
                round(started_h, 1),
                round(base - started_h - continued_h, 1),
                round(continued_h, 1),
                round(base - started_h - continued_h - 4, 1),
                round(base + 15, 1),
            )
        )
    return out
