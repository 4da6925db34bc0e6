"""`POST /tokens` as HTTP sees it: the client's address, the audit entries, the 429 document.

Why 429 and not 423 for a locked e-mail address: 423 Locked (RFC 4918, WebDAV) says a
*resource* is locked against changes, while here a client made too many attempts and must
wait, which is what 429 Too Many Requests (RFC 6585) with `Retry-After` says and what clients
already handle. The contract lists 429 for this; and one status for the rate limits and the
lock-out keeps a caller from telling more than "wait" (the problem `type` names which).
"""

from __future__ import annotations

from flask import request

from identity.adapters.orm import Account, AuditLog
from identity.service_layer import sign_in as sign_in_service
from platform_shared.web.audit import audit_request
from platform_shared.web.context import current_runtime
from platform_shared.web.problems import PROBLEM_MEDIA_TYPE, ProblemSchema

TOO_MANY_SIGN_INS = {
    "schema": ProblemSchema, "content_type": PROBLEM_MEDIA_TYPE,
    "description": "Too many attempts: `type` ends in `too-many-sign-ins` (rate limit per e-mail "
                   "address, or of failed sign-ins per client address) or `sign-in-locked` (too many "
                   "wrong passwords for this e-mail address: locked for a while, whether or not an "
                   "account has it; the right password is refused too until the lock ends).",
    "headers": {"Retry-After": {"description": "seconds to wait before trying again",
                                "schema": {"type": "integer", "minimum": 1}}},
}


def client_address() -> str:
    """The caller's address; behind `TRUSTED_PROXY_HOPS` proxies (e.g. 1 behind the Ingress)
    the app's ProxyFix has already taken it from `X-Forwarded-For`."""
    return request.remote_addr or "unknown"


def _audit(action: str, account: Account | None, detail: dict) -> None:
    succeeded = action == "sign_in.succeeded"
    audit_request(AuditLog, action, "account", account.id if account else None, detail,
                  actor_id=account.id if succeeded else None, actor_role=account.role if succeeded else None)


def guarded_sign_in(email: str, password: str) -> dict:
    runtime = current_runtime()
    return sign_in_service.sign_in(
        email, password, client_address(), protection=runtime.components["sign_in_protection"],
        hashing=runtime.components["password_hashing"], keys=runtime.components["signing_keys"],
        database=runtime.database, audit=_audit)
