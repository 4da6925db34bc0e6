"""Who may ask the operational endpoints (`/metrics`, `/healthz`, `/readyz`): the cluster, not
the public. Prometheus and the kubelet call a pod directly; anything that came through a proxy —
the Ingress controller, the gateway — carries `X-Forwarded-For` (or `Forwarded`, `X-Real-IP`),
which a client cannot strip from what the proxy adds. Such requests get a plain 404, as if the
path did not exist, so the metrics of a service never leave the cluster through the Ingress."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort, request

PROXY_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")
P = ParamSpec("P")
R = TypeVar("R")


def came_through_a_proxy() -> bool:
    return any(request.headers.get(name) for name in PROXY_HEADERS)


def cluster_only(view: Callable[P, R]) -> Callable[P, R]:
    """404 for a request that came through a proxy; the view for one made inside the cluster."""

    @wraps(view)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        if came_through_a_proxy():
            abort(404)
        return view(*args, **kwargs)

    return guarded
