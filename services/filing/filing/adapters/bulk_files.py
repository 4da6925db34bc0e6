"""Bulk filing files: one CSV or XLSX file of many products, read into `POST /products` bodies,
and the template an organisation fills in.

    rows = read_bulk_file(content, filename)   # [BulkRow(number=2, draft={...}), ...]
    column_of("economic_data.0.sales_revenue")  # "sales_revenue（销售额（元））"
    template_xlsx(), template_csv()            # the downloadable templates

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

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, NamedTuple

import xlsxwriter
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from platform_shared.industries import classification

MAX_ROWS = 5000
MiB = 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * MiB
# Enough of a text file to tell it from a binary one: text never holds NUL bytes.
SNIFF_BYTES = 8 * 1024
PRODUCT_SHEET = "产品"
GUIDE_SHEET = "说明"
INDUSTRY_SHEET = "产业领域"
ENCODINGS = ("utf-8-sig", "gb18030")


class BulkFileRefused(Exception):
    """The file as a whole cannot be read; `reason` is a sentence for the user."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class BulkRow:
    number: int  # the row's number in the user's spreadsheet: the header is row 1
    draft: dict  # the POST /products body, not yet validated


class Column(NamedTuple):
    key: str
    label: str
    description: str
    example: str

    @property
    def required(self) -> bool:
        return self.key in REQUIRED_KEYS

    @property
    def heading(self) -> str:
        """How messages name the column: both names, as either may be in the user's header."""
        return f"{self.key}（{self.label}）"


COLUMNS: tuple[Column, ...] = (
    Column("name", "产品名称", "产品名称，与产品包装、说明书上的名称一致。", "智能手机"),
    Column("brand", "品牌", "产品品牌（商标）。品牌与型号一起识别一件产品。", "华为"),
    Column("model", "型号", "产品型号。", "Mate 60 Pro"),
    Column("industry_code", "产业领域代码",
           "知识产权（专利）密集型产业领域的两位代码，见「产业领域」工作表。", "01"),
    Column("description", "产品简介", "产品的简要介绍。", "搭载自研麒麟芯片、支持卫星通话的5G智能手机。"),
    Column("launched_on", "上市日期", "产品上市日期，格式 YYYY-MM-DD。", "2023-08-29"),
    Column("variants", "规格型号变体", "同一产品的其他规格型号，多个用分号（; 或 ；）分隔。", "黑色;白色;12GB+512GB"),
    Column("economic_year", "经济数据年度", "以下经济数据所属的年度（四位数字）。", "2025"),
    Column("sales_revenue", "销售额（元）", "该年度销售额，单位元，最多两位小数。", "1234567.89"),
    Column("sales_volume", "销售量", "该年度销售量（件、台、套等），整数。", "1000"),
    Column("export_revenue", "出口额（元）", "该年度出口额，单位元，最多两位小数。", "200000.00"),
    Column("profit", "利润（元）", "该年度利润，单位元，最多两位小数；亏损填负数。", "150000.00"),
    Column("ip_investment", "知识产权投入（元）", "该年度知识产权投入，单位元，最多两位小数。", "80000"),
    Column("patents", "专利",
           "支撑该产品的专利，多件用分号（; 或 ；）分隔。每件写作 专利号|关系|许可备案号|专利名称|专利权人"
           "（竖线也可用全角 ｜），专利号之后的各项均可省略。关系为 owner（自有）或 licensee（被许可），"
           "省略时为 owner；被许可的专利需填写许可合同备案号。",
           "201710601862.3|owner;202011167667.2|licensee|X2020440000123"),
)
REQUIRED_KEYS = frozenset({"name", "brand", "model", "industry_code"})
# The schema requires these of an economic year, so they are required as soon as any economic
# column of the row has a value.
ECONOMIC_REQUIRED_KEYS = frozenset({"economic_year", "sales_revenue", "sales_volume"})
ECONOMIC_FIELDS = {
    "economic_year": "year",
    "sales_revenue": "sales_revenue",
    "sales_volume": "sales_volume",
    "export_revenue": "export_revenue",
    "profit": "profit",
    "ip_investment": "ip_investment",
}
_BY_KEY = {column.key: column for column in COLUMNS}
_COLUMN_OF_ECONOMIC_FIELD = {field: key for key, field in ECONOMIC_FIELDS.items()}
_ECONOMIC_HEADING = "经济数据（economic_year 至 ip_investment 各列）"
_LIST_SEPARATORS = re.compile(r"[;；\r\n]")
_RELATIONS = {
    "owner": "owner", "自有": "owner", "权利人": "owner", "专利权人": "owner",
    "licensee": "licensee", "被许可": "licensee", "被许可人": "licensee", "许可": "licensee",
}
_INTEGER = re.compile(r"^[+-]?\d+$")
# Excel writes a number with a thousands format into CSV as it shows it: "1,234,567.89".
_GROUPED_NUMBER = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
# Forms Excel and people write dates in; Chinese Excel saves a date cell to CSV as "2024/5/1".
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_CENT = Decimal("0.01")


