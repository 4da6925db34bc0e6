"""HTTP bodies of an organisation (marshmallow): registering it with its first account, reading
and correcting it, asking for verification."""


from collections.abc import Callable
from typing import Any

import marshmallow as ma

from identity.domain.identifiers import IdentifierError, check_id_number, check_phone, check_uscc
from identity.domain.passwords import MAX_LENGTH, MIN_LENGTH, PasswordRejected, check_password
from platform_shared.errors import Rule
from platform_shared.events.catalogue.identity import ORGANISATION_KINDS
from platform_shared.regions import PROVINCES, province_of
from platform_shared.web.fields import UtcDateTime


class _Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE


def _checked(check: Callable[[str], str]) -> Callable[[str], None]:
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
                                validate=ma.validate.Length(min=MIN_LENGTH, max=MAX_LENGTH))


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
    def _consistent(self, data: dict[str, Any], **kwargs: Any) -> None:
        city = data.get("city_code")
        if city and province_of(city) != data.get("province_code"):
            raise ma.ValidationError(Rule("The city is not in the given province.", "city.outside_province"),
                                     "city_code")
        account = data.get("account") or {}
        try:
            check_password(account.get("password", ""), account.get("email", ""))
        except PasswordRejected as exc:
            raise ma.ValidationError({"account": {"password": [exc.reason]}}) from None

    @ma.post_load
    def _normalise(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        data["uscc"] = check_uscc(data["uscc"])
        data["legal_representative"]["id_number"] = check_id_number(data["legal_representative"]["id_number"])
        return data


class RegisteredSchema(ma.Schema):
    """The same whether or not the e-mail had an account (then `id` names nothing); the
    organisation is also the signed-in account's (`GET /me`)."""

    id = ma.fields.String(required=True)
    status = ma.fields.String(required=True, metadata={"enum": ["registered"]})


class LegalRepresentativeOut(ma.Schema):
    name = ma.fields.String(required=True)
    id_number = ma.fields.String(required=True, metadata={"description": "masked: 110105********002X"})


class IdNumberOut(ma.Schema):
    id_number = ma.fields.String(required=True, metadata={
        "description": "the legal representative's full resident ID number (each reveal is audited)"})


class OrganisationContactOut(ma.Schema):
    name = ma.fields.String(required=True)
    phone = ma.fields.String(required=True)
    email = ma.fields.String(required=True)


class RejectionReasonOut(ma.Schema):
    field = ma.fields.String(required=True)
    message = ma.fields.String(required=True)


class RejectionOut(ma.Schema):
    reasons = ma.fields.List(ma.fields.Nested(RejectionReasonOut), required=True)
    rejected_at = UtcDateTime(required=True)


class OrganisationOut(ma.Schema):
    id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    uscc = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(ORGANISATION_KINDS))
    province_code = ma.fields.String(required=True)
    city_code = ma.fields.String(required=True, allow_none=True)
    address = ma.fields.String(required=True)
    legal_representative = ma.fields.Nested(LegalRepresentativeOut, required=True)
    contact = ma.fields.Nested(OrganisationContactOut, required=True)
    status = ma.fields.String(required=True, metadata={
        "description": "registered → pending_review → verified or rejected"})
    version = ma.fields.Integer(required=True)
    registered_at = UtcDateTime(required=True)
    last_rejection = ma.fields.Nested(RejectionOut, required=True, allow_none=True, metadata={
        "description": "the reviewers' reasons of the newest rejection, if any"})


class OrganisationCorrection(_Strict):
    """What a member may correct while `registered` or `rejected` (checked as at registration)."""

    name = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    address = ma.fields.String(validate=ma.validate.Length(min=1, max=300))
    city_code = ma.fields.String(allow_none=True, validate=ma.validate.Regexp(
        r"^\d{6}$", error="A 6-digit GB/T 2260 code."))
    legal_representative = ma.fields.Nested(LegalRepresentative)
    contact = ma.fields.Nested(Contact)


class VerificationOut(ma.Schema):
    status = ma.fields.String(required=True)
