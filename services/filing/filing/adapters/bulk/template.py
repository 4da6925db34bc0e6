"""The bulk filing template an organisation downloads and fills in: the XLSX workbook (产品,
说明 with a worked example, 产业领域) and the CSV header row."""

from __future__ import annotations

import csv
import io

import xlsxwriter

from filing.domain.bulk import (
    COLUMNS,
    ECONOMIC_REQUIRED_KEYS,
    GUIDE_SHEET,
    INDUSTRY_SHEET,
    MAX_ROWS,
    PRODUCT_SHEET,
    Column,
)
from platform_shared.industries import classification
from platform_shared.spreadsheets import WORKBOOK_OPTIONS

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
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, **WORKBOOK_OPTIONS})
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
