"""The strict arguments of every service's blueprint (platform_shared.web.blueprint), in the query."""

from __future__ import annotations

import marshmallow as ma
import pytest

from platform_shared.web.app import create_service_app
from platform_shared.web.blueprint import ServiceBlueprint

pytestmark = pytest.mark.unit


class FilterQuery(ma.Schema):
    province = ma.fields.String(load_default=None)
    kinds = ma.fields.List(ma.fields.String(), load_default=list)


@pytest.fixture
def client():
    blp = ServiceBlueprint("strict", __name__, url_prefix="/api/v1/unit")

    @blp.route("/figures", methods=["GET"])
    @blp.arguments(FilterQuery, location="query")
    def figures(query):
        return query

    return create_service_app("unit", title="Unit service", blueprints=[blp]).test_client()


def test_a_misspelt_filter_is_refused_instead_of_ignored(client):
    response = client.get("/api/v1/unit/figures?provinse=440000")
    assert response.status_code == 422 and "provinse" in response.get_json()["errors"]


def test_a_single_valued_filter_given_twice_is_refused_instead_of_taking_the_first(client):
    response = client.get("/api/v1/unit/figures?province=440000&province=110000")
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"province": ["Give this parameter once."]}


def test_a_list_filter_takes_every_value(client):
    response = client.get("/api/v1/unit/figures?province=440000&kinds=a&kinds=b")
    assert response.status_code == 200
    assert response.get_json() == {"province": "440000", "kinds": ["a", "b"]}
