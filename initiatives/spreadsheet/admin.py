"""Bulk import and export of cases in the admin (django-import-export).

``InitiativeImportExportMixin`` carries everything import/export-specific of
``InitiativeAdmin``: the rows (``initiatives.spreadsheet.rows``), the file
formats, the import form's checks, the template download, the French import
page, the export action on a selection. The rows' rules live in the
resource; this module handles files and pages.

Files are read as spreadsheets write them: CSV in UTF-8 (with or without
BOM) or Windows-1252 (what Excel saves in France), separated by commas or
semicolons; XLSX (first sheet). Blank lines are ignored. A file that cannot be
read, is empty, weighs more than 5 MB, has more than 500 rows or a wrong
header row is refused on the form, with the reason; a row's problems are
listed in the preview. Nothing answers with a 500.
"""

import datetime

import tablib
from django.contrib import messages
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from import_export.admin import ExportActionMixin, ImportMixin
from import_export.forms import ExportForm, ImportForm
from import_export.results import RowResult
from import_export.tmp_storages import CacheStorage

from initiatives import permissions
from initiatives.spreadsheet.cells import MAX_BYTES, MAX_ROWS
from initiatives.spreadsheet.formats import SheetError, SpreadsheetCSV, SpreadsheetXLSX
from initiatives.spreadsheet.rows import CaseRows
from initiatives.spreadsheet.sheet import COLUMNS, CaseSheet


class ImportFileUnavailable(Exception):
    pass


class _TamperedConfirmation(Exception):
    pass


class SharedCacheStorage(CacheStorage):
    """The uploaded file between the preview and the confirmation, in the shared cache.

    The default (a temporary folder) breaks as soon as two server processes or
    containers do not share /tmp; the cache is what they share (settings,
    CACHES). An expired or missing file is reported, not a 500.
    """

    def read(self):
        data = super().read()
        if data is None:
            raise ImportFileUnavailable(self.name)
        return data


# ---------------------------------------------------------------------------
# The import form: the file is read and its header checked before any row


class InitiativeImportForm(ImportForm):
    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = formats
        self.resources = resources
        self.fields["import_file"].label = "Fichier à importer"
        self.fields["import_file"].help_text = (
            f"CSV (UTF-8 ou Windows-1252, séparateur « , » ou « ; ») ou XLSX ; {MAX_ROWS} cas et "
            f"{MAX_BYTES // (1024 * 1024)} Mo au plus."
        )
        self.fields["format"].label = "Format"

    def clean(self):
        cleaned = super().clean()
        upload, chosen = cleaned.get("import_file"), cleaned.get("format")
        if upload is None or chosen in (None, ""):
            return cleaned
        if upload.size > MAX_BYTES:
            self.add_error(
                "import_file",
                f"Le fichier pèse {upload.size / (1024 * 1024):.1f} Mo ; la limite est de "
                f"{MAX_BYTES // (1024 * 1024)} Mo : découpez-le.",
            )
            return cleaned
        file_format = self.formats[int(chosen)]()
        try:
            dataset = file_format.create_dataset(b"".join(upload.chunks()))
        except SheetError as error:
            self.add_error("import_file", str(error))
            return cleaned
        except Exception:
            self.add_error(
                "import_file", f"Ce fichier ne se lit pas en {file_format.get_title()} : vérifiez le format choisi."
            )
            return cleaned
        finally:
            upload.seek(0)
        for problem in CaseSheet.check_headers(dataset.headers):
            self.add_error("import_file", problem)
        return cleaned


# ---------------------------------------------------------------------------
# The admin mixin


