"""Which rule of a schema each refused field broke, for a problem's `rules`.

marshmallow says why in English sentences; a client that speaks to people in their language
needs the rule itself: `required`, `length` with its bounds, `type` with the kind expected… So
when a request is refused, each refused field's value is checked again, rule by rule, against
the field that refused it (its presence, its type, then each validator): what fails is the
rule, named from the validator's class and values, never from its message.

    {"account.email": [{"rule": "required"}], "name": [{"rule": "length", "min": 1, "max": 200}]}

A validator may name its own rule with a `rule` attribute (`NOT_BLANK` is `required`: blank is
empty to a person); a function validator without one is `format`; a message that is a `Rule`
(raised by a schema's own check, e.g. the password policy) names itself. Text left blank (a list
left empty) where a length is required is `required`: that is what a person did.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import marshmallow as ma
from flask_smorest.fields import Upload

from platform_shared.errors import Rule

Described = dict[str, str | int]
MISSING = ma.missing

_KINDS: tuple[tuple[type[ma.fields.Field[Any]], str], ...] = (
    (ma.fields.Boolean, "boolean"), (ma.fields.Integer, "integer"), (ma.fields.Number, "number"),
    (ma.fields.DateTime, "date-time"), (ma.fields.Date, "date"), (ma.fields.UUID, "uuid"),
    (ma.fields.Email, "email"), (ma.fields.Url, "url"), (ma.fields.String, "string"),
    (ma.fields.List, "array"), (ma.fields.Tuple, "array"), (ma.fields.Nested, "object"),
    (ma.fields.Dict, "object"), (Upload, "file"),
)


def kind_of(field: ma.fields.Field[Any]) -> str:
    for field_class, kind in _KINDS:
        if isinstance(field, field_class):
            return kind
    return "value"


def _plain(value: object) -> str | int:
    if isinstance(value, bool):
        return str(value).lower()
    return value if isinstance(value, int) else str(value)


def validator_rule(validator: Any) -> Described:
    """The rule a validator stands for, with the values a person needs (bounds, not choices)."""
    named = getattr(validator, "rule", None)
    if isinstance(named, str):
        return {"rule": named}
    if isinstance(validator, ma.validate.Length):
        bounds = {"min": validator.min, "max": validator.max, "equal": validator.equal}
        return {"rule": "length", **{k: _plain(v) for k, v in bounds.items() if v is not None}}
    if isinstance(validator, ma.validate.Range):
        bounds = {"min": validator.min, "max": validator.max}
        return {"rule": "range", **{k: _plain(v) for k, v in bounds.items() if v is not None}}
    if isinstance(validator, ma.validate.OneOf):
        return {"rule": "one_of"}
    if isinstance(validator, ma.validate.Email):
        return {"rule": "email"}
    if isinstance(validator, ma.validate.URL):
        return {"rule": "url"}
    if isinstance(validator, ma.validate.Regexp):
        return {"rule": "pattern"}
    return {"rule": "format"}


def value_rules(field: ma.fields.Field[Any], value: Any) -> list[Described]:
    """The rules `value` breaks as `field`'s value (`MISSING` when it was not given)."""
    if value is MISSING:
        return [{"rule": "required"}] if field.required else [{"rule": "invalid"}]
    if value is None:
        return [{"rule": "required"}] if not field.allow_none else [{"rule": "invalid"}]
    try:
        loaded = field._deserialize(value, None, None)
    except (ma.ValidationError, TypeError, ValueError, AttributeError):
        return [{"rule": "type", "type": kind_of(field)}]
    empty = (isinstance(loaded, str) and not loaded.strip()) or (isinstance(loaded, (list, tuple)) and not loaded)
    if empty and any(_refuses(validator, loaded) for validator in field.validators):
        return [{"rule": "required"}]
    broken = []
    for validator in field.validators:
        try:
            validator(loaded)
        except ma.ValidationError:
            broken.append(validator_rule(validator))
        except (TypeError, ValueError):
            broken.append({"rule": "type", "type": kind_of(field)})
    return broken or [{"rule": "invalid"}]


def _refuses(validator: Any, value: object) -> bool:
    try:
        validator(value)
    except (ma.ValidationError, TypeError, ValueError):
        return True
    return False


def _fields_by_key(schema: ma.Schema) -> dict[str, ma.fields.Field[Any]]:
    return {field.data_key or name: field for name, field in schema.fields.items() if not field.dump_only}


def _item(data: Any, key: str | int) -> Any:
    if isinstance(data, Mapping):
        if hasattr(data, "getlist") and not isinstance(data, dict):
            items = data.getlist(key)
            return items[0] if len(items) == 1 else (items or MISSING)
        return data.get(key, MISSING)
    if isinstance(data, (list, tuple)) and str(key).isdigit():
        index = int(key)
        return data[index] if index < len(data) else MISSING
    return MISSING


def schema_rules(messages: Mapping[Any, Any], schema: ma.Schema | None, data: Any,
                 prefix: str = "") -> dict[str, list[Described]]:
    """The rules per dotted path, walking marshmallow's nested `messages` with the schema and data."""
    found: dict[str, list[Described]] = {}
    fields = _fields_by_key(schema) if schema is not None else {}
    for key, messages_of in messages.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if key == "_schema":  # a rule of the whole object (`validates_schema`), or no object at all
            found[path] = [{"rule": "invalid"}] if isinstance(data, Mapping) or data is MISSING \
                else [{"rule": "type", "type": "object"}]
            continue
        field = fields.get(str(key))
        if field is None:
            found[path] = [{"rule": "unknown"}]
            continue
        found.update(_field_rules(messages_of, field, _item(data, str(key)), path))
    return found


def _field_rules(messages: Any, field: ma.fields.Field[Any], value: Any, path: str) -> dict[str, list[Described]]:
    if not isinstance(messages, Mapping):
        texts = messages if isinstance(messages, (list, tuple)) else [messages]
        named = [m.described() for m in texts if isinstance(m, Rule)]
        if named and len(named) == len(texts):
            return {path: named}
        return {path: named + value_rules(field, value)}
    if isinstance(field, ma.fields.Nested) and isinstance(field.schema, ma.Schema):
        schema = field.schema
        if not field.many:
            return schema_rules(messages, schema, value, path)
        return _items_rules(messages, value, path, lambda item_messages, item, item_path: (
            schema_rules(item_messages, schema, item, item_path) if isinstance(item_messages, Mapping)
            else {item_path: [{"rule": "type", "type": "object"}]}))
    if isinstance(field, ma.fields.List):
        inner = field.inner
        return _items_rules(messages, value, path, lambda item_messages, item, item_path: (
            schema_rules(item_messages, inner.schema, item, item_path)
            if isinstance(inner, ma.fields.Nested) and isinstance(item_messages, Mapping)
            else _field_rules(item_messages, inner, item, item_path)))
    return {f"{path}.{key}": [{"rule": "invalid"}] for key in messages}


def _items_rules(messages: Mapping[Any, Any], value: Any, path: str,
                 item_rules: Callable[[Any, Any, str], dict[str, list[Described]]]) -> dict[str, list[Described]]:
    """The rules of a list's refused items (`item_rules` of each item's messages, value and path);
    a key that is no index is a rule of the whole list (`_schema`: each patent once)."""
    found: dict[str, list[Described]] = {}
    for index, item_messages in messages.items():
        if not str(index).isdigit():
            found[f"{path}.{index}"] = [{"rule": "invalid"}]
            continue
        item = _item(value, index) if isinstance(value, (list, tuple)) else MISSING
        found.update(item_rules(item_messages, item, f"{path}.{index}"))
    return found
