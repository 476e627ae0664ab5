"""Bulk import and export of cases in the admin (django-import-export)."""

from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX


class InitiativeImportExportMixin(ImportExportMixin):
    formats = [CSV, XLSX]
