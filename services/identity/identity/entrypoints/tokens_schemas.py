"""HTTP bodies of signing in and of the signed-in account (marshmallow)."""

import marshmallow as ma


class _Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class CredentialsSchema(_Strict):
    email = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=254))
    password = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(min=1, max=128))


class PasswordSetupSchema(_Strict):
    token = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(min=1, max=200))
    password = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(min=1, max=128))


class PasswordResetSchema(_Strict):
    email = ma.fields.Email(required=True, validate=ma.validate.Length(max=254))


class PasswordResetAnswerSchema(ma.Schema):
    status = ma.fields.String(required=True, metadata={
        "description": "`mailed-if-known`: the same answer whether or not the address has an account"})


class PasswordChangeSchema(_Strict):
    current_password = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(min=1, max=128))
    new_password = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(min=1, max=128))


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
