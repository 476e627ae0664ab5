"""The domain thesaurus applied to queries: synonyms, acronyms and what they stand for.

Entries live in the ``ThesaurusEntry`` table, seeded from
``fixtures/reference/thesaurus.yaml`` (``load_thesaurus``): an entry changed in
the admin is marked ``edited`` and a reload of the file leaves it alone; an
entry is put out of service, never deleted (the next load would bring it back). Each
process keeps the table in memory and re-reads it when it changed (one small
query per search: the number of entries and the latest change).
"""

import threading
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max
from django.utils.text import slugify

from initiatives.models import ThesaurusEntry
from initiatives.text import fold_words

THESAURUS_YAML = Path(settings.BASE_DIR) / "fixtures" / "reference" / "thesaurus.yaml"


@dataclass(frozen=True)
class Group:
    label: str  # what the page says the search was widened with
    phrases: tuple  # folded expressions, the acronym first when there is one
    spelled: tuple  # the same expressions as the thesaurus writes them (accents kept), for the page


class Thesaurus:
    def __init__(self, entries=()):
        self.groups = {}  # folded expression -> Group
        self.acronyms = set()  # folded acronyms: whole words only
        for entry in entries:
            self.add(entry)

    def add(self, entry):
        spelled = {}  # folded -> as written, the first spelling of each
        for written in [entry.acronym, *entry.expressions()]:
            if fold_words(written):
                spelled.setdefault(fold_words(written), written.strip())
        acronym = fold_words(entry.acronym)
        phrases = tuple(spelled)
        group = Group(entry.acronym or (entry.expressions() or [entry.key])[0], phrases, tuple(spelled.values()))
        if acronym:
            self.acronyms.add(acronym)
        for phrase in phrases:
            self.groups.setdefault(phrase, group)

    def knows(self, phrase) -> bool:
        return phrase in self.groups

    def entry(self, phrase):
        return self.groups.get(phrase)


_lock = threading.Lock()
_cached = (None, Thesaurus())


def current() -> Thesaurus:
    """The thesaurus as the table holds it now."""
    global _cached
    stamp = tuple(ThesaurusEntry.objects.aggregate(n=Count("pk"), last=Max("updated_at")).values())
    if _cached[0] == stamp:
        return _cached[1]
    with _lock:
        _cached = (stamp, Thesaurus(ThesaurusEntry.objects.filter(active=True)))
        return _cached[1]


class ThesaurusFileError(ValueError):
    """The thesaurus file cannot be loaded as it is; the message names every faulty entry."""


def read_thesaurus(path: Path = THESAURUS_YAML) -> list[dict]:
    """The entries of the file, checked: ``key`` with ``synonyms``, or ``key``, ``acronym`` and ``means``."""
    try:
        with open(path, encoding="utf-8") as fh:
            items = yaml.safe_load(fh) or []
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:  # a file saved as Latin-1 too
        raise ThesaurusFileError(f"{path} : fichier illisible ({error}).") from error
    if not isinstance(items, list):
        raise ThesaurusFileError(f"{path} : une liste d'entrées est attendue.")
    problems, entries, seen = [], [], set()
    for number, item in enumerate(items, start=1):
        entry = _entry(item)
        if isinstance(entry, str):
            problems.append(f"entrée n° {number} : {entry}")
        elif entry["key"] in seen:
            problems.append(f"entrée n° {number} : l'identifiant « {entry['key']} » est déjà pris.")
        else:
            seen.add(entry["key"])
            entries.append(entry)
    if problems:
        raise ThesaurusFileError(f"{path} :\n" + "\n".join(problems))
    return entries


def _entry(item):
    """The entry as the table stores it, or what is wrong with it."""
    if not isinstance(item, dict) or slugify(str(item.get("key", ""))) != item.get("key"):
        return "« key » manque ou n'est pas un identifiant (minuscules, chiffres, tirets)."
    acronym = item.get("acronym") or ""
    terms = item.get("means") if acronym else item.get("synonyms")
    if not isinstance(terms, list) or not terms or not all(isinstance(t, str) and t.strip() for t in terms):
        return "« synonyms » (ou « acronym » et « means ») doit être une liste d'expressions non vides."
    if len(str(acronym)) > 20 or len(item["key"]) > 60:
        return "identifiant ou sigle trop long."
    return {
        "key": item["key"],
        "kind": ThesaurusEntry.Kind.ACRONYM if acronym else ThesaurusEntry.Kind.SYNONYMS,
        "acronym": str(acronym),
        "terms": "\n".join(t.strip() for t in terms),
    }


@transaction.atomic
def load_thesaurus(path: Path = THESAURUS_YAML) -> dict:
    """Create or update the entries of the file (checked whole first: a faulty file changes nothing);
    entries edited in the admin are left as they are."""
    entries = read_thesaurus(path)
    counts = {"created": 0, "updated": 0, "kept": 0}
    edited = set(ThesaurusEntry.objects.filter(edited=True).values_list("key", flat=True))
    for entry in entries:
        if entry["key"] in edited:
            counts["kept"] += 1
            continue
        _, created = ThesaurusEntry.objects.update_or_create(key=entry.pop("key"), defaults=entry)
        counts["created" if created else "updated"] += 1
    return counts
