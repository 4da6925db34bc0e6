"""notify's HTTP API, the index of its blueprints: one per resource (the delivery log, the
preferences), nested in the one `notify` blueprint under `/api/v1/notify`, so that the OpenAPI
document keeps its single `notify` tag."""

from __future__ import annotations

from notify.entrypoints import deliveries, preferences
from platform_shared.web.blueprint import ServiceBlueprint

NOTIFY = ServiceBlueprint("notify", __name__, url_prefix="/api/v1/notify", description="Mail deliveries")
for resource in (deliveries.blp, preferences.blp):
    NOTIFY.register_blueprint(resource)

BLUEPRINTS = (NOTIFY,)