class InitiativeImportExportMixin(ImportMixin, ExportActionMixin):
    """Import (preview, then confirm) and export (current filter, or a selection) of cases."""

    resource_classes = [CaseRows]
    formats = [SpreadsheetCSV, SpreadsheetXLSX]
    import_form_class = InitiativeImportForm
    # Always every column: an export is a file that can be re-imported as is.
    export_form_class = ExportForm
    import_template_name = "admin/initiatives/initiative/import.html"
    import_export_change_list_template = "admin/import_export/change_list_import_export.html"
    tmp_storage_class = SharedCacheStorage
    import_error_display = ("message",)
    # The export lives in the list (button and action), not in the case form.
    show_change_form_export = False
    change_form_template = None

    # ----- permissions: import is adding and changing cases, row by row in the resource

    def has_import_permission(self, request):
        return super().has_import_permission(request) and permissions.may_add_case(request.user)

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {**kwargs, "user": request.user}

    # ----- import

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        # The confirmed import is all or nothing, like the preview: a row that became invalid
        # in between (someone else changed a case) cancels the whole file.
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def add_data_read_fail_error_to_form(self, form, e):
        message = str(e) if isinstance(e, SheetError) else "Ce fichier ne se lit pas : vérifiez le format choisi."
        form.add_error("import_file", message)

    def process_import(self, request, **kwargs):
        try:
            self._check_confirm_choices(request)
            return super().process_import(request, **kwargs)
        except (ImportFileUnavailable, SheetError):
            messages.error(request, "Le fichier à importer n'est plus disponible : déposez-le de nouveau.")
            return HttpResponseRedirect(reverse("admin:initiatives_initiative_import"))
        except _TamperedConfirmation:
            messages.error(request, "Confirmation d'import invalide : déposez le fichier de nouveau.")
            return HttpResponseRedirect(reverse("admin:initiatives_initiative_import"))

    def _check_confirm_choices(self, request):
        """The confirmation posts back the format and resource indexes: refuse any other value (no 500)."""
        checks = (
            ("format", len(self.get_import_formats())),
            ("resource", len(self.get_import_resource_classes(request))),
        )
        for name, count in checks:
            value = request.POST.get(name, "0")
            if not value.isdigit() or int(value) >= count:
                raise _TamperedConfirmation(name)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            messages.error(request, "Import annulé : des lignes ont des erreurs, rien n'a été enregistré.")
            context = {
                **self.admin_site.each_context(request),
                "title": "Importer",
                "opts": self.model._meta,
                "form": self.get_import_form_class(request)(
                    self.get_import_formats(), self.get_import_resource_classes(request)
                ),
                "result": result,
                "import_error_display": self.import_error_display,
                "fields_list": [(CaseRows.get_display_name(), list(COLUMNS))],
            }
            return TemplateResponse(request, [self.import_template_name], context)
        return super().process_result(result, request)

    def generate_log_entries(self, result, request):
        """The admin's "recent actions", in French (django-import-export writes "new through import_export")."""
        if self.get_skip_admin_log():
            return
        for import_type, flag in ((RowResult.IMPORT_TYPE_NEW, ADDITION), (RowResult.IMPORT_TYPE_UPDATE, CHANGE)):
            instances = [row.instance for row in result if row.import_type == import_type and row.instance]
            if instances:
                LogEntry.objects.log_actions(
                    request.user.pk,
                    instances,
                    flag,
                    change_message="Importé depuis un tableur",
                    single_object=len(instances) == 1,
                )

    def add_success_message(self, result, request):
        totals = result.totals
        messages.success(
            request,
            f"Import terminé : {totals[RowResult.IMPORT_TYPE_NEW]} cas créé(s), "
            f"{totals[RowResult.IMPORT_TYPE_UPDATE]} modifié(s), {totals[RowResult.IMPORT_TYPE_SKIP]} inchangé(s).",
        )

    # ----- template download

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "modele-import.csv",
                self.admin_site.admin_view(self.import_template_view),
                {"file_format": SpreadsheetCSV},
                name="{}_{}_import_template".format(*info),
            ),
            path(
                "modele-import.xlsx",
                self.admin_site.admin_view(self.import_template_view),
                {"file_format": SpreadsheetXLSX},
                name="{}_{}_import_template_xlsx".format(*info),
            ),
            *super().get_urls(),
        ]

    def import_template_view(self, request, file_format):
        """The header row and one example row, both taken from the resource (they cannot drift)."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        dataset = tablib.Dataset(CaseSheet.example_row(), headers=list(COLUMNS))
        file_format = file_format()
        response = HttpResponse(file_format.export_data(dataset), content_type=file_format.get_content_type())
        response["Content-Disposition"] = f'attachment; filename="modele-import-cas.{file_format.get_extension()}"'
        return response

    # ----- export

    def get_export_filename(self, request, queryset, file_format):
        return f"proximites-cas-{datetime.date.today().isoformat()}.{file_format.get_extension()}"

    def get_valid_export_item_pks(self, request):
        # The selected cases among those this person may see (the base method is deprecated and lists every pk).
        wanted = [pk for pk in request.POST.getlist("export_items") if pk.isdigit()]
        return self.get_queryset(request).filter(pk__in=wanted).values_list("pk", flat=True)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "export_admin_action" in actions:
            func, name, _ = actions["export_admin_action"]
            actions["export_admin_action"] = (func, name, "Exporter les cas sélectionnés (CSV ou XLSX)")
        return actions
