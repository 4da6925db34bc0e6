"""Hostile input ends in a 400 problem naming what is wrong, before any schema sees it: JSON nested
too deeply, numbers of thousands of digits or out of range, NaN, and control characters or bytes
that are not UTF-8 in query strings; and the OpenAPI documents say so of every free-text query parameter."""

from __future__ import annotations

import pytest
from flask import request

from platform_shared.web.app import create_service_app
from platform_shared.web.blueprint import ServiceBlueprint
from platform_shared.web.input_bounds import MAX_JSON_DEPTH, QUERY_TEXT_PATTERN
from platform_shared.web.routes import ANYONE, endpoint

pytestmark = pytest.mark.unit


def _app():
    import marshmallow as ma

    class Body(ma.Schema):
        class Meta:
            unknown = ma.INCLUDE

        amount = ma.fields.Decimal(load_default=None)

    class Query(ma.Schema):
        q = ma.fields.String(load_default="")
        state = ma.fields.String(load_default=None, validate=ma.validate.OneOf(("a", "b")))

    blp = ServiceBlueprint("things", __name__)

    @endpoint(blp, "/things", "POST", roles=ANYONE, body=Body, response=(200, None))
    def post(body):
        return {"ok": True, "keys": sorted(body)}

    @endpoint(blp, "/things", "GET", roles=ANYONE, query=Query, response=(200, None))
    def get(query):
        return {"q": query["q"], "raw": request.args.get("q", "")}

    return create_service_app("things", title="things", blueprints=[blp])


@pytest.fixture
def client():
    return _app().test_client()


def _refused(response, field="body"):
    assert response.status_code == 400, response.get_data(as_text=True)
    problem = response.get_json()
    assert problem["type"].endswith("/unbounded-input") and field in problem["errors"]
    return problem["errors"][field][0]


@pytest.mark.parametrize("body", [
    b"[" * 100_000 + b"]" * 100_000,  # RecursionError in json
    b'{"a":' * (MAX_JSON_DEPTH + 1) + b"1" + b"}" * (MAX_JSON_DEPTH + 1),
])
def test_json_nested_too_deeply_is_a_400(client, body):
    assert "nested deeper" in _refused(client.post("/things", data=body, content_type="application/json"))


@pytest.mark.parametrize("number", [b"9" * 5000, b"1" + b"0" * 65, b"1e999999", b"-1.5e400", b"NaN", b"Infinity"])
def test_numbers_past_the_bounds_are_a_400(client, number):
    response = client.post("/things", data=b'{"amount": ' + number + b"}", content_type="application/json")
    assert _refused(response)


def test_ordinary_json_passes(client):
    nested = b'{"a":' * (MAX_JSON_DEPTH - 1) + b"1" + b"}" * (MAX_JSON_DEPTH - 1)
    assert client.post("/things", data=nested, content_type="application/json").status_code == 200
    ok = client.post("/things", json={"amount": "12345678.90", "note": "=1+1 \t"})
    assert ok.status_code == 200 and ok.get_json()["keys"] == ["amount", "note"]
    assert client.post("/things", data=b"{not json", content_type="application/json").status_code == 400


@pytest.mark.parametrize("query", ["q=a%00b", "q=%1b[31m", "q%00=1", "q=%7f", "q=%C2%85"])
def test_control_characters_in_a_query_string_are_a_400(client, query):
    assert "control characters" in _refused(client.get(f"/things?{query}"), field=query.split("=")[0].replace(
        "%00", "?"))


@pytest.mark.parametrize(("query", "field"), [("q=%99", "q"), ("state=a&q=%E5%8D", "q"), ("%FF=1", "?")])
def test_a_query_string_that_is_not_utf8_is_a_400(client, query, field):
    """werkzeug would read `%99` as U+FFFD and search for that (the fuzzer's 200 for `q=%99`)."""
    assert "not UTF-8" in _refused(client.get(f"/things?{query}"), field=field)


def test_ordinary_queries_pass(client):
    response = client.get("/things?q=%E5%8D%8E%E4%B8%BA%20(%3D1)")
    assert response.status_code == 200 and response.get_json()["q"] == "华为 (=1)"


def test_free_text_query_parameters_are_documented_as_refusing_control_characters(client):
    document = client.get("/api/v1/things/openapi.json").get_json()
    parameters = {p["name"]: p["schema"] for p in document["paths"]["/things"]["get"]["parameters"]}
    assert parameters["q"]["pattern"] == QUERY_TEXT_PATTERN
    assert "pattern" not in parameters["state"]  # an enum bounds itself
