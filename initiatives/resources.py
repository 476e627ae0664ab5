"""Cases as spreadsheet rows: the bulk import and export of the admin (django-import-export).

One row is one case; the columns (``COLUMNS``, documented in README, "Bulk
import and export of cases") are French, in snake case; what the export writes is
exactly what the import reads, so that an export re-imported as is changes
nothing. Citations, key figures and related cases are not in the sheet: they
are curated in the case's form.

Why the import is written here rather than in ``services.py``: django-import-
export drives the transaction, the dry run (the preview) and the per-row
report; this resource plugs the house rules into it, and asks the same
functions as every other write path (``initiatives.permissions``,
``services.may_move``, ``Initiative.save()``,
``browse_index.refresh``).

Per row (``import_instance``):
1. every cell is parsed by its column; a problem is a message keyed by the
   column's name, shown in the preview ("territoire : « commune:99999 »
   inconnu"); the row is then invalid and nothing of the file is written;
2. blank cells that mean "keep" or "choose" are resolved (status, level,
   curating centre);
3. the editorial rules: workflow transitions as in the form, a territory
   beyond draft, dates in order;
4. permissions: a curator changes only the cases of their centres and files
   new cases under one of them; a row that would change nothing is reported
   unchanged whoever the case belongs to, so that re-importing a whole export
   never fails on other centres' rows;
5. unchanged rows are skipped (``skip_unchanged``) and reported
   (``report_skipped``): importing a file twice creates nothing the second
   time.
Each written row is one django-reversion revision ("Import du fichier X,
ligne N", with the user); the facet index and search text of every case
touched are rebuilt once at the end (``after_import``), never in a dry run.
"""

import contextlib
import datetime
import re
from dataclasses import dataclass

import reversion
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.text import slugify
from import_export.fields import Field
from import_export.resources import ModelResource
from import_export.results import Error
from taggit.models import Tag

from initiatives import history, permissions
from initiatives.browse_index import deferred, refresh
from initiatives.models import Actor, ActorAlias, CrisisPeriod, Initiative, Involvement, Public, Theme
from initiatives.services import may_move, named_actor, next_statuses, unique_slug
from initiatives.text import fold_words, normalise_name
from territories.models import ResourceCentre, Territory
from territories.services import choose_curating_centre, get_or_create_qpv

SEPARATOR = " | "
MAX_ROWS = 500  # cases in one file: about 15 s of preview and 25 s of import (README), within one request
MAX_BYTES = 5 * 1024 * 1024
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX = Initiative._meta.get_field("slug").max_length
Status = Initiative.Status


class CellError(Exception):
    """A problem with one cell; the message says what, the column is added by the caller."""


class HeaderError(Exception):
    """A problem with the file as a whole (its header row); nothing is imported."""


# ---------------------------------------------------------------------------
# Cells


