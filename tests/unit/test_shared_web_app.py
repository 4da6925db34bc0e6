"""What every service app gets from create_service_app (platform_shared.web.app)."""

from __future__ import annotations

import json
import uuid

import marshmallow as ma
import pytest
from flask import request
from flask_smorest import Blueprint

from platform_shared.web.app import accepts, create_service_app
from platform_shared.web.problems import Problem

pytestmark = pytest.mark.unit

PROBLEM = "application/problem+json"
SECRET = "password=hunter2 at db.internal"


class ContactIn(ma.Schema):
    name = ma.fields.String(required=True)
    email = ma.fields.Email(required=True)


class EconomicIn(ma.Schema):
    year = ma.fields.Integer(required=True, strict=True)
    sales_revenue = ma.fields.Decimal(as_string=True, required=True)


class ProductIn(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=20))
    contact = ma.fields.Nested(ContactIn, required=True)
    economic_data = ma.fields.List(ma.fields.Nested(EconomicIn), load_default=list)


class PageIn(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1))


def _app(readiness=None, max_body_bytes: int = 2048):
    blp = Blueprint("products", __name__, url_prefix="/api/v1/unit")

    @blp.route("/products", methods=["POST"])
    @blp.arguments(ProductIn)
    @blp.response(201, ProductIn)
    def create(data):
        return data

    @blp.route("/products", methods=["GET"])
    @blp.arguments(PageIn, location="query")
    def list_products(args):
        return {"page": args["page"], "items": [], "total": 0}

    @blp.route("/boom", methods=["GET"])
    def boom():
        raise RuntimeError(SECRET)

    @blp.route("/conflict", methods=["POST"])
    def conflict():
        raise Problem(409, "This product is already filed.", slug="duplicate-product")

    @blp.route("/uploads", methods=["POST"])
    @accepts("text/csv", max_bytes=64)
    def upload():
        return {"bytes": len(request.get_data())}, 201

    return create_service_app("unit", title="Unit service", blueprints=[blp],
                              readiness=readiness, max_body_bytes=max_body_bytes)


@pytest.fixture
def client():
    return _app().test_client()


def _product(**overrides) -> dict:
    body = {"name": "智能手机", "contact": {"name": "张三", "email": "zhang@example.cn"},
            "economic_data": [{"year": 2023, "sales_revenue": "12345678.90"}]}
    body.update(overrides)
    return body


def _is_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response.mimetype == PROBLEM
    body = response.get_json(force=True)
    assert body["status"] == status
    assert body["type"].startswith("https://")
    assert body["title"]
    return body


def test_a_valid_request_is_handled_and_chinese_text_returned_as_is(client):
    response = client.post("/api/v1/unit/products", json=_product())

    assert response.status_code == 201
    assert response.json["name"] == "智能手机"
    assert "智能手机" in response.get_data(as_text=True)
    assert response.json["economic_data"][0]["sales_revenue"] == "12345678.90"


def test_a_supplied_request_id_is_echoed(client):
    response = client.get("/healthz", headers={"X-Request-ID": "req-abc.123:x"})

    assert response.headers["X-Request-ID"] == "req-abc.123:x"


def test_a_request_id_is_generated_when_absent(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]

    uuid.UUID(first)
    assert first != second


@pytest.mark.parametrize("bad", ["has spaces in it", "x" * 129, "<script>", "a;b"])
def test_an_invalid_request_id_is_replaced_by_a_generated_one(client, bad):
    echoed = client.get("/healthz", headers={"X-Request-ID": bad}).headers["X-Request-ID"]

    assert echoed != bad
    uuid.UUID(echoed)


def test_a_problem_carries_the_request_id(client):
    response = client.get("/api/v1/unit/nothing-here", headers={"X-Request-ID": "req-404"})

    assert _is_problem(response, 404)["request_id"] == "req-404"


def test_a_text_plain_body_gets_415(client):
    response = client.post("/api/v1/unit/products", data=json.dumps(_product()),
                           headers={"Content-Type": "text/plain"})

    body = _is_problem(response, 415)
    assert "application/json" in body["detail"]


def test_a_view_that_accepts_another_media_type_takes_it_and_refuses_json(client):
    assert client.post("/api/v1/unit/uploads", data="a,b\n1,2\n",
                       headers={"Content-Type": "text/csv"}).status_code == 201
    _is_problem(client.post("/api/v1/unit/uploads", json={"a": 1}), 415)


def test_a_view_with_its_own_body_limit_refuses_more(client):
    response = client.post("/api/v1/unit/uploads", data="x" * 65, headers={"Content-Type": "text/csv"})

    assert "64 bytes" in _is_problem(response, 413)["detail"]


