"""What a view reaches for in the current request: the service's runtime, a unit of work that
knows the request (its id as the events' correlation id, its caller as the audit's actor), and
the service's dependencies as its `service.py` wired them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast

from flask import current_app, g, request

from platform_shared.audit import Actor
from platform_shared.unit_of_work import UnitOfWork
from platform_shared.web.access import signed_in_principal

if TYPE_CHECKING:
    from platform_shared.runtime import ServiceRuntime

U = TypeVar("U", bound=UnitOfWork)
D = TypeVar("D")


def current_runtime() -> ServiceRuntime:
    """The runtime of the service handling the current request."""
    return cast("ServiceRuntime", current_app.extensions["runtime"])


def current_actor() -> Actor:
    """The caller as the audit log records it: account and role (if signed in), address, request."""
    principal = signed_in_principal()
    return Actor(account_id=principal.account_id if principal else None,
                 role=principal.role if principal else None,
                 address=request.remote_addr, request_id=g.get("request_id"))


def current_uow(kind: Callable[..., U]) -> U:
    """A new unit of work of the service, for this request. `kind` is the service's (abstract)
    unit of work class; mypy takes no abstract class where `type[U]` is asked, hence the type."""
    uow = current_runtime().unit_of_work(g.get("request_id"), current_actor())
    cls = cast("type[U]", kind)
    if not isinstance(uow, cls):
        raise TypeError(f"{current_runtime().name}'s unit of work is a {type(uow).__name__}, not a {cls.__name__}")
    return uow


def current_dependencies(kind: type[D]) -> D:
    """The service's dependencies (registries, stores, settings), as its `service.py` built them."""
    dependencies = current_runtime().dependencies
    if not isinstance(dependencies, kind):
        raise TypeError(f"{current_runtime().name}'s dependencies are not a {kind.__name__}")
    return dependencies
