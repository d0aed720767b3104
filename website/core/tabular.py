"""Spreadsheets in and out of the staff tools: every import reads through ``read_table`` and
every export writes through ``csv_text``/``csv_response``/``xlsx_bytes``/``xlsx_response``.

Modelled on Wagtail's redirects importer (``wagtail.contrib.redirects.base_formats``): a file
becomes a header and rows of text, whatever its format. On top of that, what the office's
files need: Excel on Chinese Windows saves CSV as GB18030 and only reads UTF-8 CSV that starts
with a byte-order mark; every importer takes the same caps; row numbers are the ones a
spreadsheet shows (the header is row 1); and lookups of the objects that rows name are one
query per table (``lookup``), not one per row.
"""

import csv
import datetime
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import quote

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
# Excel shows UTF-8 CSV as mojibake unless the file starts with a byte-order mark.
BOM = "\ufeff"
# utf-8-sig drops a BOM if there is one; GB18030 is what Excel on Chinese Windows saves.
ENCODINGS = ("utf-8-sig", "gb18030")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TIME_FORMAT = "%Y-%m-%d %H:%M"


class FileError(ValueError):
    """The file as a whole cannot be read: wrong type, too big, too many rows, no header,
    unknown encoding or a damaged workbook. ``str()`` is a message for staff."""


# -- import -----------------------------------------------------------------------------------
@dataclass
class Record:
    """One data row: ``number`` as a spreadsheet shows it, ``get(label)`` the stripped text of
    the column headed ``label`` ("" when the column or the cell is missing)."""

    number: int
    cells: list
    columns: dict

    def get(self, label):
        index = self.columns.get(label)
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index]


@dataclass
class Table:
    header: list
    rows: list  # data rows (lists of text), header excluded

    @property
    def columns(self):
        """Return {header label: column index}, the first column of a repeated label winning."""
        found = {}
        for index, label in enumerate(self.header):
            found.setdefault(label, index)
        return found

    def missing(self, labels):
        """Return the ``labels`` that no column is headed with, in the order given."""
        columns = self.columns
        return [label for label in labels if label not in columns]

    def records(self):
        """Yield a Record per data row that has any text; blank rows are skipped but keep
        their place in the numbering."""
        columns = self.columns
        for number, cells in enumerate(self.rows, start=2):
            if any(cells):
                yield Record(number, cells, columns)

    def column(self, label):
        """Return the set of non-empty texts in the column headed ``label``."""
        return {value for record in self.records() if (value := record.get(label))}


@dataclass
class ImportResult:
    """What an import did; importers extend it with their own counts."""

    errors: list = field(default_factory=list)  # (row number, message); 0 for the whole file
    warnings: list = field(default_factory=list)  # (row number, message)

    @property
    def ok(self):
        return not self.errors


