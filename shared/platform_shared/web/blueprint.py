"""The blueprint every service's API is built from: flask-smorest's, with strict arguments.

Unknown fields are refused in every location (body, query, form), not silently dropped: a
misspelt filter (`?provinse=440000`) must not quietly return national figures.
"""

from __future__ import annotations

from flask_smorest import Blueprint
from webargs.flaskparser import FlaskParser


class StrictParser(FlaskParser):
    # None: every location follows the schema's own `unknown`, marshmallow's default RAISE.
    DEFAULT_UNKNOWN_BY_LOCATION = {location: None for location in FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION}


class ServiceBlueprint(Blueprint):
    ARGUMENTS_PARSER = StrictParser()
