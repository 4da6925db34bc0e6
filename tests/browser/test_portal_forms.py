"""The portal's forms as API bodies, and the API's dotted field paths back onto the forms (no
browser needed: the rules the browser tests rely on)."""

from __future__ import annotations

import pytest

from portal.forms import by_field, decision_reasons, field_id, flatten, product_body

pytestmark = pytest.mark.browser


def test_a_product_form_becomes_the_api_body_without_its_empty_rows():
    form = {"name": " 控制器 ", "brand": "汇川", "model": "X1", "industry_code": "03", "description": "",
            "launched_on": "", "variants": "标准版\n\n防爆版\n",
            "economic_data.0.year": "", "economic_data.0.sales_revenue": "",
            "economic_data.1.year": "2025", "economic_data.1.sales_revenue": "1.50",
            "economic_data.1.sales_volume": "3",
            "economic_data.1.profit": "", "patents.0.number": "", "patents.0.relation": "owner",
            "patents.1.number": "ZL201911050262.8", "patents.1.relation": "licensee",
            "patents.1.license_record_no": "X2020", "patents.1.dispute": "true"}
    body = product_body(form)
    assert body["name"] == "控制器" and "launched_on" not in body
    assert body["variants"] == ["标准版", "防爆版"]
    assert body["economic_data"] == [{"year": 2025, "sales_revenue": "1.50", "sales_volume": 3}]
    assert body["patents"] == [{"number": "ZL201911050262.8", "relation": "licensee", "title": "", "holder": "",
                                "dispute": True, "license_record_no": "X2020"}]
    # Re-shown after an error, the rows are numbered as the API numbered them.
    assert flatten(body)["patents.0.number"] == "ZL201911050262.8"


def test_field_paths_name_form_controls_and_reasons_group_by_field():
    assert field_id("economic_data.0.sales_revenue") == "f-economic_data-0-sales_revenue"
    assert by_field([{"field": "model", "message": "a"}, {"field": "model", "message": "b"},
                     {"field": "", "message": "c"}]) == {"model": ["a", "b"], "": ["c"]}
    assert decision_reasons({"reasons.0.field": "model", "reasons.0.message": "型号不符", "reasons.1.field": "brand",
                             "reasons.1.message": ""}) == [{"field": "model", "message": "型号不符"}]


@pytest.mark.parametrize(("typed", "sent"), [
    ("12,345,678.90", "12345678.90"), ("１２，３４５．６", "12345.6"), (" 1 000 ", "1000"), ("999", "999"),
    ("-1,000", "-1000"),
    # Not grouped by thousands: sent as typed, for the API to say what is wrong.
    ("12,34,5678", "12,34,5678"), ("1,2", "1,2"), ("abc", "abc"), ("", ""),
])
def test_money_is_taken_as_people_write_it(typed, sent):
    from portal.forms import money

    assert money(typed) == sent
    body = product_body({"economic_data.0.year": "2025", "economic_data.0.sales_revenue": typed,
                         "economic_data.0.ip_investment": typed or "1"})
    assert body["economic_data"][0]["sales_revenue"] == sent
