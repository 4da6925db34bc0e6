"""Field types that several event contracts use."""

import marshmallow as ma

from platform_shared.regions import PROVINCES


def province_code(**kwargs) -> ma.fields.String:
    return ma.fields.String(validate=ma.validate.OneOf(sorted(PROVINCES)), **kwargs)


class Contact(ma.Schema):
    name = ma.fields.String(required=True)
    phone = ma.fields.String(required=True)
    email = ma.fields.Email(required=True)