def _normalise_heading(text: str) -> str:
    folded = re.sub(r"\s+", "", text.replace("\ufeff", "")).lower()
    return folded.replace("(", "（").replace(")", "）")


def _aliases() -> dict[str, Column]:
    aliases: dict[str, Column] = {}
    for column in COLUMNS:
        for name in (column.key, column.label, column.heading):
            normalised = _normalise_heading(name)
            if aliases.get(normalised, column) is not column:
                raise AssertionError(f"the column name {name!r} is ambiguous")
            aliases[normalised] = column
    return aliases


_ALIASES = _aliases()


# --- reading -------------------------------------------------------------------------------

def read_bulk_file(content: bytes, filename: str | None) -> list[BulkRow]:
    """The products of an uploaded CSV or XLSX file, one BulkRow per non-empty data row.

    `filename` is accepted for the callers' sake but decides nothing: a renamed file is read as
    what its bytes are.
    """
    del filename
    if not content:
        raise BulkFileRefused("The file is empty.")
    if content.startswith(b"PK\x03\x04"):
        return _read_xlsx(content)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise BulkFileRefused("This is an Excel 97-2003 (.xls) file or a password-protected workbook, which cannot "
                              "be read: save it as an Excel workbook (.xlsx) without a password, or as CSV.")
    if content.startswith(b"%PDF-"):
        raise BulkFileRefused("This is a PDF document, not a spreadsheet: upload the filled-in template as .xlsx or "
                              ".csv.")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BulkFileRefused("This is UTF-16 text (Excel's \"Unicode text\"), which is not accepted: save the sheet "
                              "as \"CSV UTF-8\" or as an Excel workbook (.xlsx).")
    if b"\x00" in content[:SNIFF_BYTES]:
        raise BulkFileRefused("This is a binary file, not a spreadsheet: upload the filled-in template as .xlsx or "
                              ".csv.")
    return _bulk_rows(_csv_records(_decode(content)))


def _decode(content: bytes) -> str:
    for encoding in ENCODINGS:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BulkFileRefused("The CSV file is in an encoding that is not accepted: save it as UTF-8 (Excel's \"CSV "
                          "UTF-8\") or GB18030/GBK (Excel's \"CSV\" on Chinese Windows).")


