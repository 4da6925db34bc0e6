"""Bulk filing files: CSV and XLSX read into product drafts, refusals of whole files, the
validation-path → column mapping, and the templates read back."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import openpyxl
import pytest
import xlsxwriter

from filing.adapters.bulk import read_bulk_file, template_csv, template_xlsx
from filing.domain.bulk import (
    COLUMNS,
    MAX_ROWS,
    BulkFileRefused,
    BulkRow,
    column_of,
)
from platform_shared.industries import classification

pytestmark = pytest.mark.unit

KEYS = [column.key for column in COLUMNS]
LABELS = [column.label for column in COLUMNS]
PATENTS = "201710601862.3|owner;202011167667.2|licensee|X2020440000123"
FULL_ROW = {
    "name": "智能手机", "brand": "华为", "model": "Mate 60 Pro", "industry_code": "01",
    "description": "5G 智能手机", "launched_on": "2023-08-29", "variants": "黑色;白色；12GB+512GB",
    "economic_year": "2025", "sales_revenue": "1234567.89", "sales_volume": "1000", "export_revenue": "200000.00",
    "profit": "-5000.5", "ip_investment": "80000", "patents": PATENTS,
}
FULL_DRAFT = {
    "name": "智能手机", "brand": "华为", "model": "Mate 60 Pro", "industry_code": "01",
    "description": "5G 智能手机", "launched_on": "2023-08-29", "variants": ["黑色", "白色", "12GB+512GB"],
    "economic_data": [{"year": 2025, "sales_revenue": "1234567.89", "sales_volume": 1000,
                       "export_revenue": "200000.00", "profit": "-5000.5", "ip_investment": "80000"}],
    "patents": [
        {"number": "201710601862.3", "relation": "owner", "license_record_no": None, "title": "", "holder": "",
         "dispute": False},
        {"number": "202011167667.2", "relation": "licensee", "license_record_no": "X2020440000123", "title": "",
         "holder": "", "dispute": False},
    ],
}


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    text = io.StringIO(newline="")
    csv.writer(text).writerows(rows)
    return text.getvalue().encode(encoding)


def xlsx_bytes(sheets: dict[str, dict[int, list]], patch: dict[str, str] | None = None) -> bytes:
    """A workbook of the given sheets, {sheet: {row index (0-based): values}}: rows not given are
    absent from the file, as Excel leaves them. Date values get a date format, as Excel gives
    them. `patch` replaces text in the sheets' XML, for numbers as Excel (not xlsxwriter) writes them."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for row, values in rows.items():
            for col, value in enumerate(values):
                if isinstance(value, dt.date):
                    sheet.write_datetime(row, col, value, date_format)
                elif value is not None:
                    sheet.write(row, col, value)
    workbook.close()
    content = buffer.getvalue()
    if not patch:
        return content
    patched = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as out:
        for member in source.infolist():
            data = source.read(member)
            if member.filename.startswith("xl/worksheets/"):
                text = data.decode("utf-8")
                for old, new in patch.items():
                    assert old in text, f"nothing to patch: {old}"
                    text = text.replace(old, new)
                data = text.encode("utf-8")
            out.writestr(member, data)
    return patched.getvalue()


def refusal(content: bytes, filename: str | None = None) -> str:
    with pytest.raises(BulkFileRefused) as caught:
        read_bulk_file(content, filename)
    assert caught.value.reason == str(caught.value)
    return caught.value.reason


# --- CSV ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_with_chinese_labels_reads_in_every_accepted_encoding(encoding):
    content = csv_bytes([LABELS, [FULL_ROW[key] for key in KEYS]], encoding)
    if encoding in ("gb18030", "gbk"):
        with pytest.raises(UnicodeDecodeError):
            content.decode("utf-8")  # proves the fallback, not UTF-8, read it
    if encoding == "utf-8-sig":
        assert content.startswith(b"\xef\xbb\xbf")

    rows = read_bulk_file(content, "products.csv")

    assert rows == [BulkRow(2, FULL_DRAFT)]


