"""The one map from domain errors to problem responses (platform_shared.errors → web.problems).

Handlers raise domain errors; every service's app answers them the same way. The problem
`type` URIs are what clients rely on: a slug given by the handler, or the status's own.
"""

from __future__ import annotations

import pytest
from flask import Flask

from platform_shared import errors
from platform_shared.uploads import TooLarge, UnsupportedMediaType
from platform_shared.web.app import create_service_app
from platform_shared.web.problems import PROBLEM_BASE, PROBLEM_STATUS

pytestmark = pytest.mark.unit


def app_raising(error: Exception) -> Flask:
    app = create_service_app("unit", title="unit")

    @app.get("/api/v1/unit/boom")
    def boom() -> None:
        raise error

    return app


@pytest.mark.parametrize(("error", "status", "type_"), [
    (errors.InvalidInput("Not a number."), 400, "bad-request"),
    (errors.Unauthenticated("Sign in.", slug="unauthenticated"), 401, "unauthenticated"),
    (errors.Forbidden("Not yours.", slug="forbidden"), 403, "forbidden"),
    (errors.NotFound("No such product.", slug="product-not-found"), 404, "product-not-found"),
    (errors.Conflict("Only a draft can change.", slug="product-not-editable"), 409, "product-not-editable"),
    (errors.Conflict("Busy."), 409, "conflict"),
    (errors.Gone("This link is no longer valid.", slug="password-setup-gone"), 410, "password-setup-gone"),
    (errors.TooLarge("Too large."), 413, "request-entity-too-large"),
    (errors.UnsupportedMedia("Not a PDF."), 415, "unsupported-media-type"),
    (errors.RuleBroken({"patents": ["no valid patent"]}, slug="submission-rule-broken"), 422,
     "submission-rule-broken"),
    (errors.TooManyRequests("Slow down.", slug="too-many-sign-ins", retry_after=30), 429, "too-many-sign-ins"),
    (errors.Unavailable("The registry is away.", slug="patent-registry-unavailable", retry_after=30), 503,
     "patent-registry-unavailable"),
    (TooLarge("The file is larger than 10 bytes."), 413, "file-too-large"),
    (UnsupportedMediaType("The file is not a PDF file."), 415, "unsupported-file-type"),
])
def test_each_domain_error_is_answered_with_its_status_and_problem_type(error, status, type_):
    response = app_raising(error).test_client().get("/api/v1/unit/boom")

    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert (body["status"], body["type"], body["detail"]) == (status, PROBLEM_BASE + type_, error.detail)


def test_every_domain_error_class_has_a_status():
    kinds = {kind for kind in vars(errors).values()
             if isinstance(kind, type) and issubclass(kind, errors.DomainError) and kind is not errors.DomainError}
    assert kinds == set(PROBLEM_STATUS)


def test_field_errors_and_the_caller_s_existing_resource_travel_in_the_problem():
    error = errors.Conflict("You filed this model already.", slug="product-exists",
                            errors={"model": ["already filed"]}, existing="/api/v1/filing/products/p-1")
    body = app_raising(error).test_client().get("/api/v1/unit/boom").get_json()

    assert body["errors"] == {"model": ["already filed"]}
    assert body["existing"] == "/api/v1/filing/products/p-1"


def test_a_rule_broken_names_each_field_and_says_them_all_in_its_detail():
    error = errors.RuleBroken({"patents.0.number": ["not valid"], "economic_data": ["give 2025"]})
    body = app_raising(error).test_client().get("/api/v1/unit/boom").get_json()

    assert body["errors"] == {"patents.0.number": ["not valid"], "economic_data": ["give 2025"]}
    assert body["detail"] == "not valid give 2025"


def test_a_401_names_how_to_authenticate_and_a_429_or_503_when_to_come_back():
    unauthenticated = app_raising(errors.Unauthenticated("Sign in.")).test_client().get("/api/v1/unit/boom")
    assert unauthenticated.headers["WWW-Authenticate"].startswith("Bearer")

    for error in (errors.TooManyRequests("Slow down.", retry_after=42), errors.Unavailable("Away.", retry_after=42)):
        response = app_raising(error).test_client().get("/api/v1/unit/boom")
        assert response.headers["Retry-After"] == "42"


def test_an_upload_refusal_names_the_form_field_that_carried_the_file():
    refused = UnsupportedMediaType("The file is not a PDF file.").under("form")
    body = app_raising(refused).test_client().get("/api/v1/unit/boom").get_json()

    assert body["errors"] == {"form": ["The file is not a PDF file."]}
    assert body["type"] == PROBLEM_BASE + "unsupported-file-type"
