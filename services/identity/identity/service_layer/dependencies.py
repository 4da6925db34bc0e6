"""What identity's handlers need besides a unit of work, as `service.py` builds it from the
settings when the service starts (views reach it with `web.context.current_dependencies`).
Each is a small protocol; `adapters` implements them (RS256 keys, argon2id, Fernet, the registries,
the `limits` store, the PDF forms), the unit tests fake them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from identity.domain.forms import CommitmentLetter, PortApplicationFormContent
from identity.domain.holds import HoldBounds
from identity.domain.sign_in_guard import LockoutPolicy
from identity.domain.verification import Claim, Reasons
from platform_shared.quotas import StorageQuota
from platform_shared.uploads import ContentStore


class TokenSigner(Protocol):
    def sign(self, claims: dict[str, Any]) -> str:
        """The claims as a signed token (the newest key)."""

    def jwks(self) -> dict[str, Any]:
        """The public keys that verify tokens, as a JWKS."""


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str | None, password: str) -> bool:
        """Whether `password` matches; without a usable hash it takes as long and is False."""


class IdNumberCipher(Protocol):
    """Encryption at rest of ID numbers."""

    def encrypt(self, value: str) -> str: ...

    def decrypt(self, token: str) -> str: ...


class Registry(Protocol):
    """The registry a real-name claim is checked against; `check` raises
    `platform_shared.registries.RegistryUnavailable` when it cannot answer now."""

    name: str

    def check(self, claim: Claim) -> Reasons:
        """Where the registry disagrees with `claim` (field -> reasons); empty if it agrees."""


class SignInLimits(Protocol):
    """Rate limits of signing in, in a store every worker shares; each answer is None (go on) or
    the seconds until trying again may succeed."""

    def address_refused(self, address: str) -> int | None: ...

    def attempt_at_account(self, email: str) -> int | None:
        """Count an attempt at `email`."""

    def failure_from(self, address: str) -> None:
        """Count a failed sign-in from `address`."""


class FormRenderer(Protocol):
    """The forms a filer prints, signs and stamps, rendered as PDF."""

    def commitment_letter(self, letter: CommitmentLetter) -> bytes: ...

    def port_application_form(self, content: PortApplicationFormContent) -> bytes: ...


@dataclass(frozen=True)
class SignInProtection:
    limits: SignInLimits
    lockout: LockoutPolicy


@dataclass(frozen=True)
class IdentityDependencies:
    signing_keys: TokenSigner
    password_hashing: PasswordHasher
    id_cipher: IdNumberCipher
    registry: Registry
    # Organisations' documents and the provinces' signed application forms.
    document_store: ContentStore
    document_max_bytes: int
    # What one organisation keeps of documents: files and bytes.
    document_quota: StorageQuota
    sign_in_protection: SignInProtection
    # The platform's address as people reach it: the base of links mailed to them.
    public_url: str
    # The commitment letter and the province-port application form.
    forms: FormRenderer
    # How long an unverified registration, an invitation, a pending port application hold what they hold.
    holds: HoldBounds = field(default_factory=HoldBounds)