def test_csv_headers_are_keys_or_labels_whatever_their_case_spacing_and_parentheses():
    header = [" NAME ", "品 牌", "Model", "产业领域代码", "销售额(元)", "economic_year", "sales_volume",
              "patents（专利）"]
    rows = read_bulk_file(csv_bytes([header, ["手机", "华为", "P1", "03", "10.5", "2024", "3", ""]]), None)

    assert rows[0].draft == {"name": "手机", "brand": "华为", "model": "P1", "industry_code": "03", "variants": [],
                             "economic_data": [{"year": 2024, "sales_revenue": "10.5", "sales_volume": 3}],
                             "patents": []}


def test_empty_cells_leave_their_keys_out_and_lists_empty():
    content = csv_bytes([KEYS, ["手机", "华为", "P1", "01"] + [" "] * (len(KEYS) - 4)])

    draft = read_bulk_file(content, None)[0].draft

    assert draft == {"name": "手机", "brand": "华为", "model": "P1", "industry_code": "01", "variants": [],
                     "economic_data": [], "patents": []}


def test_missing_optional_columns_are_fine_and_a_partial_economic_year_is_kept_for_validation():
    content = csv_bytes([["name", "brand", "model", "industry_code", "profit"], ["手机", "华为", "P1", "01", "-3"]])

    draft = read_bulk_file(content, None)[0].draft

    assert draft["economic_data"] == [{"profit": "-3"}]
    assert "description" not in draft and "launched_on" not in draft


def test_values_as_excel_writes_them_into_csv_are_normalised_and_wrong_ones_kept_for_validation():
    header = ["name", "brand", "model", "industry_code", "launched_on", "economic_year", "sales_revenue",
              "sales_volume"]
    content = csv_bytes([header,
                         ["a", "b", "c", "01", "2024/5/1", "2024", "1,234,567.89", "1,000"],
                         ["a", "b", "c", "01", "2024年5月1日", "2024", "12", "7"],
                         ["a", "b", "c", "01", "2024-13-01", "二〇二四", "12.345", "7.5"]])

    first, second, third = (row.draft for row in read_bulk_file(content, None))

    assert first["launched_on"] == "2024-05-01"
    assert first["economic_data"] == [{"year": 2024, "sales_revenue": "1234567.89", "sales_volume": 1000}]
    assert second["launched_on"] == "2024-05-01"
    # Not dates, years or whole numbers: left as written so the schema names them.
    assert third["launched_on"] == "2024-13-01"
    assert third["economic_data"] == [{"year": "二〇二四", "sales_revenue": "12.345", "sales_volume": "7.5"}]


def test_patents_accept_full_width_separators_optional_fields_and_chinese_relations():
    cell = ("201710601862.3；202011167667.2｜licensee｜X2020440000123｜一种通信方法｜华为技术有限公司;"
            " 201510000001.1 | 被许可 | X1 ;;  ；\n202010566088.9||| |某公司|备注")
    content = csv_bytes([["name", "brand", "model", "industry_code", "专利"], ["手机", "华为", "P1", "01", cell]])

    patents = read_bulk_file(content, None)[0].draft["patents"]

    assert patents == [
        {"number": "201710601862.3", "relation": "owner", "license_record_no": None, "title": "", "holder": "",
         "dispute": False},
        {"number": "202011167667.2", "relation": "licensee", "license_record_no": "X2020440000123",
         "title": "一种通信方法", "holder": "华为技术有限公司", "dispute": False},
        {"number": "201510000001.1", "relation": "licensee", "license_record_no": "X1", "title": "", "holder": "",
         "dispute": False},
        # A holder with a bar in it keeps it rather than losing the rest.
        {"number": "202010566088.9", "relation": "owner", "license_record_no": None, "title": "",
         "holder": "某公司|备注", "dispute": False},
    ]


