"""Bulk import and export of cases as spreadsheets in the admin (django-import-export):
cells, columns, the sheet's layout, the rows' rules, file formats and the admin pages."""
