"""Columns of the case spreadsheet: one class per kind of cell.

Each column parses a cell, says whether a parsed value is what the case
already has, writes it, and renders it for the export (the same text the
import reads back). ``COLUMNS`` is their order in a file (README / docs/import.md).
"""

import datetime
import re
from dataclasses import dataclass

from django.utils.text import slugify
from import_export.fields import Field

from initiatives.models import Actor, ActorAlias, Initiative, Involvement
from initiatives.services import named_actor
from initiatives.spreadsheet.cells import (
    SEPARATOR,
    SLUG_MAX,
    SLUG_RE,
    CellError,
    PendingNeighbourhood,
    cell_text,
    parse_territory,
    quoted,
    split_list,
    territory_reference,
)
from initiatives.text import fold_words, normalise_name, yes_no

# ---------------------------------------------------------------------------
# Columns: one class per kind of cell. Each column parses a cell, says whether
# a parsed value is what the case already has, writes it, and renders it for
# the export (the same text the import reads back).


class Column(Field):
    """A column of the sheet. ``related`` columns are written after the case is saved."""

    related = False

    def __init__(self, attribute, column_name, *, meaning, fmt, required="non", example=""):
        super().__init__(attribute=attribute, column_name=column_name)
        self.meaning = meaning
        self.fmt = fmt
        self.required = required
        self.example = example

    # import
    def parse(self, raw, context):
        raise NotImplementedError

    def current(self, instance):
        return getattr(instance, self.attribute)

    def same(self, value, instance) -> bool:
        return value == self.current(instance)

    def apply(self, instance, value, new=False):
        setattr(instance, self.attribute, value)

    # export
    def render(self, instance) -> str:
        return cell_text(self.current(instance))

    def export(self, instance, **kwargs):
        return self.render(instance)


class TextColumn(Column):
    def __init__(self, attribute, column_name, *, required=False, **kwargs):
        max_length = Initiative._meta.get_field(attribute).max_length
        fmt = f"texte, {max_length} caractères au plus" if max_length else "texte libre (retours à la ligne permis)"
        kwargs.setdefault("fmt", fmt)
        super().__init__(attribute, column_name, required="oui" if required else "non", **kwargs)
        self.is_required = required
        self.max_length = max_length

    def parse(self, raw, context):
        text = cell_text(raw)
        if self.is_required and not text:
            raise CellError("obligatoire")
        if self.max_length and len(text) > self.max_length:
            raise CellError(f"{len(text)} caractères, {self.max_length} au plus")
        return text

    def current(self, instance):
        return cell_text(getattr(instance, self.attribute))


class SlugColumn(Column):
    """The natural key. Blank: made from the title (and found again by it)."""

    def parse(self, raw, context):
        text = cell_text(raw)
        if text and (not SLUG_RE.fullmatch(text.lower()) or len(text) > SLUG_MAX):
            suggestion = slugify(text)[:SLUG_MAX]
            hint = f" ; par exemple « {suggestion} »" if suggestion else ""
            raise CellError(
                f"« {text} » n'est pas un identifiant valide (minuscules sans accents, chiffres et tirets, "
                f"{SLUG_MAX} caractères au plus{hint})"
            )
        return text.lower()

    def same(self, value, instance):
        return True  # the key: it found the case


class ChoiceColumn(Column):
    """A code of ``choices``; the French labels are accepted too. Blank: see ``blank``."""

    def __init__(self, attribute, column_name, *, choices, aliases=None, blank="", **kwargs):
        codes = " | ".join(c for c, _ in choices)
        labels = ", ".join(f"« {label} »" for _, label in choices)
        kwargs.setdefault("fmt", f"{codes} (ou {labels})")
        super().__init__(attribute, column_name, **kwargs)
        self.codes = [c for c, _ in choices]
        self.lookup = {fold_words(c): c for c, _ in choices}
        self.lookup.update({fold_words(label): c for c, label in choices})
        self.lookup.update({fold_words(alias): code for alias, code in (aliases or {}).items()})
        self.blank = blank  # the value of a blank cell; None: "keep" (existing case) or "default" (new case)

    def parse(self, raw, context):
        text = cell_text(raw)
        if not text:
            return self.blank
        code = self.lookup.get(fold_words(text))
        if code is None:
            raise CellError(f"« {text} » n'est pas une valeur permise ({', '.join(self.codes)})")
        return code