def test_an_unknown_relation_is_kept_for_validation_and_an_entry_without_number_is_not_dropped():
    content = csv_bytes([["name", "brand", "model", "industry_code", "patents"],
                         ["手机", "华为", "P1", "01", "201710601862.3|partner;|licensee|X1"]])

    patents = read_bulk_file(content, None)[0].draft["patents"]

    assert [(p["number"], p["relation"]) for p in patents] == [("201710601862.3", "partner"), ("", "licensee")]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_thousand_rows_keep_their_spreadsheet_row_numbers_across_an_empty_row(kind):
    products = [[f"产品{i}", "品牌", f"M{i}", "01"] for i in range(1000)]
    # The empty row is the sheet's row 502: the 500 products before it are rows 2..501.
    sheet_rows = [["name", "brand", "model", "industry_code"], *products[:500], ["", "", "", ""], *products[500:]]
    if kind == "csv":
        content = csv_bytes(sheet_rows)
    else:
        content = xlsx_bytes({"产品": {i: row for i, row in enumerate(sheet_rows) if i != 501}})

    rows = read_bulk_file(content, None)

    assert len(rows) == 1000
    assert [row.number for row in rows] == list(range(2, 502)) + list(range(503, 1003))
    assert rows[0].draft["name"] == "产品0" and rows[499].draft["name"] == "产品499"
    assert rows[500] == BulkRow(503, {"name": "产品500", "brand": "品牌", "model": "M500", "industry_code": "01",
                                      "variants": [], "economic_data": [], "patents": []})
    assert rows[-1].number == 1002 and rows[-1].draft["model"] == "M999"


def test_blank_rows_above_the_header_are_skipped_and_numbering_follows_the_sheet():
    content = csv_bytes([[], ["", ""], ["name", "brand", "model", "industry_code"], ["a", "b", "c", "01"]])

    assert [row.number for row in read_bulk_file(content, None)] == [4]


def test_exactly_max_rows_are_read():
    rows = [["name", "brand", "model", "industry_code"]] + [["a", "b", f"m{i}", "01"] for i in range(MAX_ROWS)]

    assert len(read_bulk_file(csv_bytes(rows), None)) == MAX_ROWS


def test_the_format_is_decided_by_content_not_by_the_file_name():
    xlsx = xlsx_bytes({"Sheet1": {0: ["name", "brand", "model", "industry_code"], 1: ["a", "b", "c", 1]}})
    text = csv_bytes([["name", "brand", "model", "industry_code"], ["a", "b", "c", "01"]])

    assert read_bulk_file(xlsx, "products.csv")[0].draft["industry_code"] == "01"
    assert read_bulk_file(text, "products.xlsx")[0].draft["model"] == "c"


# --- XLSX --------------------------------------------------------------------------------------

def test_xlsx_numeric_and_date_cells_become_what_the_user_typed():
    header = ["name", "brand", "model", "industry_code", "launched_on", "economic_year", "sales_revenue",
              "sales_volume", "profit", "export_revenue", "ip_investment"]
    content = xlsx_bytes({"产品": {
        0: header,
        1: ["手机", "华为", 60, 1, dt.date(2024, 5, 1), 2025, 1234567.89, 1000.25, -5000.5, 200000, 0.75],
        2: ["手机", "华为", "60s", 12, dt.datetime(2024, 5, 1, 0, 0), 2025, 1234567.86, 1000, 1, 2, 3],
        3: ["手机", "华为", 0.00001, 3, None, None, None, None, None, None, None],
    }}, patch={
        # What Excel writes for a number it computed: the float's binary approximation.
        "<v>1234567.86</v>": "<v>1234567.8899999999</v>",
        "<v>0.75</v>": "<v>0.30000000000000004</v>",
        # A whole number written with a decimal point comes back from openpyxl as a float.
        "<v>1000.25</v>": "<v>1000.0</v>",
    })

    first, second, third = read_bulk_file(content, "products.xlsx")

    assert first.number == 2 and second.number == 3
    assert first.draft == {
        "name": "手机", "brand": "华为", "model": "60", "industry_code": "01", "launched_on": "2024-05-01",
        "variants": [], "patents": [],
        "economic_data": [{"year": 2025, "sales_revenue": "1234567.89", "sales_volume": 1000, "profit": "-5000.5",
                           "export_revenue": "200000", "ip_investment": "0.30"}],
    }
    assert type(first.draft["economic_data"][0]["sales_volume"]) is int
    assert second.draft["industry_code"] == "12"
    assert second.draft["launched_on"] == "2024-05-01"
    assert second.draft["economic_data"][0]["sales_revenue"] == "1234567.89"
    assert third.draft["model"] == "0.00001"  # not "1e-05"
    assert third.draft["industry_code"] == "03"


