"""One-time links to set a password: for accounts made by someone else (staff, invited
members, province admins), whose holder must choose their own password."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid

from identity.adapters.orm import Account, PasswordSetup
from identity.domain.passwords import PasswordRejected, check_password
from identity.service_layer.accounts import PasswordHashing
from platform_shared.web.problems import Problem

SETUP_LIFETIME = dt.timedelta(days=3)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_password_setup(account: Account, purpose: str, base_url: str) -> tuple[str, dt.datetime]:
    """A new one-time link for `account` (inside the caller's transaction): (url, expires_at).

    Earlier unused links of the account stop working: only the newest mail counts.
    """
    now = dt.datetime.now(dt.UTC)
    PasswordSetup.update(used_at=now.replace(tzinfo=None)).where(
        (PasswordSetup.account == account) & PasswordSetup.used_at.is_null()).execute()
    token = secrets.token_urlsafe(32)
    expires_at = now + SETUP_LIFETIME
    PasswordSetup.create(id=str(uuid.uuid4()), account=account, token_hash=_digest(token), purpose=purpose,
                         created_at=now.replace(tzinfo=None), expires_at=expires_at.replace(tzinfo=None))
    return f"{base_url.rstrip('/')}/password-setup#{token}", expires_at


def complete_password_setup(token: str, password: str, hashing: PasswordHashing, database) -> Account:
    """Set the password of the link's account and spend the link; 410 if spent or expired."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with database.atomic():
        setup = PasswordSetup.get_or_none(PasswordSetup.token_hash == _digest(token))
        if setup is None or setup.used_at is not None or setup.expires_at <= now:
            raise Problem(410, "This link is no longer valid; ask for a new one.", slug="password-setup-gone")
        account = setup.account
        try:
            check_password(password, account.email)
        except PasswordRejected as exc:
            raise Problem(422, str(exc), errors={"password": [str(exc)]}) from None
        spent = (PasswordSetup.update(used_at=now)
                 .where((PasswordSetup.id == setup.id) & PasswordSetup.used_at.is_null()).execute())
        if spent != 1:
            raise Problem(410, "This link is no longer valid; ask for a new one.", slug="password-setup-gone")
        account.password_hash = hashing.hash(password)
        account.active = True
        account.save()
    return account
