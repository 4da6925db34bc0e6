"""review as the platform runs it: tasks from events, the queue over HTTP."""

from __future__ import annotations

from platform_shared.event_handlers import route
from platform_shared.runtime import Consumes, ServiceDefinition
from review.adapters import orm
from review.adapters.migrations import MIGRATIONS
from review.service_layer.tasks import on_verification_requested


def definition() -> ServiceDefinition:
    from review.entrypoints.api import blp

    return ServiceDefinition(
        name="review", title="review — the reviewers' queue", database=orm.database,
        outbox=orm.Outbox, inbox=orm.Inbox, migrations=MIGRATIONS, blueprints=lambda: [blp],
        consumes=[Consumes("cases", ["identity.organisation.verification_requested"],
                           route({"identity.organisation.verification_requested": on_verification_requested}))])
