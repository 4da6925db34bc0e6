"""What notify's views reach for in the current request: its unit of work, typed as notify's."""

from __future__ import annotations

from notify.service_layer.unit_of_work import NotifyUnitOfWork
from platform_shared.web.context import current_uow


def notify_uow() -> NotifyUnitOfWork:
    """A new unit of work of notify for this request (its id and caller as `current_uow` sets them)."""
    # `current_uow` asks for `type[U]`, where mypy takes no abstract class (python/mypy#4717);
    # the check that it is one is made at run time by `current_uow` itself.
    return current_uow(NotifyUnitOfWork)  # type: ignore[type-abstract]
