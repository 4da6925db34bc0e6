"""Field types that several event contracts use."""

from typing import Any

import marshmallow as ma

from platform_shared.regions import PROVINCES


def province_code(**kwargs: Any) -> ma.fields.String:
    return ma.fields.String(validate=ma.validate.OneOf(sorted(PROVINCES)), **kwargs)


class Contact(ma.Schema):
    name = ma.fields.String(required=True)
    phone = ma.fields.String(required=True)
    email = ma.fields.Email(required=True)


MONEY_PATTERN = r"^(0|[1-9]\d{0,15})(\.\d{1,2})?$"


def money(**kwargs: Any) -> ma.fields.String:
    """Yuan as a decimal string (`"12345678.90"`), never a float: non-negative, at most 2 decimals."""
    return ma.fields.String(validate=ma.validate.Regexp(MONEY_PATTERN, error="not an amount of yuan like 12345.67"),
                            **kwargs)


SIGNED_MONEY_PATTERN = r"^-?(0|[1-9]\d{0,15})(\.\d{1,2})?$"


def signed_money(**kwargs: Any) -> ma.fields.String:
    """Like `money`, but a loss may be negative (profit)."""
    return ma.fields.String(
        validate=ma.validate.Regexp(SIGNED_MONEY_PATTERN, error="not an amount of yuan like -12345.67"), **kwargs)