def cell_text(value) -> str:
    """A cell as text, whatever the spreadsheet made of it (numbers, dates, booleans)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    if "\x00" in text:
        raise CellError("contient un caractère nul : le fichier est-il bien un tableur ?")
    return text


def split_list(value) -> list[str]:
    """Values separated by " | " (spaces optional), without blanks and repeats, in order."""
    seen, items = set(), []
    for part in cell_text(value).split("|"):
        part = " ".join(part.split())
        if part and part not in seen:
            seen.add(part)
            items.append(part)
    return items


def quoted(values) -> str:
    return ", ".join(f"« {v} »" for v in values)


def header_key(header) -> str:
    """Headers are compared without case, accents or punctuation: "Centre référent" is centre_referent."""
    return fold_words(cell_text(header)).replace(" ", "_")


# ---------------------------------------------------------------------------
# Territories: the references of the case files (fixtures/cases/FORMAT.md), plus French aliases


TERRITORY_KINDS = {
    "country": "country",
    "pays": "country",
    "region": "region",
    "department": "department",
    "departement": "department",
    "dept": "department",
    "dep": "department",
    "epci": "epci",
    "intercommunalite": "epci",
    "commune": "commune",
    "arrondissement": "commune",
    "qpv": "qpv",
    "quartier": "qpv",
}


def territory_reference(territory) -> str:
    """How the export writes a place: ``country:FR``, ``region:44``, ``department:54``,
    ``commune:44109`` (arrondissements too), ``epci:<SIREN>``, ``qpv:<commune code>:<name>``."""
    if territory is None:
        return ""
    kind = territory.kind
    if kind == Territory.Kind.QPV:
        return f"qpv:{territory.parent.code}:{territory.name}"
    if kind == Territory.Kind.ARRONDISSEMENT:
        kind = Territory.Kind.COMMUNE
    return f"{kind}:{territory.code}"


@dataclass(frozen=True)
class PendingQpv:
    """A QPV named for the first time: created when the row is written (as the case loader does)."""

    commune: Territory
    name: str

    @property
    def path_prefixes(self):
        return self.commune.path_prefixes


def parse_territory(text: str):
    """The territory of a reference, a ``PendingQpv``, or ``CellError``."""
    if ":" not in text:
        if fold_words(text) in ("france", "fr", "national"):
            text = "country:FR"
        else:
            raise CellError(
                f"« {text} » n'est pas une référence de territoire "
                "(ex. « commune:44109 », « department:54 », « region:44 », « qpv:44109:Bellevue », « france »)"
            )
    kind_text, _, rest = text.partition(":")
    kind = TERRITORY_KINDS.get(fold_words(kind_text).replace(" ", ""))
    if kind is None:
        raise CellError(
            f"« {kind_text} » n'est pas un type de territoire "
            "(country, region, department, commune, epci ou qpv ; pays, région, département acceptés)"
        )
    if kind == "qpv":
        code, _, name = rest.partition(":")
        name = " ".join(name.split())
        if not code.strip() or not name:
            raise CellError(f"« {text} » : un QPV s'écrit « qpv:<code INSEE de la commune>:<nom du quartier> »")
        commune = _territory_or_none("commune", code.strip())
        if commune is None:
            raise CellError(f"« {text} » : commune « {code.strip()} » inconnue")
        qpv = Territory.objects.filter(kind=Territory.Kind.QPV, parent=commune, name__iexact=name).first()
        return qpv or PendingQpv(commune=commune, name=name)
    territory = _territory_or_none(kind, rest.strip().upper() if kind == "country" else rest.strip())
    if territory is None:
        raise CellError(f"« {text} » inconnu")
    return territory


def _territory_or_none(kind, code):
    kinds = ["commune", "arrondissement"] if kind == "commune" else [kind]
    # Codes are unique per kind; a commune and an arrondissement never share one.
    return Territory.objects.filter(kind__in=kinds, code=code).order_by("kind").first() if code else None


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
        return "" if value is None else ("oui" if value else "non")


class TerritoryColumn(Column):
    def parse(self, raw, context):
        text = cell_text(raw)
        return parse_territory(text) if text else None

    def same(self, value, instance):
        return not isinstance(value, PendingQpv) and value == instance.territory

    def apply(self, instance, value, new=False):
        if isinstance(value, PendingQpv):
            value = get_or_create_qpv(commune=value.commune, name=value.name, source="import d'un tableur")
        instance.territory = value

    def render(self, instance):
        return territory_reference(instance.territory)


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
        slugs = [s.lower() for s in split_list(raw)]
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


# ---------------------------------------------------------------------------
# The resource

Role = Involvement.Role
SECTION_COLUMNS = {
    "issues": "grille_enjeux",
    "context": "grille_origine_contexte",
    "actions": "grille_actions",
    "partnerships": "grille_partenariats",
    "obstacles": "grille_freins",
    "means": "grille_moyens",
    "communication": "grille_communication",
    "practice_change": "grille_evolution_pratiques",
    "impacts": "grille_impacts",
    "steering": "grille_pilotage_evaluation",
    "transferability": "grille_transferabilite",
    "people_interviewed": "grille_personnes_rencontrees",
}
SECTION_EXAMPLES = {
    "issues": "Des familles sans ressources dès la fermeture des cantines.",
    "actions": "Livraison de colis deux fois par semaine, au pied des immeubles.",
    "partnerships": "La Ville prête une camionnette ; la Banque alimentaire fournit les denrées.",
}

COLUMNS = (
    "identifiant",
    "titre",
    "resume",
    "territoire",
    "centre_referent",
    "centre_signalant",
    "statut",
    "niveau_documentation",
    "milieu",
    "date_debut",
    "date_fin",
    "benevoles",
    "nouveaux_publics",
    "cooperation_inedite",
    "emancipee_d_une_regle",
    "poursuivie_apres_crise",
    "a_mettre_a_jour",
    "themes",
    "publics",
    "periodes",
    "mots_cles",
    "porteurs",
    "partenaires",
    "financeurs",
    "relais",
    *SECTION_COLUMNS.values(),
)
REQUIRED_HEADERS = ("identifiant", "titre")


def _section(field):
    label = dict(Initiative.SECTIONS)[field]
    return TextColumn(
        field,
        SECTION_COLUMNS[field],
        meaning=f"grille d'analyse Odas : « {label} »",
        example=SECTION_EXAMPLES.get(field, ""),
    )


class InitiativeResource(ModelResource):
    """Cases in the columns of ``COLUMNS``; see the module docstring and README."""

    identifiant = SlugColumn(
        "slug",
        "identifiant",
        meaning="identifiant du cas (son adresse : /initiatives/<identifiant>/) ; c'est lui qui retrouve "
        "un cas existant. Vide : fabriqué à partir du titre (et un cas existant de même titre est retrouvé)",
        fmt="minuscules sans accents, chiffres et tirets, 140 caractères au plus",
        required="colonne obligatoire, valeur facultative",
        example="epicerie-solidaire-mobile-nantes",
    )
    titre = TextColumn("title", "titre", required=True, meaning="titre du cas", example="Épicerie solidaire mobile")
    resume = TextColumn(
        "summary",
        "resume",
        meaning="résumé en quelques phrases",
        example="Une camionnette livre des colis alimentaires aux familles du quartier pendant le confinement.",
    )
    territoire = TerritoryColumn(
        "territory",
        "territoire",
        meaning="lieu du cas. Un QPV nommé pour la première fois est créé, rattaché à sa commune",
        fmt="country:FR (ou france), region:<code INSEE>, department:<code INSEE>, commune:<code INSEE> "
        "(arrondissements compris), epci:<SIREN>, qpv:<code INSEE de la commune>:<nom du quartier> ; "
        "« pays », « région », « département » acceptés",
        required="sauf en brouillon",
        example="commune:44109",
    )
    centre_referent = CentreColumn(
        "curating_centre",
        "centre_referent",
        meaning="centre de ressources référent, qui suit le cas (ses curateur·rices seul·es le modifient). "
        "Vide : inchangé pour un cas existant ; pour un nouveau cas, choisi automatiquement si vous êtes "
        "administrateur·rice (centre signalant, sinon couverture la plus précise, sinon réseau national), "
        "votre centre si vous êtes curateur·rice d'un seul centre",
        fmt="identifiant d'un centre de ressources",
        required="si vous suivez plusieurs centres (nouveau cas)",
        example="reso-villes",
    )
    centre_signalant = CentreColumn(
        "reporting_centre",
        "centre_signalant",
        meaning="centre de ressources qui a signalé le cas",
        fmt="identifiant d'un centre de ressources",
        example="reso-villes",
    )
    statut = ChoiceColumn(
        "status",
        "statut",
        choices=Status.choices,
        aliases={"relecture": Status.REVIEW},
        blank=None,
        meaning="statut éditorial. Les passages suivent le circuit du formulaire (brouillon → en relecture → "
        "publié → archivé, retour en brouillon de partout) ; un nouveau cas ne peut pas être archivé. "
        "Vide : inchangé (brouillon pour un nouveau cas)",
        example="draft",
    )
    niveau_documentation = ChoiceColumn(
        "documentation_level",
        "niveau_documentation",
        choices=Initiative.DocumentationLevel.choices,
        aliases={"liste": "listed", "analyse": "analysed", "analyzed": "analysed"},
        blank=None,
        meaning="ce que disent les sources : simplement listé, décrit, analysé en détail (fiche selon la grille). "
        "Vide : inchangé",
        required="pour un nouveau cas",
        example="described",
    )
    milieu = ChoiceColumn(
        "setting",
        "milieu",
        choices=Initiative.Setting.choices,
        aliases={"urban": "urbain", "peri urbain": "periurbain", "rural": "rural"},
        meaning="milieu (vide : non précisé)",
        example="urbain",
    )
    date_debut = DateColumn(
        "start_date", "date_debut", meaning="date de début, si la source la donne", example="2020-03-23"
    )
    date_fin = DateColumn(
        "end_date",
        "date_fin",
        meaning="date de fin, si la source la donne (pas avant date_debut)",
        example="2020-06-30",
    )
    benevoles = BooleanColumn("volunteers", "benevoles", meaning="s'appuie sur des bénévoles", example="oui")
    nouveaux_publics = BooleanColumn(
        "new_publics", "nouveaux_publics", meaning="touche de nouveaux publics en précarité", example="oui"
    )
    cooperation_inedite = BooleanColumn(
        "unprecedented_cooperation", "cooperation_inedite", meaning="coopération ou partenariat inédit", example=""
    )
    emancipee_d_une_regle = BooleanColumn(
        "freed_from_rule", "emancipee_d_une_regle", meaning="s'est émancipée d'une règle ou d'une norme", example=""
    )
    poursuivie_apres_crise = BooleanColumn(
        "continued", "poursuivie_apres_crise", meaning="poursuivie après la crise", example="non"
    )
    a_mettre_a_jour = BooleanColumn(
        "needs_update", "a_mettre_a_jour", nullable=False, meaning="marqué « à mettre à jour »", example="non"
    )
    themes = SlugListColumn(
        "themes", "themes", noun="thème", meaning="thèmes (racines ou sous-thèmes)", example="aide-alimentaire"
    )
    publics = SlugListColumn("publics", "publics", noun="public", meaning="publics visés", example="familles")
    periodes = SlugListColumn(
        "periods", "periodes", noun="période", meaning="périodes de la crise", example="confinement-1"
    )
    mots_cles = TagsColumn(
        "tags",
        "mots_cles",
        meaning="mots-clés, par leur nom (un mot-clé nouveau est créé)",
        fmt="mots-clés séparés par « | »",
        example="circuit court | livraison",
    )
    porteurs = ActorsColumn(
        Role.CARRIER,
        "porteurs",
        meaning="acteurs qui portent l'action. Un nom est cherché parmi les acteurs du cas, puis parmi les acteurs "
        "nommés (nom normalisé ou autre nom) ; un nom inconnu crée un acteur nommé, de type non précisé",
        example="Centre social de Bellevue",
    )
    partenaires = ActorsColumn(
        Role.PARTNER, "partenaires", meaning="acteurs partenaires (mêmes règles)", example="Ville de Nantes"
    )
    financeurs = ActorsColumn(
        Role.FUNDER,
        "financeurs",
        meaning="financeurs (mêmes règles)",
        example="Ville de Nantes | CAF de Loire-Atlantique",
    )
    relais = ActorsColumn(Role.RELAY, "relais", meaning="acteurs relais (mêmes règles)", example="")
    grille_enjeux = _section("issues")
    grille_origine_contexte = _section("context")
    grille_actions = _section("actions")
    grille_partenariats = _section("partnerships")
    grille_freins = _section("obstacles")
    grille_moyens = _section("means")
    grille_communication = _section("communication")
    grille_evolution_pratiques = _section("practice_change")
    grille_impacts = _section("impacts")
    grille_pilotage_evaluation = _section("steering")
    grille_transferabilite = _section("transferability")
    grille_personnes_rencontrees = _section("people_interviewed")

    class Meta:
        model = Initiative
        name = "Cas (une ligne par cas)"
        fields = COLUMNS
        import_order = COLUMNS
        export_order = COLUMNS
        import_id_fields = ["identifiant"]
        skip_unchanged = True
        report_skipped = True
        # The preview lists the changed columns of each row (after_import_row), not a full HTML diff.
        skip_diff = True
        use_transactions = True

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    # ----- the columns, documentation and template

    @classmethod
    def columns(cls) -> list[Column]:
        return [cls.fields[name] for name in COLUMNS]

    @classmethod
    def example_row(cls) -> list[str]:
        return [column.example for column in cls.columns()]

    @classmethod
    def check_headers(cls, headers) -> list[str]:
        """What is wrong with a header row (already normalised by ``header_key``), in French."""
        problems = []
        missing = [name for name in REQUIRED_HEADERS if name not in headers]
        if missing:
            problems.append(
                f"Colonne(s) obligatoire(s) absente(s) : {', '.join(missing)}. Partez du modèle téléchargeable "
                "sur cette page : sa première ligne donne les noms des colonnes."
            )
        unknown = [h for h in headers if h not in COLUMNS]
        if unknown:
            problems.append(
                f"Colonne(s) inconnue(s) : {', '.join(h or '(sans nom)' for h in unknown)}. "
                f"Colonnes possibles : {', '.join(COLUMNS)}."
            )
        repeated = sorted({h for h in headers if headers.count(h) > 1 and h})
        if repeated:
            problems.append(f"Colonne(s) en double : {', '.join(repeated)}.")
        return problems

    # ----- export

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("territory__parent", "curating_centre", "reporting_centre").prefetch_related(
            "themes", "publics", "periods", "tagged_items__tag", "involvements__actor"
        )

    # ----- import: the file

    def import_data(self, dataset, **kwargs):
        """Refuse a file whose header row is wrong before reading any row (one clear message)."""
        dataset.headers = [header_key(h) for h in dataset.headers or []]
        problems = self.check_headers(dataset.headers)
        if problems:
            result = self.get_result_class()()
            result.total_rows = len(dataset)
            result.append_base_error(Error(HeaderError(" ".join(problems))))
            return result
        # One rebuild of derived data for the whole file (after_import), none for a preview.
        with deferred():
            return super().import_data(dataset, **kwargs)

    def before_import(self, dataset, **kwargs):
        if self.user is None:
            self.user = kwargs.get("user")
        self.file_name = kwargs.get("file_name") or "sans nom"
        self.touched = set()
        self.seen = {}
        self.lookups = {
            "centres": {c.slug: c for c in ResourceCentre.objects.all()},
            "themes": {t.slug: t for t in Theme.objects.all()},
            "publics": {p.slug: p for p in Public.objects.all()},
            "periods": {p.slug: p for p in CrisisPeriod.objects.all()},
            "actors": ActorLookup(),
            "tags": {name.casefold(): name for name in Tag.objects.order_by("-pk").values_list("name", flat=True)},
        }
        slugs = set()
        for value in dataset["identifiant"] if "identifiant" in (dataset.headers or []) else []:
            with contextlib.suppress(CellError):  # reported with its row
                slugs.add(self.fields["identifiant"].parse(value, None))
        slugs.discard("")
        self.existing = {}
        ordered = sorted(slugs)
        for start in range(0, len(ordered), 500):
            cases = self.cases_with_relations().filter(slug__in=ordered[start : start + 500])
            self.existing.update((case.slug, case) for case in cases)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if not kwargs.get("dry_run") and self.touched:
            # Themes, tags and involvements were written after each save(): rebuild once, for every case touched.
            refresh(sorted(self.touched))

    # ----- import: one row

    @staticmethod
    def cases_with_relations():
        return Initiative.objects.select_related("territory__parent", "curating_centre").prefetch_related(
            "themes", "publics", "periods", "tagged_items__tag", "involvements__actor"
        )

    def get_instance(self, instance_loader, row):
        try:
            slug = self.fields["identifiant"].parse(row.get("identifiant"), None)
            title = cell_text(row.get("titre"))
        except CellError:
            return None  # import_instance reports it
        if slug:
            # Read up front for the whole file (before_import); a case created by an earlier row of
            # the file is not there, and a second row with its identifiant is refused as a repeat.
            return self.existing.get(slug)
        cases = self.cases_with_relations()
        # A blank identifiant: the case an earlier import made from this very title (slug from the
        # title, maybe with a "-2" suffix), so that importing the same file twice creates nothing.
        base = slugify(title)[:SLUG_MAX] if title else ""
        if not base:
            return None
        folded = fold_words(title)
        for case in cases.filter(slug__startswith=base[: SLUG_MAX - 4]).order_by("pk")[:20]:
            if fold_words(case.title) == folded:
                return case
        return None

    def before_import_row(self, row, **kwargs):
        self.new = False
        self.pending = []
        self.changes = []
        self.unchanged = False

    def import_instance(self, instance, row, **kwargs):
        line = kwargs.get("row_number", 0) + 1  # the spreadsheet's line: the header is line 1
        new = self.new = instance.pk is None
        user = self.user
        errors = {}

        def error(column, message):
            errors.setdefault(column, []).append(message)

        own_actors = {}
        for involvement in instance.involvements.all() if not new else []:
            own_actors.setdefault(normalise_name(involvement.actor.name), involvement.actor)
        context = RowContext(lookups=self.lookups, own_actors=own_actors)
        parsed = {}
        for column in self.get_import_fields():
            if column.column_name in row:
                try:
                    parsed[column.column_name] = column.parse(row[column.column_name], context)
                except CellError as problem:
                    error(column.column_name, str(problem))

        # The key, and a case met twice in one file.
        if new and "identifiant" not in errors and "titre" not in errors:
            slug = parsed.get("identifiant") or unique_slug(
                Initiative, parsed.get("titre", ""), max_length=SLUG_MAX, fallback="cas"
            )
            instance.slug = slug
        key = instance.slug  # an existing case's, or the one a new case will get
        if key in self.seen:
            error("identifiant", f"ce cas figure déjà à la ligne {self.seen[key]} du fichier")
        elif key:
            self.seen[key] = line

        # Blank cells that mean "keep" or "default", and the values the rules look at.
        status = parsed.get("statut") or (Status.DRAFT if new else instance.status)
        level = parsed.get("niveau_documentation")
        if new and not level and "niveau_documentation" not in errors:
            error("niveau_documentation", "obligatoire pour un nouveau cas (listed, described ou analysed)")
        territory = parsed.get("territoire", None if new else instance.territory)
        reporting = parsed.get("centre_signalant", instance.reporting_centre)
        centre = self._resolve_centre(parsed, instance, new, territory, reporting, errors)

        # Editorial rules, as in the form.
        if new and status == Status.ARCHIVED:
            error("statut", "un nouveau cas ne peut pas être archivé")
        elif not new and not may_move(instance.status, status):
            current = Status(instance.status)
            allowed = next_statuses(current)
            error(
                "statut",
                f"le cas est « {current.label} » : il peut passer à {allowed}, pas à « {Status(status).label} »",
            )
        if status != Status.DRAFT and territory is None and "territoire" not in errors:
            error("territoire", f"obligatoire pour un cas au statut « {Status(status).label} »")
        start = parsed.get("date_debut", instance.start_date)
        end = parsed.get("date_fin", instance.end_date)
        if start and end and end < start and "date_fin" not in errors:
            error("date_fin", f"« {end.isoformat()} » précède date_debut (« {start.isoformat()} »)")

        # What would change.
        changes = []
        keep_if_blank = ("statut", "niveau_documentation")
        for name, value in parsed.items():
            column = self.fields[name]
            if name in ("identifiant", "centre_referent") or (value is None and name in keep_if_blank):
                continue
            if new or not column.same(value, instance):
                changes.append(name)
        if new or centre != instance.curating_centre:
            changes.append("centre_referent")

        # Permissions, row by row (initiatives.permissions decides).
        if user is not None:
            if new and not permissions.may_add_case(user):
                error("identifiant", "vous ne pouvez pas créer de cas")
            elif not new and not permissions.may_edit_case(user, instance):
                if not changes and not errors:
                    self.unchanged = True
                    return  # another centre's case, which this row leaves as it is
                owner = instance.curating_centre.short_name if instance.curating_centre else "aucun centre"
                concerned = list(dict.fromkeys([*changes, *errors]))
                errors.clear()  # the only thing that matters on this row
                error(
                    "identifiant",
                    f"le cas « {instance.title[:60]} » est suivi par « {owner} », qui n'est pas l'un de vos "
                    f"centres : vous ne pouvez pas le modifier (colonnes concernées : {', '.join(concerned)})",
                )
            elif (
                centre is not None
                and "centre_referent" in changes
                and not permissions.may_curate_centre(user, centre.pk)
            ):
                mine = ResourceCentre.objects.filter(pk__in=permissions.centre_ids(user)).order_by("slug")
                error(
                    "centre_referent",
                    f"« {centre.slug} » n'est pas l'un de vos centres de ressources "
                    f"(vos centres : {', '.join(c.slug for c in mine) or 'aucun'})",
                )
        if errors:
            raise ValidationError(errors)
        if not changes:
            self.unchanged = True
            return

        if not new and not kwargs.get("dry_run"):
            # A case loaded or made before history existed: record how it was, so the import can be compared.
            history.ensure_initial_versions([instance])

        # Write the case's own columns now; the related ones once it is saved (save_m2m).
        for name in changes:
            column = self.fields[name]
            if name == "centre_referent":
                instance.curating_centre = centre
            elif name == "statut":
                instance.status = status  # save() sets the first publication date, as the workflow keeps it
            elif column.related:
                self.pending.append((column, parsed[name]))
            else:
                column.apply(instance, parsed[name])
        if new:
            instance.status = status
        shown = ((name, self._preview(name, parsed, centre, instance, new)) for name in changes)
        self.changes = [(name, text) for name, text in shown if text or not new]  # a new case: its values

    def _resolve_centre(self, parsed, instance, new, territory, reporting, errors):
        """The curating centre the row asks for. Blank: unchanged for an existing case; for a new
        one, chosen automatically for an administrator, the curator's centre if they have one."""
        if parsed.get("centre_referent"):
            return parsed["centre_referent"]
        if not new or "centre_referent" in errors:
            return instance.curating_centre
        user = self.user
        if user is None or permissions.is_admin(user):
            place = territory.commune if isinstance(territory, PendingQpv) else territory
            return choose_curating_centre(territory=place, reporting_centre=reporting)
        own = sorted(permissions.centre_ids(user))
        if len(own) == 1:
            return ResourceCentre.objects.get(pk=own[0])
        slugs = ResourceCentre.objects.filter(pk__in=own).order_by("slug").values_list("slug", flat=True)
        errors.setdefault("centre_referent", []).append(
            f"obligatoire : vous suivez plusieurs centres ({', '.join(slugs)}) ; indiquez lequel suit ce cas"
        )
        return None

    @staticmethod
    def _preview(name, parsed, centre, instance, new):
        """The new value of a changed column as the preview shows it (shortened)."""
        if name == "centre_referent":
            text = centre.slug if centre else ""
        else:
            value = parsed[name]
            if isinstance(value, list):
                text = SEPARATOR.join(
                    (v[0] if isinstance(v, tuple) else getattr(v, "slug", None) or str(v)) for v in value
                )
            elif isinstance(value, PendingQpv):
                text = f"qpv:{value.commune.code}:{value.name} (nouveau QPV)"
            elif isinstance(value, Territory):
                text = territory_reference(value)
            elif isinstance(value, ResourceCentre):
                text = value.slug
            elif isinstance(value, bool):
                text = "oui" if value else "non"
            elif isinstance(value, datetime.date):
                text = value.isoformat()
            else:
                text = "" if value is None else str(value)
        return text if len(text) <= 80 else text[:79] + "…"

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return self.unchanged and not import_validation_errors

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The row's own errors, then the model's checks, both keyed by column name."""
        if import_validation_errors:
            raise ValidationError(import_validation_errors)
        try:
            # Unique slug, dates in order, a territory beyond draft, a publication date: import_instance
            # has checked them (with messages naming the column), so the model's per-constraint queries
            # are not repeated for every row. The database constraints stay the last guard.
            instance.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as invalid:
            column_of = {c.attribute: c.column_name for c in self.columns() if c.attribute}
            raise ValidationError(
                {
                    (key if key == NON_FIELD_ERRORS else column_of.get(key, key)): messages
                    for key, messages in invalid.message_dict.items()
                }
            ) from None

    def save_m2m(self, instance, row, **kwargs):
        for column, value in self.pending:
            column.apply(instance, value, new=self.new)
        instance._prefetched_objects_cache = {}  # what was prefetched is stale now
        self.touched.add(instance.pk)
        if not kwargs.get("dry_run"):
            with reversion.create_revision():
                if self.user is not None:
                    reversion.set_user(self.user)
                reversion.set_comment(f"Import du fichier {self.file_name}, ligne {kwargs.get('row_number', 0) + 1}")
                reversion.add_to_revision(instance)

    def after_import_row(self, row, row_result, **kwargs):
        row_result.line = kwargs.get("row_number", 0) + 1
        row_result.changes = self.changes


def documentation_rows():
    """(column, meaning, format, required, example) of every column, in order: the README table."""
    return [(c.column_name, c.meaning, c.fmt, c.required, c.example) for c in InitiativeResource.columns()]
