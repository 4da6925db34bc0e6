"""identity's HTTP bodies (marshmallow): what a client may send and what it gets back."""

import marshmallow as ma

from identity.domain.identifiers import IdentifierError, check_id_number, check_phone, check_uscc
from identity.domain.passwords import PasswordRejected, check_password
from platform_shared.events.catalogue.identity import ORGANISATION_KINDS
from platform_shared.regions import PROVINCES, province_of


class _Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE


def _checked(check):
    def validate(value: str) -> None:
        try:
            check(value)
        except IdentifierError as exc:
            raise ma.ValidationError(str(exc)) from None

    return validate


class LegalRepresentative(_Strict):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    id_number = ma.fields.String(required=True, validate=[ma.validate.Regexp(r"^\d{17}[\dXx]$"),
                                                          _checked(check_id_number)],
                                 metadata={"description": "居民身份证号码 (GB 11643-1999)"})


class Contact(_Strict):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    phone = ma.fields.String(required=True, validate=[ma.validate.Length(min=7, max=24), _checked(check_phone)])
    email = ma.fields.Email(required=True, validate=ma.validate.Length(max=254))


class NewAccount(_Strict):
    email = ma.fields.Email(required=True, validate=ma.validate.Length(max=254))
    password = ma.fields.String(required=True, load_only=True,
                                validate=ma.validate.Length(min=1, max=128))


class RegistrationSchema(_Strict):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    uscc = ma.fields.String(required=True, validate=[ma.validate.Length(equal=18), _checked(check_uscc)],
                            metadata={"description": "统一社会信用代码 (GB 32100-2015)"})
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(ORGANISATION_KINDS))
    province_code = ma.fields.String(
        required=True, validate=ma.validate.OneOf(sorted(PROVINCES), error="Unknown province-level "
                                                  "region code (GB/T 2260, or 660000 for 新疆生产建设兵团)."))
    city_code = ma.fields.String(load_default=None, allow_none=True,
                                 validate=ma.validate.Regexp(r"^\d{6}$", error="A 6-digit GB/T 2260 code."))
    address = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=300))
    legal_representative = ma.fields.Nested(LegalRepresentative, required=True)
    contact = ma.fields.Nested(Contact, required=True)
    account = ma.fields.Nested(NewAccount, required=True)

    @ma.validates_schema
    def _consistent(self, data: dict, **kwargs) -> None:
        city = data.get("city_code")
        if city and province_of(city) != data.get("province_code"):
            raise ma.ValidationError("The city is not in the given province.", "city_code")
        account = data.get("account") or {}
        try:
            check_password(account.get("password", ""), account.get("email", ""))
        except PasswordRejected as exc:
            raise ma.ValidationError({"account": {"password": [str(exc)]}}) from None

    @ma.post_load
    def _normalise(self, data: dict, **kwargs) -> dict:
        data["uscc"] = check_uscc(data["uscc"])
        data["legal_representative"]["id_number"] = check_id_number(data["legal_representative"]["id_number"])
        return data


class RegisteredSchema(ma.Schema):
    id = ma.fields.String(required=True)
    status = ma.fields.String(required=True)


class CredentialsSchema(_Strict):
    email = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=254))
    password = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(min=1, max=128))


class PasswordSetupSchema(_Strict):
    token = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(min=1, max=200))
    password = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(min=1, max=128))


class RefreshSchema(_Strict):
    refresh_token = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(min=1, max=200))


class TokenPairSchema(ma.Schema):
    access_token = ma.fields.String(required=True)
    refresh_token = ma.fields.String(required=True)
    token_type = ma.fields.String(required=True)
    expires_in = ma.fields.Integer(required=True)


class MeSchema(ma.Schema):
    id = ma.fields.String(required=True)
    email = ma.fields.String(required=True)
    role = ma.fields.String(required=True)
    organisation_id = ma.fields.String(allow_none=True)
    province_code = ma.fields.String(allow_none=True)


class JwksSchema(ma.Schema):
    keys = ma.fields.List(ma.fields.Dict(), required=True)
