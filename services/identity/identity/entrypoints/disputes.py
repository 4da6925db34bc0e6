"""A dispute on a USCC over HTTP (operators only): the holding registration is suspended and the
USCC released for the rightful organisation (see `service_layer.disputes`)."""

from __future__ import annotations

from typing import Any

from identity.domain.commands import OpenDispute
from identity.entrypoints import disputes_schemas as schemas
from identity.service_layer.disputes import handle_open_dispute
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.web.access import current_principal
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.context import current_uow
from platform_shared.web.routes import endpoint

blp = Blueprint("identity-disputes", __name__, url_prefix="/api/v1/identity",
                description="Disputes on who holds a 统一社会信用代码 (operators)")


@endpoint(blp, "/disputes", "POST", roles=("operator",), body=schemas.DisputeSchema,
          response=(201, schemas.DisputeOut), problems=(401, 403, 404, 409))
def open_dispute(body: dict[str, Any]) -> dict[str, Any]:
    """Open a dispute on a USCC (operators; anyone else 403): the registration holding it is
    suspended (audited with the reason, its contact and accounts mailed), the USCC released so the
    rightful organisation registers it and proves itself with its licence. 404 when no
    registration holds the USCC."""
    organisation = handle_open_dispute(OpenDispute(uscc=body["uscc"], reason=body["reason"],
                                                   principal=current_principal()), current_uow(IdentityUnitOfWork))
    return {"organisation_id": organisation.id, "name": organisation.name, "uscc": organisation.uscc,
            "status": organisation.status, "reason": body["reason"].strip()}