def _csv_records(text: str) -> Iterator[tuple[int, Sequence[Any]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 0
    try:
        # A record is a spreadsheet row even when a quoted cell spans several lines.
        for number, values in enumerate(reader, start=1):
            yield number, values
    except csv.Error as exc:
        raise BulkFileRefused(f"The CSV file cannot be read after row {number}: {exc}.") from None


def _read_xlsx(content: bytes) -> list[BulkRow]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise BulkFileRefused("The file looks like a ZIP archive but is damaged: save the workbook again as .xlsx "
                              "and upload it.") from None
    names = {member.filename for member in members}
    if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
        raise BulkFileRefused("This is a ZIP archive but not an Excel workbook (.xlsx): upload the filled-in "
                              "template as .xlsx or .csv.")
    # A few KiB of zipped XML can inflate to gigabytes; the directory's sizes are the ones
    # zipfile holds each member to, so summing them bounds what openpyxl can make us inflate.
    if sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES:
        raise BulkFileRefused(f"The workbook would take more than {MAX_UNCOMPRESSED_BYTES // MiB} MiB once unpacked, "
                              f"which is more than a file of {MAX_ROWS} products needs: remove other sheets, "
                              "pictures and formatting, or upload a CSV.")
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
        raise BulkFileRefused("The workbook has no worksheet.")
    sheet = next((s for s in sheets if s.title.strip() == PRODUCT_SHEET), sheets[0])
    try:
        # The size a file declares can be wrong (some generators write "A1"), and read-only mode
        # would then read only that much.
        sheet.reset_dimensions()
        for cells in sheet.iter_rows():
            # Rows absent from the file are not yielded at all, so the number comes from a cell.
            number = next((cell.row for cell in cells if getattr(cell, "row", None)), None)
            if number is not None:
                yield number, [cell.value for cell in cells]
    except Exception:  # noqa: BLE001 - see _read_xlsx; the sheet's XML is parsed while iterating
        raise BulkFileRefused(_UNREADABLE_XLSX) from None


def _bulk_rows(records: Iterable[tuple[int, Sequence[Any]]]) -> list[BulkRow]:
    header: list[Column | None] | None = None
    rows: list[BulkRow] = []
    for number, values in records:
        if all(_text(value) is None for value in values):
            continue
        if header is None:
            header = _header(values)
            continue
        cells: dict[str, Any] = {}
        for index, value in enumerate(values):
            column = header[index] if index < len(header) else None
            if column is not None:
                cells[column.key] = value
            elif _text(value) is not None:
                raise BulkFileRefused(f"Row {number} has a value in column {_letter(index)}, which has "
                                      "no name in the header row: give the column a template column name or clear it.")
        if len(rows) == MAX_ROWS:
            raise BulkFileRefused(f"The file has more than {MAX_ROWS} data rows, the most one file may hold: split it "
                                  f"into files of at most {MAX_ROWS} products.")
        rows.append(BulkRow(number, _draft(cells)))
    if header is None:
        raise BulkFileRefused("The file is empty: it has neither a header row nor products.")
    if not rows:
        raise BulkFileRefused("The file has no data rows: fill in one product per row below the header row.")
    return rows


def _letter(index: int) -> str:
    # A CSV row can be wider than a sheet (XFD, 16384 columns), where letters run out.
    return get_column_letter(index + 1) if index < 16384 else f"number {index + 1}"


def _header(values: Sequence[Any]) -> list[Column | None]:
    header: list[Column | None] = []
    unknown: list[str] = []
    seen: dict[str, list[str]] = {}
    for index, value in enumerate(values):
        letter = _letter(index)
        text = _text(value)
        column = _ALIASES.get(_normalise_heading(text)) if text is not None else None
        if text is not None and column is None:
            shown = text if len(text) <= 40 else text[:40] + "…"
            unknown.append(f"\"{shown}\" (column {letter})")
        if column is not None:
            seen.setdefault(column.key, []).append(letter)
        header.append(column)
    problems = []
    if unknown:
        listed = ", ".join(unknown[:10]) + (f" and {len(unknown) - 10} more" if len(unknown) > 10 else "")
        problems.append(f"The header row has columns the template does not know: {listed}.")
        named = [value for value in values if _text(value) is not None]
        if len(named) == 1 and any(mark in str(named[0]) for mark in (";", "\t", "；")):
            problems.append("Columns must be separated by commas.")
    duplicated = [f"{_BY_KEY[key].heading} (columns {' and '.join(letters)})"
                  for key, letters in seen.items() if len(letters) > 1]
    if duplicated:
        problems.append(f"The header row names a column more than once: {', '.join(duplicated)}.")
    missing = [column.heading for column in COLUMNS if column.required and column.key not in seen]
    if missing:
        problems.append(f"The header row lacks the required columns {', '.join(missing)}.")
    if problems:
        problems.append("Use the column names of the template (its 说明 sheet lists them).")
        raise BulkFileRefused(" ".join(problems))
    return header


# --- one row into a draft ----------------------------------------------------------------------

def _draft(cells: dict[str, Any]) -> dict[str, Any]:
    draft: dict[str, Any] = {}
    economic: dict[str, Any] = {}
    for column in COLUMNS:
        if column.key == "patents":
            continue  # after economic_data, in the schema's order
        converted = _CONVERTERS[column.key](cells.get(column.key))
        if column.key in ECONOMIC_FIELDS:
            if converted is not None:
                economic[ECONOMIC_FIELDS[column.key]] = converted
        elif converted is not None:
            draft[column.key] = converted  # variants is a list, possibly empty: always kept
    # One row declares at most one year.
    draft["economic_data"] = [economic] if economic else []
    draft["patents"] = _patents(cells.get("patents"))
    return draft


def _text(value: Any) -> str | None:
    """A cell as the text it shows, stripped; None when it shows nothing."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _plain_number(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ", "seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip() or None


def _plain_number(value: float) -> str:
    # repr is the shortest text that reads back as the same float: what the user typed, not
    # the binary approximation Excel stores ("1234567.8899999999"). Decimal avoids "1e+16".
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _industry_code(value: Any) -> str | None:
    # Codes are two digits; a cell not formatted as text turns "01" into the number 1.
    if _is_number(value) and float(value).is_integer():
        return f"{int(value):02d}"
    return _text(value)


def _date(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = _text(value)
    match = _DATE.match(text) if text is not None else None
    if match is None:
        return text  # the schema names what is wrong with it
    try:
        return dt.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return text


def _list(value: Any) -> list[str]:
    text = _text(value)
    if text is None:
        return []
    return [part.strip() for part in _LIST_SEPARATORS.split(text) if part.strip()]


def _year(value: Any) -> int | str | None:
    if _is_number(value) and float(value).is_integer():
        return int(value)
    text = _text(value)
    if text is not None and _INTEGER.match(text):
        return int(text)
    return text


def _money(value: Any) -> str | None:
    if isinstance(value, float) and not value.is_integer() and value == value and abs(value) != float("inf"):
        amount = Decimal(repr(value))
        if amount.as_tuple().exponent < -2:
            # Float arithmetic in the sheet (=A1*0.13) leaves digits no one meant: whole fen.
            amount = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
        return format(amount, "f")
    text = _text(value)
    if text is not None and _GROUPED_NUMBER.match(text):
        return text.replace(",", "")
    return text


def _count(value: Any) -> int | str | None:
    if _is_number(value) and float(value).is_integer():
        return int(value)
    text = _text(value)
    if text is None or _is_number(value):
        return text
    plain = text.replace(",", "") if _GROUPED_NUMBER.match(text) else text
    try:
        number = Decimal(plain)
    except InvalidOperation:
        return text
    if number.is_finite() and number == number.to_integral_value():
        return int(number)
    return text


def _patents(value: Any) -> list[dict[str, Any]]:
    patents = []
    for entry in _list(value):
        number, relation, record, title, holder = ([part.strip() for part in
                                                    entry.replace("｜", "|").split("|", 4)] + [""] * 4)[:5]
        patents.append({
            "number": number,  # even when empty: the schema then names the entry
            "relation": _RELATIONS.get(relation.lower(), relation) if relation else "owner",
            "license_record_no": record or None,
            "title": title,
            "holder": holder,
            "dispute": False,
        })
    return patents


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "name": _text,
    "brand": _text,
    "model": _text,
    "industry_code": _industry_code,
    "description": _text,
    "launched_on": _date,
    "variants": _list,
    "economic_year": _year,
    "sales_revenue": _money,
    "sales_volume": _count,
    "export_revenue": _money,
    "profit": _money,
    "ip_investment": _money,
    "patents": _patents,
}


def column_of(field_path: str) -> str:
    """The column a validation error of a draft is about, as the user finds it in their sheet:
    `"economic_data.0.sales_revenue"` → `"sales_revenue（销售额（元））"`, `"patents.1.number"` →
    `"patents（专利）第2项"`. A path that is no column comes back as it is."""
    parts = field_path.split(".") if field_path else []
    if not parts or parts[0] == "_schema":
        return "整行"
    head, rest = parts[0], parts[1:]
    if head in ("variants", "patents"):
        heading = _BY_KEY[head].heading
        return f"{heading}第{int(rest[0]) + 1}项" if rest and rest[0].isdigit() else heading
    if head == "economic_data":
        # A row has one economic year, so the index says nothing the user needs.
        key = _COLUMN_OF_ECONOMIC_FIELD.get(rest[1]) if len(rest) >= 2 else None
        return _BY_KEY[key].heading if key else _ECONOMIC_HEADING
    if head in _BY_KEY:
        return _BY_KEY[head].heading
    return field_path


# --- templates ---------------------------------------------------------------------------------

_WIDTHS = {"name": 20, "brand": 12, "model": 18, "industry_code": 15, "description": 40, "launched_on": 13,
           "variants": 28, "economic_year": 15, "sales_revenue": 16, "sales_volume": 14, "export_revenue": 16,
           "profit": 14, "ip_investment": 15, "patents": 60}
# Typed into a General cell, "01" becomes 1, a date becomes a serial number and a long patent
# number loses digits: these columns are formatted as text.
_TEXT_COLUMNS = frozenset({"name", "brand", "model", "industry_code", "description", "launched_on", "variants",
                           "patents"})


def _requirement(column: Column) -> str:
    if column.required:
        return "必填"
    if column.key in ECONOMIC_REQUIRED_KEYS:
        return "填写经济数据时必填"
    return "选填"


def template_xlsx() -> bytes:
    """The workbook to fill in: 产品 (the header row only), 说明 (the columns, with a worked
    example) and 产业领域 (the industry codes in force)."""
    fields = list(classification().fields.values())
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    as_text = workbook.add_format({"num_format": "@"})
    wrapped = workbook.add_format({"text_wrap": True, "valign": "top"})
    title = workbook.add_format({"bold": True, "font_size": 14})

    products = workbook.add_worksheet(PRODUCT_SHEET)
    for index, column in enumerate(COLUMNS):
        products.write_string(0, index, column.key, bold)
        products.set_column(index, index, _WIDTHS[column.key], as_text if column.key in _TEXT_COLUMNS else None)
    products.freeze_panes(1, 0)
    code_index = next(i for i, column in enumerate(COLUMNS) if column.key == "industry_code")
    products.data_validation(1, code_index, MAX_ROWS, code_index, {
        "validate": "list",
        "source": f"='{INDUSTRY_SHEET}'!$A$2:$A${len(fields) + 1}",
        # A warning, not a stop: a later edition of the classification may know more codes.
        "error_type": "warning",
        "error_title": "产业领域代码",
        "error_message": f"请填写「{INDUSTRY_SHEET}」工作表中的代码。",
    })

    guide = workbook.add_worksheet(GUIDE_SHEET)
    guide.write_string(0, 0, "产品批量填报模板说明", title)
    notes = (
        f"1. 在「{PRODUCT_SHEET}」工作表中每行填写一件产品；第 1 行是列名，请勿修改。"
        "不用的选填列可以删除，但不能添加其他列。",
        f"2. 只读取「{PRODUCT_SHEET}」工作表；一个文件最多 {MAX_ROWS} 件产品，空行会被跳过。",
        "3. 列名可以用下表的列名或中文列名。多个值（规格型号变体、专利）用分号（; 或 ；）分隔。",
        f"4. 下表「示例」一列是一件完整的示例产品，仅供参考，不要把它填入「{PRODUCT_SHEET}」工作表。",
        f"5. 产业领域代码见「{INDUSTRY_SHEET}」工作表（{classification().edition}）。",
        "6. 也可以上传 CSV 文件（UTF-8 或 GBK 编码，逗号分隔），列名同上。",
    )
    for row, note in enumerate(notes, start=1):
        guide.write_string(row, 0, note)
    table = len(notes) + 2
    for index, heading in enumerate(("列名", "中文列名", "是否必填", "说明", "示例")):
        guide.write_string(table, index, heading, bold)
    for row, column in enumerate(COLUMNS, start=table + 1):
        for index, text in enumerate((column.key, column.label, _requirement(column), column.description,
                                      column.example)):
            guide.write_string(row, index, text, wrapped)
    for index, width in enumerate((16, 20, 18, 60, 45)):
        guide.set_column(index, index, width)

    industries = workbook.add_worksheet(INDUSTRY_SHEET)
    for index, heading in enumerate(("代码", "名称", "英文名称")):
        industries.write_string(0, index, heading, bold)
    for row, field in enumerate(fields, start=1):
        industries.write_string(row, 0, field.code)
        industries.write_string(row, 1, field.name)
        industries.write_string(row, 2, field.name_en)
    for index, width in enumerate((8, 30, 40)):
        industries.set_column(index, index, width)

    workbook.close()
    return buffer.getvalue()


def template_csv() -> bytes:
    """The header row only, UTF-8 with a BOM: without it Excel reads the file in the local ANSI
    code page and garbles Chinese."""
    text = io.StringIO(newline="")
    csv.writer(text).writerow([column.key for column in COLUMNS])
    return ("\ufeff" + text.getvalue()).encode("utf-8")
