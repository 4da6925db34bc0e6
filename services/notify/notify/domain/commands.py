"""What a person or a job asks notify to do: one frozen dataclass per state change.

Mails themselves are not asked for: they follow from events (`service_layer.mail_events`).
"""

from __future__ import annotations

from dataclasses import dataclass

from platform_shared.principal import Principal


@dataclass(frozen=True)
class ChoosePreferences:
    """The signed-in account replaces its mail preferences (what it may choose depends on its role)."""

    principal: Principal
    language: str
    new_review_tasks: bool = False


@dataclass(frozen=True)
class RetryDelivery:
    """An operator sends a `failed` delivery again."""

    delivery_id: str


@dataclass(frozen=True)
class DeliverDue:
    """The delivery worker's round: try due deliveries once each, at most `batch`, over one
    session with the mail server."""

    batch: int = 20
