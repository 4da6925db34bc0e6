"""A frozen monthly report as a file: CSV, JSON, or an Excel workbook with charts (provincial
staff live in Excel: filings per month as a column chart, filings per industry field as a bar
chart, and this month's new filings as a list); and the product list as a file, each product
with its economic figures of one year when the caller may see them (`domain.product_list`), and
in XLSX a sheet and bar chart of that year's sales revenue by industry field.

What a person reads is words, not codes (已备案, 企业, 深圳市, 03 新装备制造业); in XLSX
dates are dates, counts and money are numbers, and text an enterprise typed is a string cell
that never runs; in CSV such text is neutralised (platform_shared.spreadsheets)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import IO, Any

import xlsxwriter

from platform_shared.labels import ORGANISATION_KIND, ORGANISATION_STATUS, PATENT_KIND, PRODUCT_STATUS, label
from platform_shared.regions import PROVINCES, region_name
from platform_shared.spreadsheets import WORKBOOK_OPTIONS, csv_row, write_cells
from reporting.adapters.xlsx_rows import FastRows

# The counters' key for a city or a kind of organisation not known (an organisation registered
# without a city; a product seen before its organisation), in words.
UNKNOWN = {"unknown": "未知"}
KINDS = {**ORGANISATION_KIND, **UNKNOWN}


def place(code: str | None) -> str:
    """A region code by its name (深圳市), 未知 for the counters' `unknown`."""
    return UNKNOWN.get(code or "") or region_name(code)


LABELS = {"new_filings": "本月新增备案", "filed_total": "备案产品总数", "recognised_total": "认定产品总数",
          "organisations_total": "注册单位总数"}
PRODUCT_COLUMNS = (("filing_number", "备案号"), ("name", "产品名称"), ("brand", "品牌"), ("model", "型号"),
                   ("organisation_name", "备案主体"), ("industry", "产业领域"), ("city", "城市"),
                   ("filed_on", "备案日期"))
DATE = {"num_format": "yyyy-mm-dd"}


def industry_label(code: str, names: Mapping[str, str]) -> str:
    """`03 新装备制造业`: the field's code with its name (the code alone if unnamed)."""
    return f"{code} {names.get(code, '')}".strip()


