"""What an uploaded bulk file is, judged by its bytes: a workbook, CSV text in an accepted
encoding, or something to refuse with a reason (never by the file name)."""

from __future__ import annotations

import io
import zipfile

from filing.domain.bulk import BulkFileRefused
from platform_shared.uploads import sniff_media_type

MiB = 1024 * 1024
# A few KiB of zipped XML can inflate to gigabytes: a workbook unpacking past this is refused.
# What 5,000 products need: a row of the template's 14 columns with a 2,000-character
# description is about 6.5 KiB of sheet XML in UTF-8, so 5,000 of them come to 32 MiB.
MAX_UNCOMPRESSED_BYTES = 32 * MiB
# Rows the reader looks at, empty ones included (formatting alone makes Excel write a row), and
# cells in one row: the work of reading a sheet is bounded by rows × columns, not by bytes alone
# (an empty row is 20 bytes of XML: 32 MiB of them would be 1.6 million rows to parse).
MAX_SCANNED_ROWS = 10_000
MAX_CELLS_PER_ROW = 64
SNIFF_BYTES = 8 * 1024
ENCODINGS = ("utf-8-sig", "gb18030")
XLSX_SIGNATURE = b"PK\x03\x04"


def refuse_what_is_no_spreadsheet(content: bytes) -> None:
    """`BulkFileRefused` for content that cannot be a workbook or CSV text (empty, .xls, PDF,
    UTF-16, binary)."""
    if not content:
        raise BulkFileRefused("The file is empty.", code="empty")
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise BulkFileRefused("This is an Excel 97-2003 (.xls) file or a password-protected workbook, which cannot "
                              "be read: save it as an Excel workbook (.xlsx) without a password, or as CSV.",
                              code="not_spreadsheet")
    if content.startswith(b"%PDF-"):
        raise BulkFileRefused("This is a PDF document, not a spreadsheet: upload the filled-in template as .xlsx or "
                              ".csv.", code="not_spreadsheet")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BulkFileRefused("This is UTF-16 text (Excel's \"Unicode text\"), which is not accepted: save the sheet "
                              "as \"CSV UTF-8\" or as an Excel workbook (.xlsx).", code="encoding")
    if b"\x00" in content[:SNIFF_BYTES]:
        raise BulkFileRefused("This is a binary file, not a spreadsheet: upload the filled-in template as .xlsx or "
                              ".csv.", code="not_spreadsheet")


def decode(content: bytes) -> str:
    for encoding in ENCODINGS:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BulkFileRefused("The CSV file is in an encoding that is not accepted: save it as UTF-8 (Excel's \"CSV "
                          "UTF-8\") or GB18030/GBK (Excel's \"CSV\" on Chinese Windows).", code="encoding")


def not_a_spreadsheet(content: bytes) -> bool:
    """Content that is plainly something else: a PDF or picture, a ZIP of something other than a
    workbook, any other binary. (A damaged workbook is unreadable, not disguised: 422.)"""
    head = content[:SNIFF_BYTES]
    if head.startswith(XLSX_SIGNATURE):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                return "xl/workbook.xml" not in archive.namelist()
        except (zipfile.BadZipFile, OSError):
            return False
    return sniff_media_type(head[:16]) is not None or b"\x00" in head
