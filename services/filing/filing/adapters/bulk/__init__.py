"""Bulk filing files: one CSV or XLSX file of many products, read into `POST /products` bodies,
and the template an organisation fills in.

    rows = read_bulk_file(content, filename)   # [BulkRow(number=2, draft={...}), ...]  (reader)
    column_of("economic_data.0.sales_revenue")  # "sales_revenue（销售额（元））"  (domain.bulk)
    template_xlsx(), template_csv()            # the downloadable templates  (template)

By job: `sniffing` (what the bytes are), `columns` (the header row), `cells` (one row into a
draft), `reader` (the file into rows), `template`; the rows and columns themselves are plain
data in `filing.domain.bulk`.

Guarantees:
- The format is decided by the bytes, never by the file name: an XLSX is a ZIP holding
  `[Content_Types].xml` and `xl/workbook.xml`; anything else must be CSV text in UTF-8 (BOM or
  not) or GB18030/GBK (what Chinese Excel writes for "CSV"). Legacy .xls, PDFs, other ZIPs and
  binary files are refused with a reason, and so is an XLSX whose members would inflate past
  `MAX_UNCOMPRESSED_BYTES` (checked in the ZIP directory before openpyxl opens anything).
- The whole file is refused (`BulkFileRefused`) only for what makes every row meaningless: no
  header, unknown, duplicated or missing required columns, values in unnamed columns, no data
  rows, more than `MAX_ROWS`. Anything wrong with a single row's values is left in its draft for
  the `POST /products` schema to report, so the user gets every row's problems at once;
  `column_of` turns the schema's field paths back into the columns the user sees.
- `BulkRow.number` is the row's number in the user's spreadsheet (the header is row 1): empty
  rows are skipped but still counted.
- A draft holds stripped strings; an empty cell leaves its key out so the schema's defaults
  apply, except `variants`, `economic_data` and `patents`, which are always lists.
- Numbers in XLSX cells are written back as the user typed them: industry code 1 → "01",
  1234567.89 → "1234567.89" (never float noise like "1234567.8899999999"), 1000.0 → 1000.

The template keeps the 产品 sheet to the header row only; the worked example lives in the 说明
sheet, so an untouched template never files a sample product (it reads as "no data rows").
"""

from __future__ import annotations

from dataclasses import dataclass

from filing.adapters.bulk.reader import read_bulk_file
from filing.adapters.bulk.template import template_csv, template_xlsx
from filing.domain.bulk import BulkRow

__all__ = ["SpreadsheetBulkFiles", "read_bulk_file", "template_csv", "template_xlsx"]


@dataclass(frozen=True)
class SpreadsheetBulkFiles:
    """Bulk files as filing's handlers are given them (`FilingDependencies.bulk_files`)."""

    def read(self, content: bytes, filename: str | None) -> list[BulkRow]:
        return read_bulk_file(content, filename)

    def template(self, kind: str) -> bytes:
        return template_csv() if kind == "csv" else template_xlsx()
