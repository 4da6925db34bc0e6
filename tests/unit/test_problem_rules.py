"""Which rule each refused field broke, named from the schema and the value (never from marshmallow's
English), and the domain's own rules: what a client words in its reader's language."""

from __future__ import annotations

import marshmallow as ma
import pytest

from platform_shared.errors import Rule, RuleBroken, rule_of
from platform_shared.web.field_rules import schema_rules
from platform_shared.web.fields import NOT_BLANK

pytestmark = pytest.mark.unit


class Person(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=20))
    email = ma.fields.Email(required=True)
    phone = ma.fields.String(load_default=None, validate=ma.validate.Length(min=7, max=24))
    note = ma.fields.String(load_default=None, validate=NOT_BLANK)


class Body(ma.Schema):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(["a", "b"]))
    year = ma.fields.Integer(required=True, validate=ma.validate.Range(min=2000, max=2100))
    code = ma.fields.String(required=True, validate=ma.validate.Length(equal=18))
    person = ma.fields.Nested(Person, required=True)
    people = ma.fields.List(ma.fields.Nested(Person), load_default=list)
    tags = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf(["x"])), load_default=list,
                          validate=ma.validate.Length(min=1))


def rules_of(data: dict) -> dict:
    schema = Body()
    with pytest.raises(ma.ValidationError) as refused:
        schema.load(data)
    return schema_rules(refused.value.messages, schema, data)


def test_each_refused_field_names_the_rule_it_broke_with_its_values():
    rules = rules_of({"kind": "c", "year": "soon", "code": "123", "unexpected": 1,
                      "person": {"name": "x" * 21, "email": "not-an-address", "phone": "12", "note": "  "},
                      "people": [{"name": "", "email": "a@b.cn"}, {"email": 5}], "tags": ["y"]})
    assert rules["kind"] == [{"rule": "one_of"}]
    assert rules["year"] == [{"rule": "type", "type": "integer"}]
    assert rules["code"] == [{"rule": "length", "equal": 18}]
    assert rules["unexpected"] == [{"rule": "unknown"}]
    assert rules["person.name"] == [{"rule": "length", "min": 1, "max": 20}]
    assert rules["person.email"] == [{"rule": "email"}]
    assert rules["person.phone"] == [{"rule": "length", "min": 7, "max": 24}]
    assert rules["person.note"] == [{"rule": "required"}]  # blank is empty to a person
    assert rules["people.0.name"] == [{"rule": "required"}]
    assert rules["people.1.name"] == [{"rule": "required"}]
    assert rules["people.1.email"] == [{"rule": "type", "type": "email"}]
    assert rules["tags.0"] == [{"rule": "one_of"}]


def test_missing_and_out_of_range_values():
    rules = rules_of({"year": 1999, "tags": []})
    assert rules["kind"] == rules["code"] == rules["person"] == [{"rule": "required"}]
    assert rules["year"] == [{"rule": "range", "min": 2000, "max": 2100}]
    assert rules["tags"] == [{"rule": "required"}]  # an empty list where one is needed


def test_a_schema_check_that_raises_a_rule_names_it():
    class Account(ma.Schema):
        password = ma.fields.String(required=True)

        @ma.validates_schema
        def strong(self, data: dict, **kwargs: object) -> None:
            raise ma.ValidationError({"password": [Rule("Use at least 10 characters.", "password.too_short", min=10)]})

    schema = Account()
    data = {"password": "short"}
    with pytest.raises(ma.ValidationError) as refused:
        schema.load(data)
    assert schema_rules(refused.value.messages, schema, data) == {
        "password": [{"rule": "password.too_short", "min": 10}]}


def test_a_domain_rule_stays_the_text_api_clients_read_and_names_itself():
    message = Rule("Give the economic data of 2025, the last full year.", "economic_data.last_year_missing", year=2025)
    error = RuleBroken({"economic_data": [message, "a plain message"]})
    assert error.errors == {"economic_data": [message, "a plain message"]}
    assert str(message) == "Give the economic data of 2025, the last full year."
    assert rule_of(error.errors["economic_data"][0]) == {"rule": "economic_data.last_year_missing", "year": 2025}
    assert rule_of(error.errors["economic_data"][1]) is None


def test_a_rule_of_a_whole_list_beside_its_items():
    class Patent(ma.Schema):
        number = ma.fields.String(required=True)

    class Product(ma.Schema):
        patents = ma.fields.List(ma.fields.Nested(Patent))

        @ma.validates("patents")
        def once(self, value: list, **kwargs: object) -> None:
            raise ma.ValidationError("each patent once")

    schema = Product()
    data = {"patents": [{"number": 5}, 0, None]}
    with pytest.raises(ma.ValidationError) as refused:
        schema.load(data)
    rules = schema_rules(refused.value.messages, schema, data)
    assert rules["patents.0.number"] == [{"rule": "type", "type": "string"}]
    assert rules["patents.1._schema"] == [{"rule": "type", "type": "object"}]
    assert rules["patents.2"] == [{"rule": "required"}]
    assert rules["patents._schema"] == [{"rule": "invalid"}]
