"""identity's HTTP API, the index of its blueprints: signing in and tokens, organisations (their
registration, data and verification), their documents, accounts (staff, members, the audit log)
the provincial ports and disputes on who holds a USCC."""

from __future__ import annotations

from identity.entrypoints import accounts, disputes, documents, organisations, province_ports, tokens

BLUEPRINTS = (tokens.blp, province_ports.blp, organisations.blp, documents.blp, accounts.blp, disputes.blp)
