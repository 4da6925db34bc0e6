"""Every event contract of the platform, one module per producing service."""

from platform_shared.events.catalogue import (  # noqa: F401
    filing,
    identity,
    identity_changes,
    identity_holds,
    notify,
    recognition,
    reporting,
    review,
)
