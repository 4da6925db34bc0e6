"""Bulk filing through the embedded platform: a spreadsheet of 1,000 products with 10 bad rows
gives 990 drafts and 10 precise row errors; the template comes back as a file the same upload
accepts; a file that is not a spreadsheet is refused as a whole, with nothing written."""

from __future__ import annotations

import csv
import io
import uuid
import zipfile
from dataclasses import replace

import openpyxl
import pytest
import xlsxwriter

from tests.support.embedded import ApiClient
from tests.support.members import PDF, verified_member

API = "/api/v1/filing"
COLUMNS = ["name", "brand", "model", "industry_code", "variants", "economic_year", "sales_revenue", "sales_volume",
           "patents"]
# Row number (as the spreadsheet shows it) → (column to spoil, bad value, the column the error names).
BAD_ROWS = {
    12: ("industry_code", "99", "industry_code"),
    57: ("sales_revenue", "12.345", "sales_revenue"),
    101: ("patents", "202310123456.7|owner", "patents"),
    230: ("name", "", "name"),
    345: ("sales_volume", "很多", "sales_volume"),
    480: ("patents", "201710601862.3|partner", "patents"),
    512: ("economic_year", "1900", "economic_year"),
    640: ("brand", "", "brand"),
    777: ("variants", "x" * 101, "variants"),
    901: ("model", "DUPLICATE-OF-ROW-2", "model"),
}


@pytest.fixture(scope="module")
def member(platform, operator_token):

    return verified_member(platform, ApiClient(platform.wsgi), operator_token, "批量备案科技有限公司")


def rows(count: int, prefix: str) -> list[dict]:
    table = []
    for index in range(count):
        number = index + 2
        row = {"name": f"产品{index}", "brand": "批量", "model": f"{prefix}-{index:04d}", "industry_code": "04",
               "variants": "红色;蓝色", "economic_year": "2025", "sales_revenue": f"{index}.50", "sales_volume": "10",
               "patents": "201710601862.3|owner;202011167667.2|licensee|X2020440000123"}
        if number in BAD_ROWS:
            column, value, _ = BAD_ROWS[number]
            row[column] = f"{prefix}-0000" if value == "DUPLICATE-OF-ROW-2" else value
        table.append(row)
    return table


def as_csv(table: list[dict], encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(table)
    return out.getvalue().encode(encoding)


def as_xlsx(table: list[dict]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("产品")
    sheet.write_row(0, 0, COLUMNS)
    for r, row in enumerate(table, start=1):
        sheet.write_row(r, 0, [row[c] for c in COLUMNS])
    book.close()
    return out.getvalue()


def upload(client, member, content: bytes, name: str):
    return client.post(f"{API}/products/bulk", headers=member.auth,
                       data={"file": (io.BytesIO(content), name, "application/octet-stream")})


def product_count(platform) -> int:
    from filing.adapters.orm import Product

    with platform.runtimes["filing"].database.connection_context():
        return Product.select().count()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_thousand_rows_with_ten_bad_ones(platform, client, member, kind):
    prefix = f"B{uuid.uuid4().hex[:6]}"
    table = rows(1000, prefix)
    content = as_csv(table) if kind == "csv" else as_xlsx(table)
    before = product_count(platform)

    response = upload(client, member, content, f"products.{kind}")

    assert response.status_code == 200, response.get_json()
    result = response.get_json()
    assert result["rows"] == 1000
    assert len(result["created"]) == 990
    assert {e["row"] for e in result["errors"]} == set(BAD_ROWS)
    for error in result["errors"]:
        _, _, column = BAD_ROWS[error["row"]]
        assert any(key.startswith(column) for key in error["errors"]), error
    assert product_count(platform) == before + 990
    # Each draft is whole: its patents and economic data are there.
    some = result["created"][500]
    product = client.get(f"{API}/products/{some['id']}", headers=member.auth).get_json()
    assert product["status"] == "draft" and product["variants"] == ["红色", "蓝色"]
    assert [p["number"] for p in product["patents"]] == ["201710601862.3", "202011167667.2"]
    assert product["economic_data"][0]["year"] == 2025


def test_gb18030_csv_from_chinese_excel_is_read(platform, client, member):
    table = rows(3, f"G{uuid.uuid4().hex[:6]}")
    response = upload(client, member, as_csv(table, "gb18030"), "products.csv")
    assert response.status_code == 200, response.get_json()
    created = response.get_json()["created"]
    assert len(created) == 3
    assert client.get(f"{API}/products/{created[0]['id']}", headers=member.auth).get_json()["name"] == "产品0"


def test_the_template_can_be_downloaded_and_read(client, member):
    xlsx = client.get(f"{API}/products/bulk/template", headers=member.auth)
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx.mimetype
    book = openpyxl.load_workbook(io.BytesIO(xlsx.get_data()), read_only=True)
    assert "说明" in book.sheetnames
    header = next(book.worksheets[0].iter_rows(max_row=1, values_only=True))
    assert {"name", "brand", "model", "industry_code", "patents"} <= set(header)
    text = client.get(f"{API}/products/bulk/template?format=csv", headers=member.auth)
    assert text.status_code == 200 and text.get_data().startswith(b"\xef\xbb\xbf")
    assert client.get(f"{API}/products/bulk/template?format=pdf", headers=member.auth).status_code == 422


@pytest.mark.parametrize(("content", "name", "status"), [
    (PDF + b"\x00" * 100, "products.csv", 415),
    (b"MZ\x90\x00" + b"\x00" * 300, "products.xlsx", 415),
    (b"PK\x03\x04" + b"\x00" * 300, "products.xlsx", 422),  # a damaged workbook: save it again
    ("zip", "products.xlsx", 415),  # a real ZIP, but of something else
    ("name,brand,model,industry_code,colour\n甲,乙,丙,01,红\n".encode(), "products.csv", 422),
    ("name,brand\n甲,乙\n".encode(), "products.csv", 422),
    (b"", "products.csv", 422),
])
def test_a_file_that_is_not_a_usable_spreadsheet_is_refused_whole(platform, client, member, content, name, status):
    if content == "zip":
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as bundle:
            bundle.writestr("readme.txt", "not a workbook")
        content = archive.getvalue()
    before = product_count(platform)
    response = upload(client, member, content, name)
    assert response.status_code == status, response.get_json()
    assert "file" in response.get_json()["errors"]
    assert product_count(platform) == before


def test_an_oversize_file_is_413(platform, client, member, monkeypatch):
    filing = platform.runtimes["filing"]
    monkeypatch.setattr(filing, "dependencies", replace(filing.dependencies, bulk_max_bytes=2048))
    content = as_csv(rows(1500, "X"))
    assert len(content) > 2048 + 64 * 1024  # the limit plus the room allowed for the form around the file
    response = upload(client, member, content, "products.csv")
    assert response.status_code == 413