def test_xlsx_text_cells_are_stripped_and_lists_split():
    content = xlsx_bytes({"Sheet1": {
        0: ["产品名称", "品牌", "型号", "产业领域代码", "规格型号变体", "专利"],
        1: ["  手机 ", "华为", "P1", " 02 ", "黑色；白色 ; ", "201710601862.3｜licensee｜X2020440000123"],
    }})

    draft = read_bulk_file(content, None)[0].draft

    assert draft["name"] == "手机" and draft["industry_code"] == "02"
    assert draft["variants"] == ["黑色", "白色"]
    assert draft["patents"] == [{"number": "201710601862.3", "relation": "licensee",
                                 "license_record_no": "X2020440000123", "title": "", "holder": "", "dispute": False}]


def test_xlsx_reads_the_sheet_named_products_else_the_first():
    header = ["name", "brand", "model", "industry_code"]
    named = xlsx_bytes({"备注": {0: ["随便写写"]}, "产品": {0: header, 1: ["a", "b", "from 产品", "01"]}})
    unnamed = xlsx_bytes({"Sheet1": {0: header, 1: ["a", "b", "first", "01"]},
                          "Sheet2": {0: header, 1: ["a", "b", "second", "01"]}})

    assert [row.draft["model"] for row in read_bulk_file(named, None)] == ["from 产品"]
    assert [row.draft["model"] for row in read_bulk_file(unnamed, None)] == ["first"]


# --- refusals ----------------------------------------------------------------------------------

def test_an_empty_file_is_refused():
    assert "empty" in refusal(b"")
    assert "empty" in refusal(b"\xef\xbb\xbf")
    assert "empty" in refusal(b"\r\n , \r\n")
    assert "empty" in refusal(xlsx_bytes({"产品": {}}))


def test_a_header_without_data_rows_is_refused():
    assert "no data rows" in refusal(csv_bytes([["name", "brand", "model", "industry_code"], ["", "", "", ""]]))
    assert "no data rows" in refusal(xlsx_bytes({"产品": {0: ["name", "brand", "model", "industry_code"]}}))


def test_a_legacy_xls_is_refused():
    assert "Excel 97-2003 (.xls)" in refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "products.xls")