def read_table(filename, data, required=(), max_rows=MAX_ROWS, max_bytes=MAX_BYTES):
    """Return the Table in ``data`` (the bytes of an uploaded .csv or .xlsx named ``filename``),
    every cell as stripped text.

    Raises FileError when the file is too big, has more than ``max_rows`` data rows, is of
    another type, is empty, cannot be decoded, or has no column headed with one of the
    ``required`` labels.
    """
    if len(data) > max_bytes:
        raise FileError(_("文件太大（超过 %(n)d MB）。") % {"n": max_bytes // (1024 * 1024)})
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        rows = _read_xlsx(data, max_rows)
    elif name.endswith(".csv"):
        rows = _read_csv(data, max_rows)
    else:
        raise FileError(_("只能导入 .csv 或 .xlsx 文件。"))
    if not rows:
        raise FileError(_("文件是空的。"))
    if len(rows) - 1 > max_rows:
        raise FileError(_("一次最多导入 %(n)d 行。") % {"n": max_rows})
    table = Table(header=rows[0], rows=rows[1:])
    if missing := table.missing(required):
        raise FileError(missing_columns(missing))
    return table


def missing_columns(labels):
    """Return the message for a file without columns headed ``labels``."""
    return _("缺少列：%(cols)s。请使用模板。") % {"cols": "、".join(labels)}


def read_upload(form, field_name="file", required=(), max_rows=MAX_ROWS, max_bytes=MAX_BYTES):
    """Return the Table of the file uploaded in the valid ``form``'s ``field_name``, or None
    after adding the reason it cannot be read to that field's errors (see read_table)."""
    upload = form.cleaned_data[field_name]
    try:
        # One byte past the cap is enough to know the file is too big.
        data = upload.read(max_bytes + 1)
        return read_table(upload.name, data, required, max_rows, max_bytes)
    except FileError as exc:
        form.add_error(field_name, str(exc))
        return None


def decode(data):
    """Return ``data`` (bytes of a CSV file) as text: UTF-8 with or without a BOM, else GB18030.

    Raises FileError when neither decodes it or it holds NUL characters (a binary file).
    """
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileError(_("无法识别文件编码，请另存为 UTF-8 编码的 CSV。"))
    if "\x00" in text:
        raise FileError(_("文件里有无法识别的字符，请检查是否选错了文件。"))
    return text


def _read_csv(data, max_rows):
    rows = []
    try:
        for row in csv.reader(io.StringIO(decode(data))):
            rows.append([cell_text(v) for v in row])
            # Reading past the cap only to refuse the file would waste the worker's memory.
            if len(rows) > max_rows + 1:
                break
    except csv.Error as exc:
        raise FileError(_("CSV 格式有误：%(err)s") % {"err": exc}) from exc
    return rows


def _read_xlsx(data, max_rows):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or non-xlsx file
        raise FileError(
            _("无法读取这个 Excel 文件，请确认是 .xlsx 格式（可下载模板重新填写）。")
        ) from exc
    try:
        rows = []
        for row in book.worksheets[0].iter_rows(values_only=True):
            rows.append([cell_text(v) for v in row])
            if len(rows) > max_rows + 1:
                break
        return rows
    except Exception as exc:  # a sheet can be damaged even when the workbook opened
        raise FileError(
            _("无法读取这个 Excel 文件，请确认是 .xlsx 格式（可下载模板重新填写）。")
        ) from exc
    finally:
        book.close()


def cell_text(value):
    """Return a cell's value as the text a person typed: whole numbers without ".0", times as
    2026-05-15 09:00, dates as 2026-05-15, nothing for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime(TIME_FORMAT)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\x00", "").strip()


def lookup(queryset, field_name, values):
    """Return {value of ``field_name``: object} for the objects of ``queryset`` whose
    ``field_name`` is in ``values``, in one query, so an import's lookups stay one per table."""
    wanted = {v for v in values if v}
    if not wanted:
        return {}
    # No .iterator(): the rows are capped anyway, and on PostgreSQL it would open a server-side
    # cursor (a DECLARE plus fetches) for what is one short SELECT.
    return {
        getattr(obj, field_name): obj for obj in queryset.filter(**{f"{field_name}__in": wanted})
    }


# -- export -----------------------------------------------------------------------------------
class _Echo:
    """A file that returns what is written, so csv.writer can format one row at a time."""

    def write(self, value):
        return value


def csv_lines(rows: Iterable):
    """Yield ``rows`` as CSV text one line at a time, the first starting with the BOM."""
    writer = csv.writer(_Echo())
    yield BOM
    for row in rows:
        yield writer.writerow(row)


def csv_text(rows: Iterable):
    """Return ``rows`` as CSV text starting with the BOM Excel needs to read UTF-8."""
    return "".join(csv_lines(rows))


def csv_bytes(rows: Iterable):
    """Return ``rows`` as UTF-8 CSV bytes with a BOM."""
    return csv_text(rows).encode("utf-8")


def xlsx_bytes(sheets, decorate=None):
    """Return an XLSX workbook of ``sheets`` ((title, rows) pairs) as bytes.

    ``decorate(worksheet, rows)``, when given, styles each sheet after its rows are written
    (merged title cells, widths); without it the workbook is written in openpyxl's
    streaming mode, so memory stays flat for long tables.
    """
    from openpyxl import Workbook

    book = Workbook(write_only=decorate is None)
    if decorate is not None:
        book.remove(book.active)
    for title, rows in sheets:
        # Excel refuses sheet titles over 31 characters.
        sheet = book.create_sheet(str(title)[:31])
        rows = list(rows) if decorate is not None else rows
        for row in rows:
            sheet.append(list(row))
        if decorate is not None:
            decorate(sheet, rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def attach(response, filename, fallback=None):
    """Return ``response`` marked as a download named ``filename``.

    A name with Chinese in it goes out as RFC 5987's ``filename*=UTF-8''…`` (which every
    current browser reads), after a plain ``filename="…"`` of ``fallback`` (ASCII) for
    clients that do not.
    """
    if filename.isascii():
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    fallback = fallback or "download" + (filename[filename.rfind(".") :] if "." in filename else "")
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    return response


def csv_response(rows: Iterable, filename, stream=False):
    """Return a CSV download of ``rows`` (with the BOM). ``stream`` writes the rows as they
    come (for long querysets) instead of building the file first."""
    if stream:
        response = StreamingHttpResponse(csv_lines(rows), content_type=CSV_TYPE)
    else:
        response = HttpResponse(csv_bytes(rows), content_type=CSV_TYPE)
    return attach(response, filename)


def xlsx_response(data, filename, fallback=None):
    """Return an XLSX download of ``data``: workbook bytes, or (title, rows) sheets;
    ``fallback`` is the ASCII name for clients that cannot read a Chinese ``filename``."""
    if not isinstance(data, bytes):
        data = xlsx_bytes(data)
    return attach(HttpResponse(data, content_type=XLSX_TYPE), filename, fallback)


# -- forms reported upward (信息报送) ---------------------------------------------------------
# Number formats: figures go into cells as numbers, so the office above can add sheets up;
# the format only decides how they show.
WHOLE = "#,##0"
ONE_DECIMAL = "#,##0.0"
PERCENT = "0.0%"
DATE = "yyyy-mm-dd"
BLANK_LINE = "__________"


class Figure(NamedTuple):
    """A cell's number with the format it shows in (``PERCENT`` for a share of 1)."""

    value: object
    number_format: str


def percent(value):
    """Return ``value`` (a share: 0.5 is 50 %) as a Figure shown as 50.0%, or "—" for None."""
    return "—" if value is None else Figure(value, PERCENT)


def display_width(value):
    """Return how many character widths ``value`` takes in a spreadsheet column: a Chinese
    (wide or full-width) character counts two, anything else one; the longest line counts."""
    text = value if isinstance(value, str) else str(value)
    return max(
        (
            sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
            for line in text.splitlines()
        ),
        default=0,
    )


@dataclass
class Filing:
    """The lines a form sent upward carries: 填报单位, 填报人, 审核人, 联系电话, 填报日期.
    An empty 审核人 leaves a line to sign on."""

    unit: str
    preparer: str = ""
    reviewer: str = ""
    phone: str = ""
    date: datetime.date | None = None

    def date_text(self):
        day = self.date or datetime.date.today()
        return _("%(y)s年%(m)s月%(d)s日") % {"y": day.year, "m": day.month, "d": day.day}

    def lines(self):
        """Return the (label, text) pairs in the order offices write them."""
        return [
            (_("填报单位"), self.unit),
            (_("填报日期"), self.date_text()),
            (_("填报人"), self.preparer or BLANK_LINE),
            (_("审核人"), self.reviewer or BLANK_LINE),
            (_("联系电话"), self.phone or BLANK_LINE),
        ]


def write_form(
    sheet,
    table,
    *,
    title,
    header_rows=1,
    filing=None,
    notes=(),
    merges=(),
    label_columns=1,
    bold_rows=(),
    min_width=6,
    max_width=40,
):
    """Lay ``table`` (rows of cells, its first ``header_rows`` the headings) out on the empty
    worksheet ``sheet`` as a form an office prints and sends upward, and return the sheet row
    of the table's first heading.

    Above the table: ``title`` merged across it, the ``filing`` lines (填报单位 and 填报日期,
    then 填报人, 审核人, 联系电话), then each of ``notes`` on a line of its own. The table
    has thin borders, bold centred headings, and every column a width from its widest text
    (a Chinese character counts two). Cells may be Figures (a number and its format); other
    numbers show as whole numbers or with one decimal. ``merges`` are (first row, first
    column, last row, last column) within the table, 1-based; ``bold_rows`` are indexes of
    ``table`` (totals) set in bold. Printed landscape on A4, one
    page wide, the headings on every page, the first ``label_columns`` columns frozen.
    """
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    width = max((len(row) for row in table), default=1)
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center")
    plain, bold = Font(name="宋体", size=10), Font(name="宋体", size=10, bold=True)

    def line(row, first, last, text, font=plain, align=left):
        cell = sheet.cell(row, first, text)
        cell.font, cell.alignment = font, align
        if last > first:
            sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)

    line(1, 1, width, title, Font(name="宋体", size=16, bold=True), centre)
    sheet.row_dimensions[1].height = 32
    r = 2
    if filing is not None:
        pairs = [f"{label}：{text}" for label, text in filing.lines()]
        # Two lines: unit and date; then preparer, reviewer and phone, spread over the width.
        for chunk in (pairs[:2], pairs[2:]):
            span = max(1, width // len(chunk))
            for i, text in enumerate(chunk):
                first = 1 + i * span
                last = width if i == len(chunk) - 1 else first + span - 1
                line(r, first, max(first, last), text)
            r += 1
    for note in notes:
        line(r, 1, width, note)
        r += 1
    top = r

    widths = [min_width] * width
    for i, row in enumerate(table):
        head = i < header_rows
        for col, value in enumerate(row, start=1):
            fmt = None
            if isinstance(value, Figure):
                value, fmt = value.value, value.number_format
            elif isinstance(value, datetime.date):
                fmt = DATE
            elif isinstance(value, float):
                fmt = ONE_DECIMAL
            elif isinstance(value, int) and not isinstance(value, bool):
                fmt = WHOLE
            cell = sheet.cell(top + i, col, value)
            cell.border = box
            cell.font = bold if i in bold_rows else plain
            if head:
                cell.font, cell.alignment = bold, centre
            elif col <= label_columns or isinstance(value, str):
                cell.alignment = left
            else:
                cell.alignment = Alignment(horizontal="right", vertical="center")
            if fmt:
                cell.number_format = fmt
            shown = display_width(_shown(value, fmt))
            # Headings wrap onto their two-line row, so they need half their length; a
            # narrower table prints larger when fitted to the page width.
            need = -(-shown // 2) + 2 if head and shown > 8 else shown + 2
            widths[col - 1] = max(widths[col - 1], need)
    # Cells a merge hides still need a border, and a merged heading's text is spread over
    # the columns it covers, not charged to its first one.
    for first_row, first_col, last_row, last_col in merges:
        sheet.merge_cells(
            start_row=top + first_row - 1,
            start_column=first_col,
            end_row=top + last_row - 1,
            end_column=last_col,
        )
        for rr in range(top + first_row - 1, top + last_row):
            for cc in range(first_col, last_col + 1):
                sheet.cell(rr, cc).border = box
    for col, w in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(max_width, w)
    for rr in range(top, top + header_rows):
        sheet.row_dimensions[rr].height = 30

    last_row = top + len(table) - 1
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    sheet.print_title_rows = f"{top}:{top + header_rows - 1}"
    sheet.print_area = f"A1:{get_column_letter(width)}{max(last_row, top)}"
    sheet.freeze_panes = sheet.cell(top + header_rows, label_columns + 1)
    return top


def _shown(value, fmt):
    """Return roughly the text a cell shows, to size its column."""
    if value is None:
        return ""
    if fmt == DATE:
        return "2026-11-30"
    if fmt == PERCENT:
        return f"{value * 100:.1f}%"
    if fmt in (WHOLE, ONE_DECIMAL) and isinstance(value, int | float):
        return f"{value:,.1f}" if fmt == ONE_DECIMAL else f"{value:,.0f}"
    return str(value)


def form_xlsx(sheets):
    """Return an XLSX workbook of forms as bytes: ``sheets`` are (sheet title, table, options)
    triples, ``options`` the keyword arguments of ``write_form`` (title, header_rows, …)."""

    layouts = {}

    def decorate(sheet, _rows):
        table, options = layouts[sheet.title]
        write_form(sheet, table, **options)

    named = []
    for title, table, options in sheets:
        name = str(title)[:31]
        layouts[name] = (table, options)
        named.append((name, []))
    return xlsx_bytes(named, decorate=decorate)
