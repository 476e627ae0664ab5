"""Families of near-identical cases on a page of results, shown as one card and a line.

The ANCT synthesis names the same action in many towns ("Une initiative de
soutien psychologique à Roubaix", "… à Tourcoing", "… à Lille"): one case each,
since each town is a place a practitioner searches, but five cards in a row
drown the cases that say more. On a page, cases whose titles differ only by
the place after the last "à" form a family: the first (the best ranked) is
shown, followed by "et 4 cas semblables : Lille, Roubaix…".
"""

from dataclasses import dataclass, field

from initiatives.text import fold_words

_FILLER = {"un", "une", "des", "de", "d", "du", "la", "le", "les", "l"}
_PLACE_MARKERS = (" a ", " au ", " aux ")


@dataclass
class Card:
    case: object
    similar: list = field(default_factory=list)  # the other cases of its family on this page


def family_key(title: str):
    """What a title says apart from its place: "une initiative de soutien psychologique à Pau" and
    "des initiatives de soutien psychologique à Marseille" share ("initiative", "soutien",
    "psychologique"). None when the title names no place after "à" (nothing to group)."""
    folded = f" {fold_words(title)} "
    cut = max(folded.rfind(marker) for marker in _PLACE_MARKERS)
    if cut <= 0:
        return None
    words = [w.removesuffix("s") for w in folded[:cut].split() if w not in _FILLER]
    return tuple(words) if len(words) >= 2 else None


def cards(cases) -> list:
    """The page's cases as cards, each family's later members folded under its first one."""
    out, first_of = [], {}
    for case in cases:
        key = family_key(case.title)
        if key is not None and key in first_of:
            first_of[key].similar.append(case)
            continue
        card = Card(case)
        out.append(card)
        if key is not None:
            first_of[key] = card
    return out
