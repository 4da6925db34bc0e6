"""Every event contract of the platform, one module per producing service."""

from platform_shared.events.catalogue import filing, identity, notify, recognition, reporting, review  # noqa: F401