class DateColumn(Column):
    def __init__(self, attribute, column_name, **kwargs):
        super().__init__(attribute, column_name, fmt="date AAAA-MM-JJ (JJ/MM/AAAA accepté)", **kwargs)

    def parse(self, raw, context):
        if isinstance(raw, datetime.datetime):
            return raw.date()
        if isinstance(raw, datetime.date):
            return raw
        text = cell_text(raw)
        if not text:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?", text) or re.fullmatch(
            r"(\d{1,2})/(\d{1,2})/(\d{4})", text
        )
        try:
            if match is None:
                raise ValueError
            a, b, c = (int(g) for g in match.groups())
            return datetime.date(a, b, c) if a > 31 else datetime.date(c, b, a)
        except ValueError:
            raise CellError(f"« {text} » n'est pas une date (AAAA-MM-JJ, par exemple 2020-03-17)") from None

    def render(self, instance):
        value = self.current(instance)
        return value.isoformat() if value else ""


YES_WORDS = {"oui", "o", "vrai", "true", "yes", "y", "1", "x"}
NO_WORDS = {"non", "n", "faux", "false", "no", "0"}
UNKNOWN_WORDS = {"", "non precise", "inconnu", "nsp", "ne sait pas"}


class BooleanColumn(Column):
    """oui / non; blank is "non précisé" (None) when ``nullable``, else "non"."""

    def __init__(self, attribute, column_name, *, nullable=True, **kwargs):
        fmt = "oui, non ou vide (non précisé)" if nullable else "oui ou non (vide : non)"
        super().__init__(attribute, column_name, fmt=fmt, **kwargs)
        self.nullable = nullable

    def parse(self, raw, context):
        if isinstance(raw, bool):
            return raw
        word = fold_words(cell_text(raw))
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
        if word in UNKNOWN_WORDS:
            return None if self.nullable else False
        raise CellError(f"« {cell_text(raw)} » : oui, non ou vide attendu")

    def render(self, instance):
        value = self.current(instance)
        return yes_no(value)


class TerritoryColumn(Column):
    def parse(self, raw, context):
        text = cell_text(raw)
        return parse_territory(text) if text else None

    def same(self, value, instance):
        return not isinstance(value, PendingNeighbourhood) and value == instance.territory

    def apply(self, instance, value, new=False):
        if isinstance(value, PendingNeighbourhood):
            value = value.create(source="import d'un tableur")
        instance.territory = value

    def render(self, instance):
        return territory_reference(instance.territory)


class PlacesColumn(Column):
    """The other places of a case: territory references separated by " | "."""

    related = True

    def parse(self, raw, context):
        return [parse_territory(text) for text in split_list(raw)]

    def current(self, instance):
        return list(instance.other_places.all())

    def same(self, value, instance):
        if any(isinstance(v, PendingNeighbourhood) for v in value):
            return False
        return {v.pk for v in value} == {t.pk for t in self.current(instance)}

    def apply(self, instance, value, new=False):
        places = [v.create(source="import d'un tableur") if isinstance(v, PendingNeighbourhood) else v for v in value]
        instance.other_places.set(places)

    def render(self, instance):
        return SEPARATOR.join(territory_reference(t) for t in sorted(self.current(instance), key=lambda t: t.path))


class CentreColumn(Column):
    def parse(self, raw, context):
        text = cell_text(raw).lower()
        if not text:
            return None
        centre = context.lookups["centres"].get(text)
        if centre is None:
            raise CellError(f"« {text} » inconnu (identifiant d'un centre de ressources attendu, ex. « reso-villes »)")
        return centre

    def render(self, instance):
        centre = self.current(instance)
        return centre.slug if centre else ""


class SlugListColumn(Column):
    """Themes, publics, periods: by their identifiant (slug), separated by " | "."""

    related = True

    def __init__(self, attribute, column_name, *, noun, **kwargs):
        super().__init__(attribute, column_name, fmt=f"identifiants de {noun}s séparés par « | »", **kwargs)
        self.noun = noun

    def parse(self, raw, context):
        lookup = context.lookups[self.attribute]
        slugs = list(dict.fromkeys(s.lower() for s in split_list(raw)))  # "Lien-Social | lien-social": one
        unknown = [s for s in slugs if s not in lookup]
        if unknown:
            plural = "s" if len(unknown) > 1 else ""
            raise CellError(f"{quoted(unknown)} inconnu{plural} (identifiant{plural} de {self.noun} attendu{plural})")
        return [lookup[s] for s in slugs]

    def current(self, instance):
        return list(getattr(instance, self.attribute).all()) if instance.pk else []

    def same(self, value, instance):
        return {o.pk for o in value} == {o.pk for o in self.current(instance)}

    def apply(self, instance, value, new=False):
        if new:  # nothing to remove: one INSERT, not set()'s reads
            if value:
                getattr(instance, self.attribute).add(*value)
        else:
            getattr(instance, self.attribute).set(value)

    def render(self, instance):
        return SEPARATOR.join(o.slug for o in self.current(instance))


