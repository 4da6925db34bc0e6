"""What notify's handlers need besides a unit of work: the templates, the mail server, the
platform's public address, the sender and the retry policy; built from the settings by
`notify.service`, replaced by fakes in the unit tests."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from cryptography.fernet import Fernet

from notify.domain.deliveries import OutgoingMail, RetryPolicy
from notify.domain.messages import DEFAULT_PUBLIC_URL, RenderedMail
from platform_shared.sealing import Sealer

DEFAULT_SENDER = "专利产品备案平台 <no-reply@patent-filing.platform>"

# Hands one mail to the server; returns once the server accepted it.
Send = Callable[[OutgoingMail], None]


class TemporaryFailure(Exception):
    """The mail may go later: the server is down or answered 4xx."""


class PermanentFailure(Exception):
    """The mail will never go: the server answered 5xx (a bad address, a refused recipient)."""


class Mailer(Protocol):
    def session(self) -> AbstractContextManager[Send]:
        """A `send` for the mails of one round (one connection where the transport has any):
        it returns as soon as the server accepted a mail, and raises `TemporaryFailure` or
        `PermanentFailure`."""
        ...


class MailTemplates(Protocol):
    def render(self, template: str, language: str, values: Mapping[str, Any]) -> RenderedMail:
        """The mail `template` makes of `values` in `language` (Chinese where it has no such version)."""
        ...


class SecretSealer(Protocol):
    def seal(self, value: str) -> str: ...

    def open(self, token: str) -> str:
        """The sealed value; raises when no key of ours sealed it."""


@dataclass(frozen=True)
class NotifyDependencies:
    templates: MailTemplates
    mailer: Mailer
    # The platform's address as its users reach it: links in mails are absolute under it.
    public_url: str = DEFAULT_PUBLIC_URL
    sender: str = DEFAULT_SENDER
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    # How long the delivery worker waits when a round found nothing due.
    poll_seconds: float = 0.5
    # Seals a mail's secrets (one-time links) until it is sent: the keys of NOTIFY_SECRET_KEYS
    # in deployment; a key of this process's own when none is given (tests).
    sealer: SecretSealer = field(default_factory=lambda: Sealer([Fernet.generate_key()]))


def notify_dependencies(dependencies: object) -> NotifyDependencies:
    """The runtime's dependencies as notify's (the runtime holds them untyped)."""
    if not isinstance(dependencies, NotifyDependencies):
        raise TypeError(f"notify's dependencies are not set (found {type(dependencies).__name__})")
    return dependencies
