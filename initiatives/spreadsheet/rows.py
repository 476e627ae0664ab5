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
``services.status_problem``, ``Initiative.save()``,
and the write boundary ``initiatives.browse.keys.writing``).

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
touched are rebuilt once, when the file's write boundary closes; a dry run rebuilds nothing.
"""

import contextlib
import datetime

import reversion
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.text import slugify
from import_export.resources import ModelResource
from import_export.results import Error
from taggit.models import Tag

from initiatives import permissions, services
from initiatives.browse.keys import touch, writing
from initiatives.models import CrisisPeriod, Initiative, Public, Theme
from initiatives.models.cases import territory_problem
from initiatives.services import note_status_change, publication_problem, status_problem, unique_slug
from initiatives.spreadsheet.cells import (
    SEPARATOR,
    SLUG_MAX,
    CellError,
    HeaderError,
    PendingNeighbourhood,
    Status,
    cell_text,
    header_key,
    territory_reference,
)
from initiatives.spreadsheet.columns import ActorLookup, RowContext
from initiatives.spreadsheet.sheet import COLUMNS, CaseSheet
from initiatives.text import fold_words, normalise_name, yes_no
from territories.models import ResourceCentre, Territory
from territories.services import choose_curating_centre

# ---------------------------------------------------------------------------
# The resource


class CaseRows(CaseSheet, ModelResource):
    """Cases as rows of a spreadsheet (a django-import-export resource); see the module docstring."""

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

    # ----- export

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("territory__parent", "curating_centre", "reporting_centre").prefetch_related(
            "themes", "publics", "periods", "tagged_items__tag", "involvements__actor", "other_places__parent"
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
        # One write boundary for the whole file: its cases are rebuilt once, none for a preview.
        with writing(discard=bool(kwargs.get("dry_run"))):
            return super().import_data(dataset, **kwargs)

    def before_import(self, dataset, **kwargs):
        if self.user is None:
            self.user = kwargs.get("user")
        self.file_name = kwargs.get("file_name") or "sans nom"
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

    # ----- import: one row

    @staticmethod
    def cases_with_relations():
        return Initiative.objects.select_related("territory__parent", "curating_centre").prefetch_related(
            "themes", "publics", "periods", "tagged_items__tag", "involvements__actor", "other_places__parent"
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
        """One row: parse its cells, check the key, the editorial rules and the permissions, then write
        the case's own columns (the related ones are written in ``save_m2m``). A problem is raised as a
        ``ValidationError`` keyed by column; a row that changes nothing is marked unchanged."""
        new = self.new = instance.pk is None
        errors = {}
        parsed = self._parse_cells(instance, row, new, errors)
        self._check_key(instance, parsed, new, kwargs.get("row_number", 0) + 1, errors)
        status, centre = self._check_rules(instance, parsed, new, errors)
        changes = self._changes(instance, parsed, new, centre)
        if self.user is not None and not self._check_permissions(instance, new, changes, centre, errors):
            self.unchanged = True  # another centre's case, which this row leaves as it is
            return
        if errors:
            raise ValidationError(errors)
        if not changes:
            self.unchanged = True
            return
        if not new and not kwargs.get("dry_run"):
            # A case loaded or made before history existed: record how it was, so the import can be compared.
            services.ensure_initial_versions([instance])
        self._write(instance, parsed, changes, status, centre, new)

    @staticmethod
    def _error(errors, column, message):
        errors.setdefault(column, []).append(message)

    def _parse_cells(self, instance, row, new, errors):
        """Each cell of the row parsed by its column; a cell's problem is reported under its column."""
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
                    self._error(errors, column.column_name, str(problem))
        return parsed

    def _check_key(self, instance, parsed, new, line, errors):
        """The case's identifiant (made from the title for a new case), and a case met twice in one file."""
        if new and "identifiant" not in errors and "titre" not in errors:
            instance.slug = parsed.get("identifiant") or unique_slug(
                Initiative, parsed.get("titre", ""), max_length=SLUG_MAX, fallback="cas"
            )
        key = instance.slug  # an existing case's, or the one a new case will get
        if key in self.seen:
            self._error(errors, "identifiant", f"ce cas figure déjà à la ligne {self.seen[key]} du fichier")
        elif key:
            self.seen[key] = line  # the spreadsheet's line: the header is line 1

    def _check_rules(self, instance, parsed, new, errors):
        """Blank cells that mean "keep" or "default", then the editorial rules, as in the form.
        Returns the status and the curating centre the row asks for."""
        status = parsed.get("statut") or (Status.DRAFT if new else instance.status)
        if new and not parsed.get("niveau_documentation") and "niveau_documentation" not in errors:
            self._error(
                errors, "niveau_documentation", "obligatoire pour un nouveau cas (listed, described ou analysed)"
            )
        territory = parsed.get("territoire", None if new else instance.territory)
        reporting = parsed.get("centre_signalant", instance.reporting_centre)
        centre = self._resolve_centre(parsed, instance, new, territory, reporting, errors)
        problem = status_problem(None if new else instance.status, status) or (
            None if new else publication_problem(instance, status, self.user)
        )
        if problem:
            self._error(errors, "statut", problem)
        problem = territory_problem(status, territory)
        if problem and "territoire" not in errors:
            self._error(errors, "territoire", problem)
        start = parsed.get("date_debut", instance.start_date)
        end = parsed.get("date_fin", instance.end_date)
        if start and end and end < start and "date_fin" not in errors:
            self._error(errors, "date_fin", f"« {end.isoformat()} » précède date_debut (« {start.isoformat()} »)")
        return status, centre

    def _changes(self, instance, parsed, new, centre):
        """The columns whose value differs from the case's (all of them for a new case)."""
        changes = []
        keep_if_blank = ("statut", "niveau_documentation")
        for name, value in parsed.items():
            if name in ("identifiant", "centre_referent") or (value is None and name in keep_if_blank):
                continue
            if new or not self.fields[name].same(value, instance):
                changes.append(name)
        if new or centre != instance.curating_centre:
            changes.append("centre_referent")
        return changes

    def _check_permissions(self, instance, new, changes, centre, errors):
        """Row by row (``initiatives.permissions`` decides). False: another centre's case that the row
        leaves as it is, to be reported unchanged."""
        user = self.user
        if new and not permissions.may_add_case(user):
            self._error(errors, "identifiant", "vous ne pouvez pas créer de cas")
        elif not new and not permissions.may_edit_case(user, instance):
            if not changes and not errors:
                return False
            owner = instance.curating_centre.short_name if instance.curating_centre else "aucun centre"
            concerned = list(dict.fromkeys([*changes, *errors]))
            errors.clear()  # the only thing that matters on this row
            self._error(
                errors,
                "identifiant",
                f"le cas « {instance.title[:60]} » est suivi par « {owner} », qui n'est pas l'un de vos "
                f"centres : vous ne pouvez pas le modifier (colonnes concernées : {', '.join(concerned)})",
            )
        elif centre is not None and "centre_referent" in changes and not permissions.may_curate_centre(user, centre.pk):
            mine = ResourceCentre.objects.filter(pk__in=permissions.centre_ids(user)).order_by("slug")
            self._error(
                errors,
                "centre_referent",
                f"« {centre.slug} » n'est pas l'un de vos centres de ressources "
                f"(vos centres : {', '.join(c.slug for c in mine) or 'aucun'})",
            )
        return True

    def _write(self, instance, parsed, changes, status, centre, new):
        """The case's own columns now; the related ones once it is saved (``save_m2m``)."""
        for name in changes:
            column = self.fields[name]
            if name == "centre_referent":
                instance.curating_centre = centre
            elif name == "statut":
                note_status_change(instance, None if new else instance.status, status, self.user)
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
            place = territory.commune if isinstance(territory, PendingNeighbourhood) else territory
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
        text = (centre.slug if centre else "") if name == "centre_referent" else _preview_text(parsed[name])
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
        touch([instance.pk])  # involvements are bulk-created: no signal reports them
        if not kwargs.get("dry_run"):
            with reversion.create_revision():
                if self.user is not None:
                    reversion.set_user(self.user)
                reversion.set_comment(f"Import du fichier {self.file_name}, ligne {kwargs.get('row_number', 0) + 1}")
                reversion.add_to_revision(instance)

    def after_import_row(self, row, row_result, **kwargs):
        row_result.line = kwargs.get("row_number", 0) + 1
        row_result.changes = self.changes


def _preview_text(value) -> str:
    """A parsed cell as the preview shows it: the text the export would write for it."""
    if isinstance(value, list):
        return SEPARATOR.join(_preview_text(v[0] if isinstance(v, tuple) else v) for v in value)
    if isinstance(value, PendingNeighbourhood):
        return f"{value.kind}:{value.commune.code}:{value.name} (nouveau)"
    if isinstance(value, Territory):
        return territory_reference(value)
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None:
        return ""
    return getattr(value, "slug", None) or str(value)
