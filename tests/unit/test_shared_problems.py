"""Flattening marshmallow's messages into dotted field paths (platform_shared.web.problems)."""

from __future__ import annotations

import marshmallow as ma
import pytest

from platform_shared.web.problems import field_errors

pytestmark = pytest.mark.unit


def test_nested_messages_become_dotted_paths():
    messages = {"contact": {"email": ["Not a valid email address."]},
                "economic_data": {0: {"year": ["Missing data for required field."]}}}

    assert field_errors(messages) == {
        "contact.email": ["Not a valid email address."],
        "economic_data.0.year": ["Missing data for required field."],
    }


@pytest.mark.parametrize("location", ["json", "query", "form", "files", "headers", "path_view_args"])
def test_the_location_key_of_webargs_is_stripped(location):
    messages = {location: {"contact": {"phone": ["Bad phone."]}, "name": ["Too long."]}}

    assert field_errors(messages) == {"contact.phone": ["Bad phone."], "name": ["Too long."]}


def test_a_field_named_like_a_location_below_the_top_is_kept():
    assert field_errors({"json": {"meta": {"query": ["Bad."]}}}) == {"meta.query": ["Bad."]}


def test_a_field_named_like_a_location_right_below_its_location_is_kept():
    # A multipart form whose file field is called `form`, read in the `form` location.
    assert field_errors({"form": {"form": ["Missing data for required field."]}}) == {
        "form": ["Missing data for required field."]}


def test_messages_of_a_real_marshmallow_schema_are_flattened():
    class Contact(ma.Schema):
        email = ma.fields.Email(required=True)
        phone = ma.fields.String(required=True)

    class Economic(ma.Schema):
        year = ma.fields.Integer(required=True)

    class Product(ma.Schema):
        name = ma.fields.String(required=True)
        contact = ma.fields.Nested(Contact, required=True)
        economic_data = ma.fields.List(ma.fields.Nested(Economic))

    with pytest.raises(ma.ValidationError) as caught:
        Product().load({"contact": {"email": "x", "phone": "1"},
                        "economic_data": [{"year": 2023}, {"year": "soon"}], "extra": 1})

    flat = field_errors({"json": caught.value.messages})
    assert set(flat) == {"name", "contact.email", "economic_data.1.year", "extra"}
    assert all(isinstance(m, str) for texts in flat.values() for m in texts)


def test_schema_level_messages_land_under_body():
    assert field_errors({"json": {"_schema": ["Dates overlap."]}}) == {"_schema": ["Dates overlap."]}
    assert field_errors(["Invalid input."]) == {"_body": ["Invalid input."]}
    assert field_errors("Broken.") == {"_body": ["Broken."]}


def test_a_list_mixing_texts_and_nested_messages_keeps_both():
    messages = {"patents": ["Give at least one.", {0: {"number": ["Bad check digit."]}}]}

    assert field_errors(messages) == {"patents": ["Give at least one."],
                                      "patents.0.number": ["Bad check digit."]}


def test_messages_of_the_same_path_from_two_locations_are_merged():
    messages = {"json": {"name": ["Too long."]}, "query": {"name": ["Required."]}}

    assert field_errors(messages) == {"name": ["Too long.", "Required."]}
