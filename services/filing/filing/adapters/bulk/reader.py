"""Reading a bulk file: the products of an uploaded CSV or XLSX file, one `BulkRow` per
non-empty data row."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from openpyxl import load_workbook

from filing.adapters.bulk.cells import cell_text, draft_of
from filing.adapters.bulk.columns import column_letter, header_of
from filing.adapters.bulk.sniffing import (
    MAX_CELLS_PER_ROW,
    MAX_SCANNED_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    XLSX_SIGNATURE,
    MiB,
    decode,
    not_a_spreadsheet,
    refuse_what_is_no_spreadsheet,
)
from filing.domain.bulk import COLUMNS, MAX_ROWS, PRODUCT_SHEET, BulkFileRefused, BulkRow, Column


def read_bulk_file(content: bytes, filename: str | None) -> list[BulkRow]:
    """The products of an uploaded CSV or XLSX file, one BulkRow per non-empty data row.

    `filename` is accepted for the callers' sake but decides nothing: a renamed file is read as
    what its bytes are. A refusal says whether the content is plainly no spreadsheet at all.
    """
    del filename
    try:
        if content.startswith(XLSX_SIGNATURE):
            return _read_xlsx(content)
        refuse_what_is_no_spreadsheet(content)
        return _bulk_rows(_csv_records(decode(content)))
    except BulkFileRefused as exc:
        raise BulkFileRefused(exc.reason, unsupported=not_a_spreadsheet(content), code=exc.code) from None


def _csv_records(text: str) -> Iterator[tuple[int, Sequence[Any]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 0
    try:
        # A record is a spreadsheet row even when a quoted cell spans several lines.
        for number, values in enumerate(reader, start=1):
            yield number, values
    except csv.Error as exc:
        raise BulkFileRefused(f"The CSV file cannot be read after row {number}: {exc}.", code="unreadable") from None


def _read_xlsx(content: bytes) -> list[BulkRow]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise BulkFileRefused("The file looks like a ZIP archive but is damaged: save the workbook again as .xlsx "
                              "and upload it.", code="damaged") from None
    names = {member.filename for member in members}
    if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
        raise BulkFileRefused("This is a ZIP archive but not an Excel workbook (.xlsx): upload the filled-in "
                              "template as .xlsx or .csv.", code="not_spreadsheet")
    # A few KiB of zipped XML can inflate to gigabytes; the directory's sizes are the ones
    # zipfile holds each member to, so summing them bounds what openpyxl can make us inflate.
    if sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES:
        raise BulkFileRefused(f"The workbook would take more than {MAX_UNCOMPRESSED_BYTES // MiB} MiB once unpacked, "
                              f"which is more than a file of {MAX_ROWS} products needs: remove other sheets, "
                              "pictures and formatting, or upload a CSV.", code="too_large")
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises whatever its parsers raise on a broken file
        raise BulkFileRefused(_UNREADABLE_XLSX) from None
    try:
        return _bulk_rows(_sheet_records(workbook))
    finally:
        workbook.close()


_UNREADABLE_XLSX = ("The Excel workbook cannot be read (it may be damaged, or not made by a spreadsheet program): "
                    "open it in Excel or WPS, save it again as .xlsx and upload it.")


def _sheet_records(workbook: Any) -> Iterator[tuple[int, Sequence[Any]]]:
    sheets = workbook.worksheets
    if not sheets:
        raise BulkFileRefused("The workbook has no worksheet.", code="no_sheet")
    sheet = next((s for s in sheets if s.title.strip() == PRODUCT_SHEET), sheets[0])
    scanned = 0
    try:
        # The size a file declares can be wrong (some generators write "A1"), and read-only mode
        # would then read only that much.
        sheet.reset_dimensions()
        for cells in sheet.iter_rows():
            scanned += 1
            if scanned > MAX_SCANNED_ROWS:
                raise BulkFileRefused(f"The sheet has more than {MAX_SCANNED_ROWS} rows, empty ones included (a "
                                      f"file holds at most {MAX_ROWS} products): delete the rows below your "
                                      "products, or copy the products into a fresh template.", code="too_large")
            if len(cells) > MAX_CELLS_PER_ROW:
                raise BulkFileRefused(f"A row has more than {MAX_CELLS_PER_ROW} cells (the template has "
                                      f"{len(COLUMNS)} columns): delete the columns right of the template's.",
                                      code="too_large")
            # Rows absent from the file are not yielded at all, so the number comes from a cell.
            number = next((cell.row for cell in cells if getattr(cell, "row", None)), None)
            if number is not None:
                yield number, [cell.value for cell in cells]
    except BulkFileRefused:
        raise
    except Exception:  # noqa: BLE001 - see _read_xlsx; the sheet's XML is parsed while iterating
        raise BulkFileRefused(_UNREADABLE_XLSX) from None


def _bulk_rows(records: Iterable[tuple[int, Sequence[Any]]]) -> list[BulkRow]:
    header: list[Column | None] | None = None
    rows: list[BulkRow] = []
    for number, values in records:
        if all(cell_text(value) is None for value in values):
            continue
        if header is None:
            header = header_of(values)
            continue
        cells: dict[str, Any] = {}
        for index, value in enumerate(values):
            column = header[index] if index < len(header) else None
            if column is not None:
                cells[column.key] = value
            elif cell_text(value) is not None:
                raise BulkFileRefused(f"Row {number} has a value in column {column_letter(index)}, which has "
                                      "no name in the header row: give the column a template column name or clear it.",
                                      code="columns")
        if len(rows) == MAX_ROWS:
            raise BulkFileRefused(f"The file has more than {MAX_ROWS} data rows, the most one file may hold: split it "
                                  f"into files of at most {MAX_ROWS} products.", code="too_large")
        rows.append(BulkRow(number, draft_of(cells)))
    if header is None:
        raise BulkFileRefused("The file is empty: it has neither a header row nor products.", code="empty")
    if not rows:
        raise BulkFileRefused("The file has no data rows: fill in one product per row below the header row.",
        code="no_rows")
    return rows