def _new_product(product: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    """A new filing of the report as a person reads it: the field and city by name, the date a date."""
    code = product.get("industry_code") or ""
    filed_on = product.get("filed_on")
    return {**product, "industry": industry_label(code, names),
            "city": place(product.get("city_code")),
            "filed_on": dt.date.fromisoformat(filed_on) if isinstance(filed_on, str) else filed_on}


def as_json(report: Mapping[str, Any]) -> bytes:
    return json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8")


def _sections(report: Mapping[str, Any]) -> list[tuple[str, str, object]]:
    rows: list[tuple[str, str, object]] = [("概况", LABELS[k], v) for k, v in report["figures"].items()]
    rows += [("按月备案", month, n) for month, n in report["filings_by_month"].items()]
    names = report.get("industry_names", {})
    rows += [("按产业领域", industry_label(code, names), n)
             for code, n in report["filed_by_industry"].items()]
    rows += [("按城市", place(code), n) for code, n in report["filed_by_city"].items()]
    rows += [("按单位类型", label(KINDS, kind), n) for kind, n in report["filed_by_kind"].items()]
    rows += [("按状态", label(PRODUCT_STATUS, status), n) for status, n in report["products_by_status"].items()]
    rows += [("单位（按认证状态）", label(ORGANISATION_STATUS, status), n)
             for status, n in report.get("organisations_by_status", {}).items()]
    rows += [("申报销售额（元）", year, Decimal(amount)) for year, amount in report["declared_revenue_by_year"].items()]
    rows += [("专利（件）", label(PATENT_KIND, kind), n) for kind, n in report["patents_by_kind"].items()]
    return rows


def as_csv(report: Mapping[str, Any]) -> bytes:
    """UTF-8 with BOM (Excel opens Chinese correctly): the figures as section,item,value rows,
    then this month's new filings."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["报告月份", report["month"], PROVINCES.get(report["scope"], "全国")])
    writer.writerow(["分类", "项目", "数值"])
    writer.writerows(csv_row(section) for section in _sections(report))
    writer.writerow([])
    writer.writerow([heading for _, heading in PRODUCT_COLUMNS])
    names = report.get("industry_names", {})
    for product in report["new_products"]:
        shown = _new_product(product, names)
        writer.writerow(csv_row(shown.get(key) for key, _ in PRODUCT_COLUMNS))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _chart(book: xlsxwriter.Workbook, kind: str, title: str, series: str, sheet: str, *, rows: int, labels: int,
           values: int) -> Any:
    """A chart of one series without a legend: the sheet's rows 1..`rows`, labels and values
    from the columns given."""
    chart = book.add_chart({"type": kind})
    chart.add_series({"name": series, "categories": [sheet, 1, labels, rows, labels],
                      "values": [sheet, 1, values, rows, values]})
    chart.set_title({"name": title})
    chart.set_legend({"none": True})
    return chart


def as_xlsx(report: Mapping[str, Any]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, **WORKBOOK_OPTIONS})
    bold = book.add_format({"bold": True})
    date = book.add_format(DATE)
    title = f"{report.get('province_name', '')} {report['month']} 专利产品备案月报"

    overview = book.add_worksheet("概况")
    overview.write_string(0, 0, title, bold)
    for row, (key, value) in enumerate(report["figures"].items(), start=2):
        overview.write_string(row, 0, LABELS[key])
        overview.write_number(row, 1, value)
    overview.set_column(0, 0, 18)

    months = book.add_worksheet("按月备案")
    months.write_row(0, 0, ["月份", "新增备案"], bold)
    for row, (month, n) in enumerate(report["filings_by_month"].items(), start=1):
        months.write_string(row, 0, month)
        months.write_number(row, 1, n)
    months.insert_chart(1, 3, _chart(book, "column", "每月新增备案产品", "新增备案", "按月备案",
                                     rows=len(report["filings_by_month"]), labels=0, values=1))

    fields = book.add_worksheet("按产业领域")
    fields.write_row(0, 0, ["代码", "产业领域", "备案产品"], bold)
    names = report.get("industry_names", {})
    for row, (code, n) in enumerate(report["filed_by_industry"].items(), start=1):
        fields.write_string(row, 0, code)
        fields.write_string(row, 1, names.get(code, ""))
        fields.write_number(row, 2, n)
    bars = _chart(book, "bar", "各产业领域备案产品", "备案产品", "按产业领域",
                  rows=len(report["filed_by_industry"]), labels=1, values=2)
    fields.set_column(1, 1, 24)
    fields.insert_chart(1, 4, bars)

    products = book.add_worksheet("本月新增备案")
    products.write_row(0, 0, [heading for _, heading in PRODUCT_COLUMNS], bold)
    for row, product in enumerate(report["new_products"], start=1):
        shown = _new_product(product, names)
        write_cells(products, row, [shown.get(key) for key, _ in PRODUCT_COLUMNS], date)
    products.set_column(0, len(PRODUCT_COLUMNS) - 1, 16)

    details = book.add_worksheet("明细")
    details.write_row(0, 0, ["分类", "项目", "数值"], bold)
    for row, section in enumerate(_sections(report), start=1):
        write_cells(details, row, section, date)
    book.close()
    return out.getvalue()


EXPORT_COLUMNS = (("filing_number", "备案号"), ("name", "产品名称"), ("brand", "品牌"), ("model", "型号"),
                  ("organisation_name", "备案主体"), ("industry", "产业领域"), ("province", "省份"),
                  ("city", "城市"), ("filed_on", "备案日期"), ("status", "状态"))
# A product's figures of the export's year: (field of YearFigures, heading after the year, money?).
FIGURE_COLUMNS = (("sales_revenue_fen", "销售收入（元）", True), ("sales_volume", "销售数量", False),
                  ("export_revenue_fen", "出口收入（元）", True), ("profit_fen", "利润（元）", True),
                  ("ip_investment_fen", "知识产权投入（元）", True))
MONEY = {"num_format": "#,##0.00"}
INDUSTRY = [key for key, _ in EXPORT_COLUMNS].index("industry")
BY_FIELD_SHEET = "按产业领域汇总"


def _headings(figures_year: int | None) -> list[str]:
    headings = [heading for _, heading in EXPORT_COLUMNS]
    if figures_year is not None:
        headings += [f"{figures_year}年{heading}" for _, heading, _ in FIGURE_COLUMNS]
    return headings


def _exported(row: Mapping[str, Any], industries: Mapping[str, str]) -> list[object]:
    """The row's cells in EXPORT_COLUMNS' order, codes in words (no dict built per row: an export
    writes 100,000s of them)."""
    get = row.get
    return [get("filing_number"), get("name"), get("brand"), get("model"), get("organisation_name"),
            industry_label(get("industry_code") or "", industries), region_name(get("province_code")),
            place(get("city_code")), get("filed_on"), label(PRODUCT_STATUS, get("status"))]


_FIGURE_NAMES = tuple(name for name, _, _ in FIGURE_COLUMNS)
_NO_FIGURES: tuple[None, ...] = (None,) * len(FIGURE_COLUMNS)


def _figures(row: Mapping[str, Any]) -> Sequence[int | None]:
    """The product's figures of the export's year as kept (money in fen, the volume a count);
    None where the product declared none (the year, or an optional figure)."""
    declared = row.get("figures")
    if declared is None:
        return _NO_FIGURES
    return [getattr(declared, name) for name in _FIGURE_NAMES]


def products_xlsx(rows: Iterable[Mapping[str, Any]], sink: IO[bytes], industries: Mapping[str, str],
                  figures_year: int | None = None) -> int:
    """The product list as a workbook written row by row (constant memory, for 100,000s of rows).
    With `figures_year`, each product's figures of that year (money as numbers in yuan), and a
    sheet of the year's sales revenue by industry field with its bar chart."""
    book = xlsxwriter.Workbook(sink, {"constant_memory": True, **WORKBOOK_OPTIONS})
    sheet = book.add_worksheet("备案产品")
    bold = book.add_format({"bold": True})
    headings = _headings(figures_year)
    sheet.write_row(0, 0, headings, bold)
    date, money = book.add_format(DATE), book.add_format(MONEY)
    # Money in yuan, shown with two decimals and thousands separators; the volume a plain number.
    writer = FastRows(sheet, 1, date, [None] * len(EXPORT_COLUMNS) + [
        money if is_money else None for _, _, is_money in FIGURE_COLUMNS])
    money_at = [index for index, (_, _, is_money) in enumerate(FIGURE_COLUMNS) if is_money]
    products_in: Counter[str] = Counter()  # industry field (as shown) → products, sales revenue (fen)
    revenue_in: dict[str, int] = {}
    count = 0
    for row in rows:
        count += 1
        cells = _exported(row, industries)
        if figures_year is None:
            writer.write(cells)
            continue
        figures = _figures(row)
        shown: list[object] = list(figures)
        for index in money_at:
            if shown[index] is not None:
                shown[index] = figures[index] / 100  # type: ignore[operator]
        writer.write(cells + shown)
        field = str(cells[INDUSTRY])
        products_in[field] += 1
        revenue_in[field] = revenue_in.get(field, 0) + (figures[0] or 0)
    writer.close()
    sheet.set_column(0, len(headings) - 1, 16)
    if figures_year is not None:
        by_field = [(field, products_in[field], Decimal(fen) / 100) for field, fen in revenue_in.items()]
        _revenue_by_field(book, by_field, figures_year, bold, money)
    book.close()
    return count


def _revenue_by_field(book: xlsxwriter.Workbook, by_field: Iterable[tuple[str, int, Decimal]], year: int,
                      bold: Any, money: Any) -> None:
    """A sheet of the year's declared sales revenue per industry field (with the products
    exported in it), largest first, with a bar chart of it."""
    sheet = book.add_worksheet(BY_FIELD_SHEET)
    sheet.write_row(0, 0, ["产业领域", "备案产品", f"{year}年销售收入（元）"], bold)
    ordered = sorted(by_field, key=lambda item: (-item[2], item[0]))
    for row, (field, products, revenue) in enumerate(ordered, start=1):
        sheet.write_string(row, 0, field)
        sheet.write_number(row, 1, float(products))
        sheet.write_number(row, 2, float(revenue), money)
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 2, 18)
    if ordered:
        chart = _chart(book, "bar", f"{year}年各产业领域备案产品销售收入（元）", "销售收入", BY_FIELD_SHEET,
                       rows=len(ordered), labels=0, values=2)
        sheet.insert_chart(1, 4, chart)


def products_csv(rows: Iterable[Mapping[str, Any]], industries: Mapping[str, str],
                 figures_year: int | None = None) -> Iterator[bytes]:
    """The product list as CSV (UTF-8 with BOM), line by line; with `figures_year`, each
    product's figures of that year (yuan with two decimals)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_headings(figures_year))
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        values = _exported(row, industries)
        if figures_year is not None:
            # Yuan as an exact number with two decimals (a number, not text: no apostrophe for a loss).
            values += [Decimal(value).scaleb(-2) if is_money and value is not None else value
                       for value, (_, _, is_money) in zip(_figures(row), FIGURE_COLUMNS, strict=True)]
        writer.writerow(csv_row(values))
        yield buffer.getvalue().encode("utf-8")
