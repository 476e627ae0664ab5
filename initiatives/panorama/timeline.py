"""The crisis periods with the cases of a selection seen in each, per theme (small multiples).

What the data holds: the periods a report places a case in (``Initiative.periods``); a start date
only for a handful of cases (``start_date``), too few to date the others. So a case is "apparu"
(first seen) in the first period it is placed in, and "poursuivi" (seen again) in each later period
it is placed in. Each count is the cases placed in the period (both), which is what the list
filtered on that period shows; its link leads there. Counts are read from the in-memory facet
index (``("period", slug)``, ``("theme", slug)``: a root theme holds its finer themes' cases).
"""

from dataclasses import dataclass, field

from initiatives.browse import bitsets
from initiatives.browse.facets import NO, YES
from initiatives.models import CrisisPeriod, Initiative, Theme
from initiatives.panorama import charts
from initiatives.panorama.selection import Selection

THIN = 5  # fewer cases placed in a period than this: a chart would compare nothing


@dataclass
class Cell:
    count: int  # cases placed in the period (started + continued)
    started: int
    continued: int
    url: str


@dataclass
class Row:
    label: str
    url: str  # the list of this row's cases
    total: int  # cases of the row
    dated: int  # those placed in at least one period
    cells: list  # one Cell per period
    bars: list = field(default_factory=list)  # charts.Bar per period, when drawn
    empty: str = ""  # why no chart is drawn, in plain words
    note: str = ""  # what a drawn chart cannot show: the periods too thin to compare

    @property
    def undated(self) -> int:
        return self.total - self.dated


@dataclass
class Timeline:
    total: int
    periods: list  # (number, CrisisPeriod)
    rows: list  # the whole selection first, then a row per theme
    with_start_date: int  # cases of the selection whose start date a report gives
    without_theme: int  # cases of the selection under no theme (in no theme row)
    by_theme_filter: bool  # the rows are the selection's own themes, not every root theme
    continued: list  # (label, count, url): the "poursuivie après la crise" fact
    scale: int = 0  # the count that fills a theme chart's height


def period_bits(index, periods) -> list:
    """(placed, started, continued) bits per period, periods in order of their start."""
    earlier, out = 0, []
    for period in periods:
        placed = index.bits.get(("period", period.slug), 0)
        out.append((placed, placed & ~earlier, placed & earlier))
        earlier |= placed
    return out


def _row(selection, label, bits, by_period, periods, **theme) -> Row:
    cells, dated = [], 0
    for period, (placed, started, continued) in zip(periods, by_period, strict=True):
        count = (bits & placed).bit_count()
        dated |= bits & placed
        url = selection.url(**theme, period=period.slug) if count else ""
        cells.append(Cell(count, (bits & started).bit_count(), (bits & continued).bit_count(), url))
    return Row(label, selection.url(**theme), bits.bit_count(), dated.bit_count(), cells)


def _empty_state(row: Row, what: str) -> str:
    if not row.total:
        return f"Aucun cas {what}."
    if not row.dated:
        return f"Aucun de ses {row.total} cas n'est situé dans une période par les rapports."
    if row.dated < THIN:
        placed = f"{row.dated} cas situé{'s' if row.dated > 1 else ''} dans une période"
        return f"{placed} (moins de {THIN}) : trop peu pour comparer."
    return ""


def _draw(row: Row, periods, scale: int, what: str):
    row.empty = _empty_state(row, what)
    if row.empty:
        return
    columns = [
        (
            number,
            cell.count,
            cell.started,
            cell.continued,
            cell.url,
            f"{period.name} : {cell.count} cas ({cell.started} apparu{'s' if cell.started > 1 else ''}, "
            f"{cell.continued} poursuivi{'s' if cell.continued > 1 else ''})",
        )
        for (number, period), cell in zip(periods, row.cells, strict=True)
    ]
    row.bars = charts.bars(columns, scale)
    enough = [number for (number, _), cell in zip(periods, row.cells, strict=True) if cell.count >= THIN]
    if not enough:
        row.note = f"Aucune période ne compte {THIN} cas ou plus : trop peu pour comparer."
    elif len(enough) < len(periods):
        which = f"la période {enough[0]}" if len(enough) == 1 else f"les périodes {', '.join(map(str, enough))}"
        row.note = (
            f"{'Seule' if len(enough) == 1 else 'Seules'} {which} "
            f"compte{'nt' if len(enough) > 1 else ''} au moins {THIN} cas ; "
            f"les autres en comptent moins : trop peu pour comparer."
        )


def _themes(selection):
    chosen = selection.chosen.get("theme") or []
    if chosen:
        return [(slug, selection.labels["theme"].get(slug, slug)) for slug in chosen]
    return list(Theme.objects.filter(parent=None).order_by("position", "name").values_list("slug", "name"))


def timeline(selection: Selection) -> Timeline:
    periods = list(CrisisPeriod.objects.order_by("start", "position"))
    numbered = list(enumerate(periods, start=1))
    by_period = period_bits(selection.index, periods)
    whole = _row(selection, "Toute la sélection", selection.bits, by_period, periods)
    themed, rows = 0, []
    for slug, name in _themes(selection):
        bits = selection.bits_of("theme", slug)
        themed |= bits
        rows.append(_row(selection, name, bits, by_period, periods, theme=slug))
    scale = max((cell.count for row in rows for cell in row.cells), default=0)
    _draw(whole, numbered, max((c.count for c in whole.cells), default=0), "dans cette sélection")
    for row in rows:
        _draw(row, numbered, scale, "de ce thème dans cette sélection")
    members = bitsets.Membership(selection.bits)
    dated = Initiative.objects.published().exclude(start_date=None).values_list("pk", flat=True)
    yes, no = (selection.bits_of("continued", v).bit_count() for v in (YES, NO))
    return Timeline(
        total=selection.total,
        periods=numbered,
        rows=[whole, *rows],
        with_start_date=sum(1 for pk in dated.iterator() if pk in members),
        without_theme=(selection.bits & ~themed).bit_count(),
        by_theme_filter=bool(selection.chosen.get("theme")),
        continued=[
            ("oui", yes, selection.url(continued=YES) if yes else ""),
            ("non", no, selection.url(continued=NO) if no else ""),
            ("non établi", selection.total - yes - no, ""),
        ],
        scale=scale,
    )