def test_a_body_over_the_limit_gets_413_before_the_view_reads_it(client):
    big = _product(name="x" * 3000)

    response = client.post("/api/v1/unit/products", json=big)

    body = _is_problem(response, 413)
    assert "2048 bytes" in body["detail"]


def test_invalid_fields_get_422_with_dotted_field_paths(client):
    body = _product(contact={"name": "张三", "email": "not-an-email"},
                    economic_data=[{"year": 2023, "sales_revenue": "1.00"}, {"year": "2022"}])

    response = client.post("/api/v1/unit/products", json=body)

    problem = _is_problem(response, 422)
    errors = problem["errors"]
    assert set(errors) == {"contact.email", "economic_data.1.year", "economic_data.1.sales_revenue"}
    assert all(isinstance(m, str) for texts in errors.values() for m in texts)
    assert "json" not in errors
    assert "contact.email" in problem["detail"]


def test_a_missing_required_field_is_named_in_errors(client):
    body = _product()
    del body["contact"]

    assert set(_is_problem(client.post("/api/v1/unit/products", json=body), 422)["errors"]) == {"contact"}


def test_invalid_query_arguments_get_422_without_the_location_key(client):
    response = client.get("/api/v1/unit/products?page=0")

    assert set(_is_problem(response, 422)["errors"]) == {"page"}


def test_a_body_that_is_not_json_gets_a_4xx_problem_not_a_500(client):
    response = client.post("/api/v1/unit/products", data="{not json", headers={"Content-Type": "application/json"})

    assert 400 <= response.status_code < 500
    assert response.mimetype == PROBLEM


def test_an_unknown_route_gets_a_404_problem(client):
    _is_problem(client.get("/api/v1/unit/unknown"), 404)


def test_a_wrong_method_gets_a_405_problem(client):
    _is_problem(client.delete("/api/v1/unit/products"), 405)


def test_a_problem_raised_by_a_view_keeps_its_status_and_kind(client):
    body = _is_problem(client.post("/api/v1/unit/conflict"), 409)

    assert body["type"].endswith("/duplicate-product")
    assert body["detail"] == "This product is already filed."


def test_an_exception_in_a_view_gives_a_500_problem_without_its_text(client):
    response = client.get("/api/v1/unit/boom")

    body = _is_problem(response, 500)
    assert SECRET not in response.get_data(as_text=True)
    assert "hunter2" not in json.dumps(body)


def test_healthz_answers_200(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_answers_200_when_every_check_passes():
    client = _app(readiness={"database": lambda: True, "broker": lambda: True}).test_client()

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json["checks"] == {"database": True, "broker": True}


def test_readyz_answers_503_naming_the_failing_check():
    client = _app(readiness={"database": lambda: True, "broker": lambda: False}).test_client()

    body = _is_problem(client.get("/readyz"), 503)

    assert "broker" in body["detail"]
    assert "database" not in body["detail"]


def test_metrics_count_the_requests_served(client):
    client.get("/healthz")

    response = client.get("/metrics")

    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "http_requests_total" in text
    assert 'service="unit"' in text
    assert 'endpoint="/healthz"' in text


def test_the_openapi_document_is_served_under_the_service_prefix(client):
    response = client.get("/api/v1/unit/openapi.json")

    assert response.status_code == 200
    assert "/api/v1/unit/products" in response.json["paths"]


def test_responses_are_marked_not_to_be_cached_or_sniffed(client):
    response = client.get("/healthz")

    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("hops", "seen"), [(0, "10.0.0.9"), (1, "203.0.113.7")])
def test_the_caller_address_is_taken_through_trusted_proxies_only(hops, seen):
    from flask import request as current_request

    from platform_shared.web.app import create_service_app

    app = create_service_app("hops", title="hops", trusted_proxy_hops=hops)
    app.add_url_rule("/whoami", "whoami", lambda: {"address": current_request.remote_addr})
    response = app.test_client().get("/whoami", headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.7"},
                                     environ_overrides={"REMOTE_ADDR": "10.0.0.9"})
    assert response.get_json()["address"] == seen


@pytest.mark.parametrize(("text", "blank"), [("  ", True), ("\t\n\u3000", True), ("", True), (" 理由", False),
                                              ("\f\u0085", False), ("\x1c", False), ("a", False)])
def test_not_blank_means_what_the_openapi_pattern_says(text, blank):
    import re

    import marshmallow as ma

    from platform_shared.web.fields import NOT_BLANK

    # The document's pattern is searched (ECMA-262 has no \x1c-\x1f or \x85 in \s); the same class
    # written out reads alike in Python, so the validator refuses exactly what the pattern refuses.
    assert (re.search(NOT_BLANK.regex.pattern, text) is None) == blank
    if blank:
        with pytest.raises(ma.ValidationError):
            NOT_BLANK(text)
    else:
        assert NOT_BLANK(text) == text