def test_a_pdf_is_refused_even_without_nul_bytes():
    assert "PDF document" in refusal(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n", "products.csv")


def test_a_binary_file_is_refused():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
    assert "binary" in refusal(png, "products.csv")


def test_utf16_text_is_refused_with_what_to_save_instead():
    reason = refusal("name,brand,model,industry_code\n".encode("utf-16"))
    assert "UTF-16" in reason and "CSV UTF-8" in reason


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    assert "ZIP archive but not an Excel workbook" in refusal(buffer.getvalue(), "products.xlsx")


def test_a_damaged_zip_and_a_broken_workbook_are_refused():
    content = xlsx_bytes({"产品": {0: ["name", "brand", "model", "industry_code"], 1: ["a", "b", "c", "01"]}})
    assert "damaged" in refusal(content[: len(content) // 2])

    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(broken, "w") as out:
        for member in source.infolist():
            out.writestr(member, b"<not xml" if member.filename == "xl/workbook.xml" else source.read(member))
    assert "cannot be read" in refusal(broken.getvalue())


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(monkeypatch):
    def must_not_open(*args, **kwargs):
        raise AssertionError("openpyxl opened the zip bomb")

    monkeypatch.setattr("filing.adapters.bulk.reader.load_workbook", must_not_open)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(33):
                member.write(b"\x00" * (1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024

    assert "32 MiB" in refusal(buffer.getvalue())


def test_a_workbook_just_under_the_unpacked_limit_is_opened(monkeypatch):
    opened = []

    def record(*args, **kwargs):
        opened.append(True)
        raise ValueError("not a real workbook")

    monkeypatch.setattr("filing.adapters.bulk.reader.load_workbook", record)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(31):
                member.write(b"\x00" * (1024 * 1024))

    assert "cannot be read" in refusal(buffer.getvalue())
    assert opened == [True]


def test_an_undecodable_csv_is_refused_naming_the_accepted_encodings():
    reason = refusal(b"name,brand,model,industry_code\n\x80\x80,\xff,c,01\n")
    assert "UTF-8" in reason and "GB18030" in reason


def test_unknown_columns_are_refused_by_name():
    reason = refusal(csv_bytes([["name", "brand", "model", "industry_code", "颜色", "remark"],
                                ["a", "b", "c", "01", "红", ""]]))
    assert '"颜色" (column E)' in reason and '"remark" (column F)' in reason


def test_a_header_separated_by_semicolons_is_refused_with_a_hint():
    reason = refusal(b"name;brand;model;industry_code\na;b;c;01\n")
    assert '"name;brand;model;industry_code"' in reason and "commas" in reason


def test_a_column_named_twice_is_refused_by_name_even_under_its_label():
    reason = refusal(csv_bytes([["name", "brand", "model", "industry_code", "产品名称"], ["a", "b", "c", "01", "d"]]))
    assert "more than once" in reason and "name（产品名称） (columns A and E)" in reason


@pytest.mark.parametrize("missing", ["name", "brand", "model", "industry_code"])
def test_a_missing_required_column_is_refused_by_name(missing):
    header = [key for key in ("name", "brand", "model", "industry_code", "description") if key != missing]
    reason = refusal(csv_bytes([header, ["x"] * len(header)]))
    assert "lacks the required columns" in reason and missing in reason


def test_a_value_in_an_unnamed_column_is_refused_with_its_place():
    reason = refusal(csv_bytes([["name", "brand", "model", "industry_code"], ["a", "b", "c", "01"],
                                ["a", "b", "c", "01", "", "备注"]]))
    assert "Row 3" in reason and "column F" in reason


def test_more_than_max_rows_are_refused_saying_the_limit():
    rows = [["name", "brand", "model", "industry_code"]] + [["a", "b", f"m{i}", "01"] for i in range(MAX_ROWS + 1)]
    assert f"more than {MAX_ROWS} data rows" in refusal(csv_bytes(rows))


# --- column_of ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "column"), [
    ("name", "name（产品名称）"),
    ("industry_code", "industry_code（产业领域代码）"),
    ("launched_on", "launched_on（上市日期）"),
    ("economic_data.0.sales_revenue", "sales_revenue（销售额（元））"),
    ("economic_data.0.year", "economic_year（经济数据年度）"),
    ("economic_data.0.ip_investment", "ip_investment（知识产权投入（元））"),
    ("economic_data", "经济数据（economic_year 至 ip_investment 各列）"),
    ("patents.1.number", "patents（专利）第2项"),
    ("patents.0.relation", "patents（专利）第1项"),
    ("patents", "patents（专利）"),
    ("variants.2", "variants（规格型号变体）第3项"),
    ("_schema", "整行"),
    ("materials", "materials"),
])
def test_column_of_maps_validation_paths_to_columns(path, column):
    assert column_of(path) == column


# --- templates ---------------------------------------------------------------------------------

def test_the_template_workbook_has_the_header_the_guide_and_the_industry_codes():
    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx()))

    assert workbook.sheetnames == ["产品", "说明", "产业领域"]
    products = workbook["产品"]
    assert [cell.value for cell in products[1]] == KEYS
    assert all(cell.font.b for cell in products[1])
    assert products.max_row == 1  # no sample product to upload by mistake
    assert products.column_dimensions["N"].width > products.column_dimensions["B"].width  # patents is wide

    requirements = {"name": "必填", "brand": "必填", "model": "必填", "industry_code": "必填",
                    "economic_year": "填写经济数据时必填", "sales_revenue": "填写经济数据时必填",
                    "sales_volume": "填写经济数据时必填"}
    guide = {row[0]: row for row in workbook["说明"].iter_rows(values_only=True) if row[0] in KEYS}
    assert list(guide) == KEYS
    for column in COLUMNS:
        _key, label, required, description, example = guide[column.key][:5]
        assert (label, description, example) == (column.label, column.description, column.example)
        assert required == requirements.get(column.key, "选填")
    assert guide["patents"][4] == PATENTS

    codes = list(workbook["产业领域"].iter_rows(min_row=2, values_only=True))
    assert [(code, name) for code, name, _ in codes] == [(f.code, f.name) for f in classification().fields.values()]


def test_the_template_workbook_reads_back_as_no_data_rows_and_its_example_reads_as_a_product():
    content = template_xlsx()
    assert "no data rows" in refusal(content)

    workbook = openpyxl.load_workbook(io.BytesIO(content))
    examples = {row[0]: row[4] for row in workbook["说明"].iter_rows(values_only=True) if row[0] in KEYS}
    workbook["产品"].append([examples[key] for key in KEYS])
    filled = io.BytesIO()
    workbook.save(filled)

    rows = read_bulk_file(filled.getvalue(), "模板.xlsx")

    assert rows == [BulkRow(2, {
        "name": "智能手机", "brand": "华为", "model": "Mate 60 Pro", "industry_code": "01",
        "description": examples["description"], "launched_on": examples["launched_on"],
        "variants": ["黑色", "白色", "12GB+512GB"],
        "economic_data": [{"year": 2025, "sales_revenue": "1234567.89", "sales_volume": 1000,
                           "export_revenue": examples["export_revenue"], "profit": examples["profit"],
                           "ip_investment": examples["ip_investment"]}],
        "patents": FULL_DRAFT["patents"],
    })]


def test_the_template_csv_is_a_bom_and_the_header_and_reads_back_as_no_data_rows():
    content = template_csv()

    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig").splitlines() == [",".join(KEYS)]
    assert "no data rows" in refusal(content)

    filled = content + csv_bytes([[FULL_ROW[key] for key in KEYS]])
    assert read_bulk_file(filled, None) == [BulkRow(2, FULL_DRAFT)]


def test_xlsx_rows_beyond_a_wrongly_declared_sheet_size_are_read():
    rows = {0: ["name", "brand", "model", "industry_code"], 1: ["a", "b", "c", "01"], 2: ["a", "b", "d", "01"]}
    content = xlsx_bytes({"产品": rows}, patch={'<dimension ref="A1:D3"/>': '<dimension ref="A1"/>'})

    assert [row.draft["model"] for row in read_bulk_file(content, None)] == ["c", "d"]


def test_a_value_beyond_the_last_sheet_column_is_refused_with_its_place():
    reason = refusal(csv_bytes([["name", "brand", "model", "industry_code"], ["a", "b", "c", "01"] + [""] * 20000
                                + ["x"]]))
    assert "Row 2" in reason and "column number 20005" in reason


def _formatted_rows(count: int, width: int = 4) -> bytes:
    """A header, one product, and `count` rows that hold only formatting (as Excel writes them
    when a whole range was styled): cheap to zip, costly to parse."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "产品"
    sheet.append(["name", "brand", "model", "industry_code"][:width] + [None] * max(0, width - 4))
    sheet.append(["锂电池", "宁德", "M-1", "01"])
    for number in range(3, 3 + count):
        sheet.row_dimensions[number].height = 20
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_sheet_of_empty_formatted_rows_is_refused_by_its_row_count_not_parsed_to_the_end():
    content = _formatted_rows(12_000)
    assert len(content) < 200 * 1024  # a small upload…
    assert "more than 10000 rows" in refusal(content)  # …refused by the rows it makes the reader walk
    assert [row.number for row in read_bulk_file(_formatted_rows(100), "ok.xlsx")] == [2]


def test_a_row_of_thousands_of_cells_is_refused():
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as book:
        sheet = book.add_worksheet("产品")
        sheet.write_row(0, 0, ["name", "brand", "model", "industry_code"])
        sheet.write_row(1, 0, ["锂电池", "宁德", "M-1", "01"])
        for column in range(4, 5000):
            sheet.write_blank(1, column, None, book.add_format({"bold": True}) if column == 4 else None)
        sheet.write_string(1, 4999, "x")
    assert "more than 64 cells" in refusal(buffer.getvalue())


def test_workbook_xml_is_parsed_by_defusedxml_so_entity_bombs_are_refused():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML  # openpyxl parses with defusedxml when it is installed (filing depends on it)
    content = xlsx_bytes({"产品": {0: ["name", "brand", "model", "industry_code"], 1: ["a", "b", "c", "01"]}})
    entities = "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                       for i in range(1, 9))
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' + entities
              + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
              + '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol8;</t></is></c></row></sheetData></worksheet>')
    bombed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(bombed, "w") as out:
        for member in source.infolist():
            out.writestr(member, laughs if member.filename == "xl/worksheets/sheet1.xml" else source.read(member))
    assert "cannot be read" in refusal(bombed.getvalue())