class TagsColumn(Column):
    related = True
    max_length = 100  # taggit's Tag.name

    def parse(self, raw, context):
        known = context.lookups["tags"]
        # An existing tag keeps its spelling: "aller-vers" and "Aller-vers" are one tag, not two.
        names = list(dict.fromkeys(known.get(n.casefold(), n) for n in split_list(raw)))
        too_long = [n for n in names if len(n) > self.max_length]
        if too_long:
            raise CellError(f"mot-clé de plus de {self.max_length} caractères : « {too_long[0][:40]}… »")
        return names

    def current(self, instance):
        # tagged_items__tag is what the export prefetches (as the public exports do).
        return sorted(item.tag.name for item in instance.tagged_items.all()) if instance.pk else []

    def same(self, value, instance):
        return set(value) == set(self.current(instance))

    def apply(self, instance, value, new=False):
        if new:
            if value:
                instance.tags.add(*value)
        else:
            instance.tags.set(value)

    def render(self, instance):
        return SEPARATOR.join(self.current(instance))


class ActorsColumn(Column):
    """The actors of one role, by name. A name is first looked for among the case's
    own actors (so that its unnamed actors, "deux résidentes", survive a
    round trip), then among named actors by normalised name or alias; an
    unknown name becomes a new named actor of unspecified kind."""

    related = True
    max_length = Actor._meta.get_field("name").max_length

    def __init__(self, role, column_name, **kwargs):
        super().__init__(None, column_name, fmt="noms d'acteurs séparés par « | »", **kwargs)
        self.role = role

    def parse(self, raw, context):
        resolved, keys, pks = [], set(), set()
        for name in split_list(raw):
            if len(name) > self.max_length:
                raise CellError(f"nom d'acteur de plus de {self.max_length} caractères : « {name[:40]}… »")
            key = normalise_name(name)
            if not key:
                raise CellError(f"« {name} » n'est pas un nom d'acteur")
            if key in keys:
                continue
            keys.add(key)
            actor = context.own_actors.get(key) or context.lookups["actors"].find(key)
            if actor is not None:
                if actor.pk in pks:
                    continue  # a name and one of its aliases
                pks.add(actor.pk)
            resolved.append((name, actor))
        return resolved

    def current(self, instance):
        if not instance.pk:
            return []
        return [inv.actor for inv in instance.involvements.all() if inv.role == self.role]

    def same(self, value, instance):
        if any(actor is None for _, actor in value):
            return False
        return {a.pk for _, a in value} == {a.pk for a in self.current(instance)}

    def apply(self, instance, value, new=False):
        wanted = []
        for name, actor in value:
            if actor is None:  # a name seen for the first time, or created by an earlier row of the file
                actor = named_actor(name)
            if actor.pk not in wanted:
                wanted.append(actor.pk)
        have = set()
        if not new:
            instance.involvements.filter(role=self.role).exclude(actor_id__in=wanted).delete()
            have = set(instance.involvements.filter(role=self.role).values_list("actor_id", flat=True))
        Involvement.objects.bulk_create(
            [Involvement(initiative=instance, actor_id=pk, role=self.role) for pk in wanted if pk not in have]
        )

    def render(self, instance):
        return SEPARATOR.join(a.name for a in self.current(instance))


class ActorLookup:
    """Named actors by normalised name or alias, read once per file."""

    def __init__(self):
        self.by_key = {}
        for actor in Actor.objects.named().only("pk", "name", "normalised_name"):
            self.by_key[actor.normalised_name] = actor
        for alias in ActorAlias.objects.select_related("actor").only("normalised_name", "actor__name"):
            self.by_key.setdefault(alias.normalised_name, alias.actor)

    def find(self, key):
        return self.by_key.get(key)


@dataclass
class RowContext:
    """What parsing a row needs besides the cell: reference lists and the case's own actors."""

    lookups: dict
    own_actors: dict
