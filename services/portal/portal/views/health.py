"""`/healthz` (the process answers), `/readyz` (the platform's API answers) and `/metrics`
(Prometheus, across gunicorn's workers) for the portal as its own container; in the embedded
default the gateway answers these paths itself. All three answer requests made inside the
cluster only (`platform_shared.web.operational`): through the Ingress they do not exist."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from flask.typing import ResponseReturnValue

from platform_shared.observability import metrics
from platform_shared.web.operational import cluster_only
from portal.api import Unreachable
from portal.transport import ApiRequest, TransportError
from portal.views import api

blp = Blueprint("health", __name__)


@blp.get("/healthz")
@cluster_only
def healthz() -> ResponseReturnValue:
    return jsonify(status="ok")


@blp.get("/readyz")
@cluster_only
def readyz() -> ResponseReturnValue:
    try:
        answer = api().transport.send(ApiRequest("GET", "/api/v1/identity/.well-known/jwks.json"))
    except (TransportError, Unreachable):
        return jsonify(status="unavailable", detail="the platform's API did not answer"), 503
    if not answer.ok:
        return jsonify(status="unavailable", detail=f"the platform's API answered {answer.status}"), 503
    return jsonify(status="ok")


@blp.get("/metrics")
@cluster_only
def prometheus() -> ResponseReturnValue:
    body, content_type = metrics.exposition()
    return Response(body, content_type=content_type)
