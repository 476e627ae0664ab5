"""Highlighted excerpts of a case around the searched words, the same on both backends."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from initiatives.browse.search.query import highlight_words
from initiatives.text import fold_keep_length


def snippet(text: str, q: str, width: int = 220):
    """An excerpt of ``text`` around the first query term, terms wrapped in <mark>; safe HTML.

    Words are matched by folded prefix ("ordinateur" marks "ordinateurs",
    "reussite" marks "réussite"), the same on both backends.
    """
    text = " ".join((text or "").split())
    include = highlight_words(q)
    if not text:
        return ""
    folded = fold_keep_length(text)  # one character for one: positions in it are positions in text
    positions = [m.start() for t in include for m in [re.search(r"\b" + re.escape(t[:6]), folded)] if m]
    start = max(0, min(positions) - width // 3) if positions else 0
    end = min(len(text), start + width)
    piece, fpiece = text[start:end], folded[start:end]
    out, i = [], 0
    if include:
        pattern = re.compile(r"\b(" + "|".join(re.escape(t[:6]) for t in include) + r")\w*")
        for m in pattern.finditer(fpiece):
            out.append(escape(piece[i : m.start()]))
            out.append(f"<mark>{escape(piece[m.start() : m.end()])}</mark>")
            i = m.end()
    out.append(escape(piece[i:]))
    body = "".join(out)
    if start > 0:  # cut inside the text: an ellipsis, and no space doubled beside it
        body = "… " + body.lstrip()
    if end < len(text):
        body = body.rstrip() + " …"
    return mark_safe(body)  # noqa: S308 — every piece of text is escaped above
