"""The bare baseline of `bench/api.py`: the least a service could do for one create request.

Flask, a marshmallow schema validating the body, one pooled peewee connection per thread
inserting a row into PostgreSQL in a transaction, and the JSON answer: no token, no audit, no
outbox. `bench/api.py` serves it with the same gunicorn settings as a platform service
(`gunicorn -k gthread -w 1 --threads 4 'bench.baseline_app:create_app()'`), DATABASE_URL from
the environment.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

import marshmallow as ma
import peewee
from flask import Flask, jsonify, request
from playhouse.pool import PooledPostgresqlDatabase


class ItemIn(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    model = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    industry_code = ma.fields.String(required=True, validate=ma.validate.Length(equal=2))
    variants = ma.fields.List(ma.fields.String(validate=ma.validate.Length(max=100)), load_default=list)


def create_app() -> Flask:
    url = os.environ["DATABASE_URL"].removeprefix("postgresql://")
    credentials, _, location = url.rpartition("@")
    host_port, _, name = location.partition("/")
    host, _, port = host_port.partition(":")
    database = PooledPostgresqlDatabase(name, user=credentials or None, host=host, port=int(port or 5432),
                                        max_connections=8, stale_timeout=300)

    class Item(peewee.Model):
        id = peewee.CharField(primary_key=True, max_length=36)
        name = peewee.CharField(max_length=200)
        model = peewee.CharField(max_length=100)
        industry_code = peewee.CharField(max_length=2)

        class Meta:
            table_name = "baseline_item"

    Item._meta.database = database  # type: ignore[attr-defined]
    with database.connection_context():
        database.create_tables([Item], safe=True)
    schema = ItemIn()
    app = Flask("baseline")

    @app.post("/items")
    def create() -> Any:
        try:
            body = schema.load(request.get_json(force=True))
        except ma.ValidationError as exc:
            return jsonify(errors=exc.messages), 422
        item_id = str(uuid.uuid4())
        with database.connection_context(), database.atomic():
            Item.insert(id=item_id, name=body["name"], model=body["model"],
                        industry_code=body["industry_code"]).execute()
        return jsonify(id=item_id, **body), 201

    return app
