"""The province's files say words, not codes: the counters' `unknown` (an organisation that
gave no city, a product seen before its organisation) is 未知, a kind of organisation, a status
and a patent's kind are named, and a city by its name."""

from __future__ import annotations

import csv
import io
import re

import pytest

from reporting.adapters import report_files

pytestmark = pytest.mark.unit

REPORT = {"month": "2026-10", "scope": "440000", "province_name": "广东省",
          "figures": {"new_filings": 1, "filed_total": 2, "recognised_total": 0, "organisations_total": 2},
          "filings_by_month": {"2026-10": 1}, "filed_by_industry": {"01": 2},
          "industry_names": {"01": "信息通信技术制造业"},
          "filed_by_city": {"440300": 1, "unknown": 1}, "filed_by_kind": {"enterprise": 1, "unknown": 1},
          "products_by_status": {"filed": 2}, "organisations_by_status": {"verified": 2},
          "declared_revenue_by_year": {"2025": "100.00"}, "patents_by_kind": {"invention": 2, "utility_model": 1},
          "new_products": [{"filing_number": "BA-2026-44-000001", "name": "手机", "brand": "华为", "model": "M1",
                            "organisation_name": "华为", "industry_code": "01", "city_code": None,
                            "filed_on": "2026-10-05"}]}
CODES = re.compile(r"\b(unknown|enterprise|filed|verified|invention|utility_model|440300)\b")


def test_the_monthly_report_as_csv_names_every_code():
    text = report_files.as_csv(REPORT).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["按城市", "深圳市", "1"] in rows and ["按城市", "未知", "1"] in rows
    assert ["按单位类型", "企业", "1"] in rows and ["按单位类型", "未知", "1"] in rows
    assert ["按状态", "已备案", "2"] in rows and ["专利（件）", "实用新型", "1"] in rows
    assert not CODES.findall(text), CODES.findall(text)
