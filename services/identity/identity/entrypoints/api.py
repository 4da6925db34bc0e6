"""identity's HTTP API, the index of its blueprints: signing in and tokens, organisations (their
registration, data and verification; operators' search), their documents, accounts (staff, members,
the audit log), the provincial ports and disputes on who holds a USCC."""

from __future__ import annotations

from identity.entrypoints import (
              accounts,
              disputes,
              documents,
              organisation_changes,
              organisation_search,
              organisations,
              province_ports,
              tokens,
)
from platform_shared.web.audit_log import audit_log_blueprint

BLUEPRINTS = (tokens.blp, province_ports.blp, organisations.blp, organisation_search.blp, documents.blp, accounts.blp,
              disputes.blp, organisation_changes.blp, audit_log_blueprint("identity"))
