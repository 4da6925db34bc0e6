"""identity's HTTP API: each view translates a request into a call of the service layer."""

from __future__ import annotations

from flask import g

from identity.adapters.orm import Account, AuditLog
from identity.entrypoints import schemas
from identity.entrypoints.sign_in import TOO_MANY_SIGN_INS, guarded_sign_in
from identity.service_layer import accounts
from identity.service_layer.password_setup import complete_password_setup
from identity.service_layer.registration import RegisterOrganisation, register_organisation
from platform_shared.web.access import current_principal, requires
from platform_shared.web.audit import audit_request
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.context import current_runtime
from platform_shared.web.problems import Problem

blp = Blueprint("identity", __name__, url_prefix="/api/v1/identity",
                description="Organisations, accounts and tokens")
BEARER = [{"bearerAuth": []}]


@blp.route("/organisations", methods=["POST"])
@blp.arguments(schemas.RegistrationSchema)
@blp.response(201, schemas.RegisteredSchema)
def register(body: dict) -> dict:
    """Register an organisation and its first account (anyone)."""
    runtime = current_runtime()
    command = RegisterOrganisation(
        name=body["name"], uscc=body["uscc"], kind=body["kind"], province_code=body["province_code"],
        city_code=body.get("city_code"), address=body["address"],
        legal_representative_name=body["legal_representative"]["name"],
        legal_representative_id_number=body["legal_representative"]["id_number"],
        contact_name=body["contact"]["name"], contact_phone=body["contact"]["phone"],
        contact_email=body["contact"]["email"], account_email=body["account"]["email"],
        account_password=body["account"]["password"])
    organisation = register_organisation(
        command, runtime.unit_of_work(g.request_id), runtime.components["id_cipher"],
        runtime.components["password_hashing"])
    return {"id": organisation.id, "status": organisation.status}


@blp.route("/tokens", methods=["POST"])
@blp.arguments(schemas.CredentialsSchema)
@blp.response(200, schemas.TokenPairSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
@blp.alt_response(429, **TOO_MANY_SIGN_INS)
def sign_in(body: dict) -> dict:
    """Exchange e-mail and password for an access token (anyone).

    Guarded against guessing (429 with `Retry-After`): attempts per e-mail address and failed
    attempts per client address are rate-limited, and too many wrong passwords for an e-mail
    address lock it for a while. Every sign-in, failed or not, is audited.
    """
    return guarded_sign_in(body["email"], body["password"])


@blp.route("/tokens/refresh", methods=["POST"])
@blp.arguments(schemas.RefreshSchema)
@blp.response(200, schemas.TokenPairSchema)
def refresh(body: dict) -> dict:
    """Exchange a refresh token for a new pair; each refresh token works once (token holder)."""
    runtime = current_runtime()
    try:
        return accounts.refresh_tokens(body["refresh_token"], runtime.components["signing_keys"],
                                       runtime.database)
    except accounts.RefreshRefused as exc:
        raise Problem(401, f"Sign in again: {exc.reason}.", slug="invalid-refresh-token") from exc


@blp.route("/password-setup", methods=["POST"])
@blp.arguments(schemas.PasswordSetupSchema)
@blp.response(204)
def set_password(body: dict) -> None:
    """Set your password with the one-time token of the link you were mailed (anyone holding it)."""
    runtime = current_runtime()
    account = complete_password_setup(body["token"], body["password"], runtime.components["password_hashing"],
                                      runtime.database)
    audit_request(AuditLog, "account.password_set", "account", account.id, actor_id=account.id,
                  actor_role=account.role)


@blp.route("/me", methods=["GET"])
@blp.doc(security=BEARER)
@blp.response(200, schemas.MeSchema)
@requires()
def me() -> dict:
    """The signed-in account, its role and what the role is bound to (any role)."""
    principal = current_principal()
    account = Account.get_or_none(Account.id == principal.account_id)
    if account is None or not account.active:
        raise Problem(401, "This account no longer exists.", slug="invalid-token")
    return {"id": account.id, "email": account.email, "role": account.role,
            "organisation_id": account.organisation_id, "province_code": account.province_code}


@blp.route("/.well-known/jwks.json", methods=["GET"])
@blp.response(200, schemas.JwksSchema)
def jwks() -> dict:
    """The public keys that verify access tokens (anyone)."""
    return current_runtime().components["signing_keys"].jwks()
