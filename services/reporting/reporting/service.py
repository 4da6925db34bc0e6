"""reporting as the platform runs it: read models from events, figures over HTTP."""

from __future__ import annotations

from platform_shared.event_handlers import route
from platform_shared.events.catalogue.identity import ORGANISATION_STATUS_AFTER as STATUS_AFTER
from platform_shared.runtime import Consumes, ServiceDefinition
from reporting.adapters import orm
from reporting.adapters.migrations import MIGRATIONS
from reporting.service_layer.projections import on_organisation_event


def definition() -> ServiceDefinition:
    from reporting.entrypoints.api import blp

    return ServiceDefinition(
        name="reporting", title="reporting — province statistics", database=orm.database,
        outbox=orm.Outbox, inbox=orm.Inbox, migrations=MIGRATIONS, blueprints=lambda: [blp],
        consumes=[Consumes("events", ["identity.organisation.*"],
                           route({t: on_organisation_event for t in STATUS_AFTER}))])
