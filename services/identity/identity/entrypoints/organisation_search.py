"""`GET /api/v1/identity/organisations`: the operator's list and search of organisations, by
status, province, kind and a text that is part of the name or the USCC (width and case do not
matter), newest registration first, paginated. Operators only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import marshmallow as ma

from identity.domain.model import Organisation
from identity.domain.organisation_search import ORGANISATION_STATUSES, OrganisationFilter, fold_text
from identity.service_layer.organisation_search import search_organisations
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.events.catalogue.identity import ORGANISATION_KINDS
from platform_shared.pages import PageRequest
from platform_shared.regions import PROVINCES
from platform_shared.web.blueprint import ServiceBlueprint
from platform_shared.web.context import current_uow
from platform_shared.web.pagination import PageQuery, page_schema
from platform_shared.web.routes import endpoint

blp = ServiceBlueprint("identity-organisation-search", __name__, url_prefix="/api/v1/identity",
                       description="Organisations listed and searched (operators)")


class OrganisationQuery(PageQuery):
    status = ma.fields.String(load_default=None, validate=ma.validate.OneOf(ORGANISATION_STATUSES))
    province_code = ma.fields.String(load_default=None, validate=ma.validate.OneOf(sorted(PROVINCES)))
    kind = ma.fields.String(load_default=None, validate=ma.validate.OneOf(ORGANISATION_KINDS))
    q = ma.fields.String(load_default=None, validate=ma.validate.Length(max=100), metadata={
        "description": "part of the name or of the USCC; full- or half-width, any letter case"})


class OrganisationRow(ma.Schema):
    id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    uscc = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    province_code = ma.fields.String(required=True)
    city_code = ma.fields.String(allow_none=True)
    status = ma.fields.String(required=True)
    registered_at = ma.fields.String(required=True, metadata={"description": "UTC, ISO 8601"})


OrganisationPage = page_schema(OrganisationRow, "OrganisationPage")


def _row(organisation: Organisation) -> dict[str, Any]:
    return {"id": organisation.id, "name": organisation.name, "uscc": organisation.uscc, "kind": organisation.kind,
            "province_code": organisation.province_code, "city_code": organisation.city_code,
            "status": organisation.status,
            "registered_at": organisation.registered_at.replace(tzinfo=dt.UTC).isoformat()}


@endpoint(blp, "/organisations", "GET", roles=("operator",), query=OrganisationQuery,
          response=(200, OrganisationPage), problems=(401, 403))
def list_organisations(query: dict[str, Any]) -> dict[str, Any]:
    """Organisations, newest registration first, filtered by `status`, `province_code`, `kind`
    and `q` (part of the name or the USCC) (operators; anyone else 403)."""
    which = OrganisationFilter(status=query["status"], province_code=query["province_code"], kind=query["kind"],
                               text=fold_text(query["q"]))
    return search_organisations(which, PageRequest.of(query), current_uow(IdentityUnitOfWork)).map(_row).as_dict()
