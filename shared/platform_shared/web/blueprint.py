"""The blueprint every service's API is built from: flask-smorest's, with strict arguments.

Unknown fields are refused in every location (body, query, form), not silently dropped: a
misspelt filter (`?provinse=440000`) must not quietly return national figures.

A `multipart/form-data` body (fields and files of one HTML form) is read by ONE schema in
the `form` location, its file fields declared with `flask_smorest.fields.Upload`:

    @blp.arguments(UploadSchema, location="form", content_type="multipart/form-data")

flask-smorest documents a single request body per operation, so the fields and the files
must share a schema for the OpenAPI document to show the whole form.
"""

from __future__ import annotations

import http
from collections.abc import Callable
from typing import Any, TypeVar

import marshmallow as ma
from flask import Request
from flask_smorest import Blueprint
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict

F = TypeVar("F", bound=Callable[..., Any])


class StrictParser(FlaskParser):
    # None: every location follows the schema's own `unknown`, marshmallow's default RAISE.
    DEFAULT_UNKNOWN_BY_LOCATION = dict.fromkeys(FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION)

    def load_querystring(self, req: Request, schema: ma.Schema) -> Any:
        """The query string; a parameter given twice is refused unless its field takes a list
        (`?action=a&action=b` must not quietly mean `action=a`)."""
        proxy = super().load_querystring(req, schema)
        repeated = sorted(key for key in req.args if key not in proxy.multiple_keys and len(req.args.getlist(key)) > 1)
        if repeated:
            raise ma.ValidationError({key: ["Give this parameter once."] for key in repeated})
        return proxy

    def load_form(self, req: Request, schema: ma.Schema) -> Any:
        """The form's fields and, of a multipart body, its files too."""
        if not req.files:
            return super().load_form(req, schema)
        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)


class ServiceBlueprint(Blueprint):
    ARGUMENTS_PARSER = StrictParser()

    def problems(self, *statuses: int) -> Callable[[F], F]:
        """Document the problem responses a view may answer with (e.g. 401, 403, 404, 409)."""

        def decorate(view: F) -> F:
            for status in statuses:
                view = self.alt_response(status, response=http.HTTPStatus(status).name)(view)
            return view

        return decorate
