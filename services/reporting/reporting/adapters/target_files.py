"""Reading an uploaded target list: the organisations of a CSV or XLSX file of USCCs, one
`(row number, TargetEntry)` per non-empty row.

Columns: A the USCC (统一社会信用代码), B the name (optional), C the province code (optional). A
first row whose first cell is not a code (a header such as 统一社会信用代码) is skipped. The file
is judged by its bytes, never its name: a workbook is a ZIP holding `xl/workbook.xml`, anything
else must be text in UTF-8 or GB18030; a PDF, picture, .xls or other binary is refused (415),
an unreadable or overlong file names its row (422). Work is bounded: bytes (the endpoint's
limit), the workbook once unpacked, rows and cells per row.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from openpyxl import load_workbook

from platform_shared.errors import RuleBroken, TooLarge, UnsupportedMedia
from platform_shared.uploads import sniff_media_type
from reporting.domain.targets import MAX_FILE_BYTES, TargetEntry

MiB = 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 64 * MiB  # a zipped sheet may inflate a hundredfold: bounded before openpyxl reads it
MAX_ROWS = 100_000  # as many organisations as the JSON upload takes
MAX_CELLS_PER_ROW = 16
XLSX_SIGNATURE = b"PK\x03\x04"
_CODE_LIKE = re.compile(r"^[0-9A-Z]{18}$")
SLUG = "target-file-refused"


def _refused(reason: str, field: str = "file") -> RuleBroken:
    return RuleBroken({field: [reason]}, reason, slug=SLUG)


def _not_a_spreadsheet(reason: str) -> UnsupportedMedia:
    return UnsupportedMedia(reason, slug=SLUG, errors={"file": [reason]})


def read_target_file(content: bytes) -> list[tuple[int, TargetEntry]]:
    """The file's organisations with their row numbers (1-based, as a spreadsheet shows them)."""
    if not content:
        raise _refused("The file is empty.")
    if len(content) > MAX_FILE_BYTES:
        raise TooLarge(f"The file is larger than {MAX_FILE_BYTES // MiB} MiB: split the list.", slug=SLUG,
                       errors={"file": [f"at most {MAX_FILE_BYTES // MiB} MiB"]})
    if content.startswith(XLSX_SIGNATURE):
        return _entries(_xlsx_records(content))
    head = content[:8192]
    if sniff_media_type(head[:16]) is not None or head.startswith(b"\xd0\xcf\x11\xe0") or b"\x00" in head:
        raise _not_a_spreadsheet("This is not a spreadsheet (a PDF, picture, .xls or other binary file): upload "
                                 "the list as .xlsx or as .csv (UTF-8 or GB18030).")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _refused("The CSV file is neither UTF-8 nor GB18030 text: save it as \"CSV UTF-8\" or as .xlsx.")
    return _entries(_csv_records(text))


def _csv_records(text: str) -> Iterator[tuple[int, Sequence[Any]]]:
    number = 0
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            yield number, values
    except csv.Error as exc:
        raise _refused(f"The CSV file cannot be read after row {number}: {exc}.", f"rows.{number + 1}") from None


def _xlsx_records(content: bytes) -> Iterator[tuple[int, Sequence[Any]]]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise _refused("The workbook is damaged: save it again as .xlsx and upload it.") from None
    if "xl/workbook.xml" not in {member.filename for member in members}:
        raise _not_a_spreadsheet("This is a ZIP archive but not an Excel workbook (.xlsx).")
    if sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES:
        raise _refused(f"The workbook would take more than {MAX_UNCOMPRESSED_BYTES // MiB} MiB once unpacked: "
                       "remove other sheets and pictures, or upload a CSV.")
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises whatever its parsers raise on a broken file
        raise _refused("The workbook cannot be read: save it again as .xlsx and upload it.") from None
    try:
        sheet = workbook.worksheets[0]
        yield from enumerate(sheet.iter_rows(values_only=True, max_col=MAX_CELLS_PER_ROW), start=1)
    finally:
        workbook.close()


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _entries(records: Iterable[tuple[int, Sequence[Any]]]) -> list[tuple[int, TargetEntry]]:
    entries: list[tuple[int, TargetEntry]] = []
    for number, values in records:
        if number > MAX_ROWS + 1:  # the header may come on top
            raise _refused(f"The file has more than {MAX_ROWS} rows: split the list.", f"rows.{number}")
        if len(values) > MAX_CELLS_PER_ROW:
            raise _refused(f"Row {number} has more than {MAX_CELLS_PER_ROW} cells: the list has three columns "
                           "(USCC, name, province code).", f"rows.{number}")
        cells = [_text(value) for value in values[:3]] + ["", "", ""]
        if not any(cells):
            continue
        if number == 1 and not _CODE_LIKE.match(cells[0].upper()):
            continue  # a header row
        if len(cells[1]) > 200:
            raise _refused(f"Row {number}: a name is at most 200 characters.", f"rows.{number}.name")
        entries.append((number, TargetEntry(uscc=cells[0], name=cells[1], province_code=cells[2] or None)))
    if not entries:
        raise _refused("The file lists no organisation: column A holds the USCCs (统一社会信用代码).")
    return entries
