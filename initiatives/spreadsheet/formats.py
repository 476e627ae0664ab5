"""Reading and writing case spreadsheets as people make them.

CSV in UTF-8 (with or without BOM) or Windows-1252 (what Excel saves in
France), separated by commas or semicolons; XLSX (first sheet). Blank lines
are ignored; a file that cannot be read is a ``SheetError`` whose message is
for the person who sent it. django-import-export reads CSV in one fixed
encoding and delimiter: these two formats replace its own.
"""

import csv
import io
import re

import openpyxl
import tablib
from import_export.formats.base_formats import CSV, XLSX
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

from initiatives.spreadsheet.cells import MAX_ROWS, CellError, cell_text, header_key
from initiatives.text import neutralise_formula, restore_formula

MAX_COLUMNS = 200  # a sheet formatted down to column XFD is read up to here
MAX_SCANNED_ROWS = 20 * MAX_ROWS  # blank lines included


class SheetError(Exception):
    """A file that cannot be read as a sheet of cases; the message is for the person who sent it."""


# ---------------------------------------------------------------------------
# Reading and writing files


# UTF-8 read as Windows-1252: "é" becomes "Ã©", "’" becomes "â€™", "«" becomes "Â«".
MOJIBAKE = re.compile("Ã[\u00a0-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u2013-\u203a]|â€|Â[«»°\u00a0]")


def decode_text(data) -> str:
    """UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1252; a mix of UTF-8 and another encoding is refused."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is None or MOJIBAKE.search(text):
        raise SheetError(
            "Ce fichier mélange des encodages (ou n'est ni en UTF-8 ni en Windows-1252) : "
            "enregistrez-le en « CSV UTF-8 » depuis votre tableur."
        )
    return text


def build_dataset(rows) -> tablib.Dataset:
    """A dataset from rows of cells: header first, blank lines dropped, caps enforced."""
    rows = iter(rows)
    header = next(rows, None)
    if header is None or not any(cell_text(c) for c in header):
        raise SheetError(
            "Le fichier est vide : sa première ligne doit nommer les colonnes (téléchargez le modèle de cette page)."
        )
    headers = [cell_text(c) for c in header]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    dataset = tablib.Dataset(headers=[header_key(h) for h in headers])
    for number, cells in enumerate(rows, start=2):
        if number > MAX_SCANNED_ROWS:
            raise SheetError(f"Le fichier compte plus de {MAX_SCANNED_ROWS} lignes, vides comprises : découpez-le.")
        cells = list(cells)
        if not any(cell_text(c) for c in cells):
            continue
        extra = [c for c in cells[width:] if cell_text(c)]
        if extra:
            raise SheetError(
                f"Ligne {number} : des valeurs dépassent la dernière colonne nommée (« {cell_text(extra[0])[:40]} ») ; "
                "donnez un nom à chaque colonne."
            )
        if len(dataset) >= MAX_ROWS:
            raise SheetError(f"Le fichier compte plus de {MAX_ROWS} lignes de cas : découpez-le en plusieurs fichiers.")
        dataset.append((cells + [""] * width)[:width])
    if not len(dataset):
        raise SheetError("Le fichier n'a aucune ligne de cas sous la ligne d'en-tête.")
    return dataset


class SpreadsheetCSV(CSV):
    """CSV as spreadsheets write it; exported in UTF-8 with BOM and ";" (opens in Excel in France)."""

    def is_binary(self):
        return True  # bytes in: the encoding is guessed here, not imposed

    def get_read_mode(self):
        return "rb"

    def get_content_type(self):
        return "text/csv; charset=utf-8"

    def create_dataset(self, in_stream, **kwargs):
        text = decode_text(in_stream)
        if "\x00" in text:
            raise SheetError(
                "Ce fichier n'est pas un CSV : s'il s'agit d'un classeur Excel, choisissez le format xlsx."
            )
        first_line = text.split("\n", 1)[0]
        delimiter = max([",", ";", "\t"], key=first_line.count)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            # Our exports put an apostrophe before formula-like cells: read back, the value is as it was.
            return build_dataset([restore_formula(cell) for cell in row] for row in reader)
        except csv.Error as error:
            if "field larger" in str(error):
                raise SheetError(
                    f"Ligne {reader.line_num} : une cellule dépasse {csv.field_size_limit()} caractères."
                ) from None
            raise SheetError(
                f"Le CSV est mal formé vers la ligne {reader.line_num} ({error}) : un guillemet n'est-il pas fermé ?"
            ) from None
        except CellError as error:
            raise SheetError(f"Ligne {reader.line_num} : {error}") from None

    def export_data(self, dataset, **kwargs):
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(dataset.headers)
        # No cell a spreadsheet would run as a formula (a title "=HYPERLINK(…)" stays text).
        writer.writerows([neutralise_formula(str(cell)) if cell is not None else "" for cell in row] for row in dataset)
        return "\ufeff" + out.getvalue()


class SpreadsheetXLSX(XLSX):
    """The first sheet of a workbook; cells exported as text (a title starting with "=" stays a title)."""

    def create_dataset(self, in_stream):
        try:
            book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        except Exception:
            raise SheetError(
                "Ce fichier ne se lit pas comme un classeur XLSX : s'il s'agit d'un CSV, choisissez le format csv."
            ) from None
        try:
            sheet = book.worksheets[0]
            return build_dataset(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True))
        except CellError as error:
            raise SheetError(str(error)) from None
        finally:
            book.close()

    def export_data(self, dataset, **kwargs):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "cas"
        sheet.append(list(dataset.headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in dataset:
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", str(v)) if v is not None else "" for v in row])
            for cell in sheet[sheet.max_row]:
                cell.data_type = "s"  # text, never a formula
                if cell.value and "\n" in cell.value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = 24
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
