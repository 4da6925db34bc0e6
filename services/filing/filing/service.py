"""filing as the platform runs it: its organisation view from identity's events."""

from __future__ import annotations

from filing.adapters import orm
from filing.adapters.migrations import MIGRATIONS
from filing.service_layer.organisations import on_organisation_event
from platform_shared.event_handlers import route
from platform_shared.events.catalogue.identity import ORGANISATION_STATUS_AFTER as STATUS_AFTER
from platform_shared.runtime import Consumes, ServiceDefinition


def definition() -> ServiceDefinition:
    from filing.entrypoints.api import blp

    return ServiceDefinition(
        name="filing", title="filing — products and filings", database=orm.database,
        outbox=orm.Outbox, inbox=orm.Inbox, migrations=MIGRATIONS, blueprints=lambda: [blp],
        consumes=[Consumes("organisations", ["identity.organisation.*"],
                           route({t: on_organisation_event for t in STATUS_AFTER}))])
