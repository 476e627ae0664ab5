"""Verbatim comparison of citation excerpts with the report texts.

"Word for word" (DESIGN, Sources) ignores only: runs of whitespace and line
breaks, a hyphen that breaks a word across lines, curly versus straight quotes
and apostrophes, markdown emphasis marks and HTML tags such as ``<sup>``.

Both the excerpt and the report go through the same ``normalise`` so the test
is a plain substring search. Hyphens are dropped altogether (after a line
break or not) because the PDF extraction cannot tell a hyphen that breaks
"vulné-/rables" from one that joins "Seine-/Saint-Denis"; dropping every
hyphen on both sides treats the two alike and costs almost no precision.
This module is pure Python so that it can be used outside Django too.
"""

import re

_TAGS = re.compile(r"<[^>\n]{1,200}>")
_HYPHEN_BREAK = re.compile(r"[-\u00ad\u2010\u2011]\s*\n\s*")
_HYPHENS = re.compile(r"[-\u00ad\u2010\u2011]")
_EMPHASIS = re.compile(r"[*_]+")
_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u2032": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
    }
)


MIN_EXCERPT_WORDS = 8


def normalise(text: str) -> str:
    """Fold what "word for word" ignores, leaving every other character as it is."""
    text = text.translate(_QUOTES)
    text = _TAGS.sub("", text)
    text = _HYPHEN_BREAK.sub("", text)
    text = _HYPHENS.sub("", text)
    text = _EMPHASIS.sub("", text)
    return _SPACES.sub(" ", text).strip()


def word_count(text: str) -> int:
    return len(normalise(text).split())


class VerbatimIndex:
    """A report text normalised once, to test many excerpts against it."""

    def __init__(self, text: str):
        self.text = normalise(text)

    def contains(self, excerpt: str) -> bool:
        needle = normalise(excerpt)
        return bool(needle) and needle in self.text
