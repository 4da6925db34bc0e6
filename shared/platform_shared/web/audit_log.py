"""`GET /api/v1/<service>/audit-log`: a service's audit log as operators read it, declared once
for every service (each reads its own table through `uow.audit_entries`).

    BLUEPRINTS = (..., audit_log_blueprint("filing"))

Filters: `action`, `actor_id`, `subject_type`, `subject_id`, and a time range `since`
(inclusive) / `until` (exclusive), ISO 8601 (without an offset: UTC); newest first, paginated.
Operators only; every other role gets 403. The portal's page `/operator/audit` joins the services'.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import marshmallow as ma

from platform_shared.audit import AuditFilter, LoggedEntry
from platform_shared.pages import PageRequest
from platform_shared.unit_of_work import UnitOfWork
from platform_shared.web.blueprint import ServiceBlueprint
from platform_shared.web.context import current_uow
from platform_shared.web.pagination import PageQuery, page_schema
from platform_shared.web.routes import endpoint


class AuditQuery(PageQuery):
    action = ma.fields.String(load_default=None, validate=ma.validate.Length(min=1, max=64),
                              metadata={"description": "e.g. sign_in.failed, product.read, products.export"})
    actor_id = ma.fields.String(load_default=None, validate=ma.validate.Length(min=1, max=36),
                                metadata={"description": "the account that acted"})
    subject_type = ma.fields.String(load_default=None, validate=ma.validate.Length(min=1, max=32),
                                    metadata={"description": "e.g. account, organisation, product, province"})
    subject_id = ma.fields.String(load_default=None, validate=ma.validate.Length(min=1, max=64))
    since = ma.fields.AwareDateTime(load_default=None, default_timezone=dt.UTC,
                                    metadata={"description": "entries at or after (ISO 8601; no offset: UTC)"})
    until = ma.fields.AwareDateTime(load_default=None, default_timezone=dt.UTC,
                                    metadata={"description": "entries before (ISO 8601; no offset: UTC)"})


class AuditEntrySchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    at = ma.fields.String(required=True, metadata={"description": "UTC, ISO 8601"})
    actor_id = ma.fields.String(allow_none=True)
    actor_role = ma.fields.String(allow_none=True)
    action = ma.fields.String(required=True)
    subject_type = ma.fields.String(required=True)
    subject_id = ma.fields.String(allow_none=True)
    address = ma.fields.String(allow_none=True, metadata={"description": "the client's address"})
    request_id = ma.fields.String(allow_none=True)
    detail = ma.fields.Dict(required=True)


AuditPage = page_schema(AuditEntrySchema, "AuditPage")


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    """Naive UTC, as the table stores its times."""
    return None if moment is None else moment.astimezone(dt.UTC).replace(tzinfo=None)


def audit_filter(query: dict[str, Any]) -> AuditFilter:
    """The filter of a validated `AuditQuery`."""
    return AuditFilter(action=query["action"], actor_id=query["actor_id"], subject_id=query["subject_id"],
                       subject_type=query["subject_type"], since=_utc(query["since"]), until=_utc(query["until"]))


def entry_out(entry: LoggedEntry) -> dict[str, Any]:
    return {"id": entry.id, "at": entry.at.replace(tzinfo=dt.UTC).isoformat(), "actor_id": entry.actor_id,
            "actor_role": entry.actor_role, "action": entry.action, "subject_type": entry.subject_type,
            "subject_id": entry.subject_id, "address": entry.address, "request_id": entry.request_id,
            "detail": entry.detail}


def audit_log_blueprint(service: str) -> ServiceBlueprint:
    """The blueprint of `GET /api/v1/<service>/audit-log`, reading through the service's unit of work."""
    blp = ServiceBlueprint(f"{service}-audit-log", __name__, url_prefix=f"/api/v1/{service}",
                           description="The audit log: who did what to which record, when and from where")

    @endpoint(blp, "/audit-log", "GET", roles=("operator",), query=AuditQuery, response=(200, AuditPage),
              problems=(401, 403))
    def audit_log(query: dict[str, Any]) -> dict[str, Any]:
        """Who did what to which record, when and from where, newest first (operators).

        Filter by `action`, `actor_id`, `subject_type`, `subject_id` and the time range `since`
        (inclusive) to `until` (exclusive)."""
        uow = current_uow(UnitOfWork)
        with uow:
            page = uow.audit_entries.page(audit_filter(query), PageRequest.of(query))
        return page.map(entry_out).as_dict()

    return blp
