"""The operator's console: organisations listed and searched (with each one's page: its data,
accounts and audit entries), and the audit log of every service in one page.

Each service keeps its own audit log and answers `GET /api/v1/<service>/audit-log` to operators;
this page asks the services chosen with the same filters and merges their newest entries (the
portal has no database: the join is here, per request)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, request, url_for
from flask.typing import ResponseReturnValue

from portal.access import role_required
from portal.api import ApiError, Problem
from portal.i18n import translate, translate_or
from portal.labels import province_label, status_label
from portal.views import api, done, form_page

blp = Blueprint("console", __name__, url_prefix="/operator")
IDENTITY = "/api/v1/identity"
# The services that keep an audit log (notify keeps none), in the order the filter offers them.
AUDITED_SERVICES = ("identity", "filing", "review", "reporting")
ORGANISATION_STATUSES = ("registered", "pending_review", "verified", "rejected", "lapsed", "suspended")
ORGANISATION_KINDS = ("enterprise", "university_institute", "rd_institution", "social_organisation")
AUDIT_PAGE = 50
BEIJING = dt.timezone(dt.timedelta(hours=8))


# --- organisations --------------------------------------------------------------------------------
@blp.get("/organisations")
@role_required("operator")
def organisations() -> ResponseReturnValue:
    wanted = {name: request.args.get(name, "").strip() for name in ("q", "status", "province_code", "kind")}
    page_number = _page_number()
    params = {name: value for name, value in wanted.items() if value}
    response = api().call("GET", f"{IDENTITY}/organisations", params={**params, "page": page_number, "per_page": 50})
    problem = None if response.ok else Problem.of(response)
    if problem is not None and problem.status != 422:
        raise ApiError(problem)
    page: dict[str, Any] = response.json() if response.ok else {"items": [], "total": 0}
    return form_page("operator/organisations.html", problem, values=wanted, page=page, page_number=page_number,
                     pages=max(1, -(-int(page["total"]) // 50)), statuses=ORGANISATION_STATUSES,
                     kinds=ORGANISATION_KINDS, query=params)


@blp.get("/organisations/<organisation_id>")
@role_required("operator")
def organisation(organisation_id: str, problem: Problem | None = None) -> ResponseReturnValue:
    """One organisation as operators see it: its data, its accounts and identity's audit entries of
    it; suspending it (while it holds its USCC) or reinstating it (while suspended), with a reason."""
    found = api().get(f"{IDENTITY}/organisations/{organisation_id}")
    accounts = api().get(f"{IDENTITY}/organisations/{organisation_id}/members", {"per_page": 200})
    entries = api().get(f"{IDENTITY}/audit-log", {"subject_id": organisation_id, "per_page": AUDIT_PAGE})
    logged = [{**entry, "service": "identity", "detail_text": detail_text(entry.get("detail") or {})}
              for entry in entries["items"]]
    return form_page("operator/organisation.html", problem, organisation=found, accounts=accounts, entries=logged,
                     entries_total=entries["total"], values={"reason": request.form.get("reason", "")})


# What an operator does to an organisation from its page: the API's path and the message after it.
ORGANISATION_ACTIONS = {"suspension": "console.suspended", "reinstatement": "console.reinstated"}


@blp.post("/organisations/<organisation_id>/<action>")
@role_required("operator")
def organisation_action(organisation_id: str, action: str) -> ResponseReturnValue:
    """Suspend the organisation, or reinstate it, with the reason the form gave."""
    if action not in ORGANISATION_ACTIONS:
        abort(404)
    response = api().call("POST", f"{IDENTITY}/organisations/{organisation_id}/{action}",
                          json={"reason": request.form.get("reason", "").strip()})
    if response.ok:
        return done(ORGANISATION_ACTIONS[action], url_for("console.organisation", organisation_id=organisation_id))
    return organisation(organisation_id, Problem.of(response))


def _page_number() -> int:
    number = request.args.get("page", "1")
    return int(number) if number.isdigit() and 0 < int(number) <= 100_000 else 1


# --- the audit log of every service -----------------------------------------------------------------
@blp.get("/audit")
@role_required("operator")
def audit() -> ResponseReturnValue:
    values = {name: request.args.get(name, "").strip()
              for name in ("service", "action", "actor", "subject", "from", "to")}
    services = [values["service"]] if values["service"] in AUDITED_SERVICES else list(AUDITED_SERVICES)
    if values["service"] not in AUDITED_SERVICES:
        values["service"] = ""
    errors: dict[str, str] = {}
    params: dict[str, Any] = {"per_page": AUDIT_PAGE}
    for name, key in (("action", "action"), ("actor", "actor_id"), ("subject", "subject_id")):
        if values[name]:
            params[key] = values[name]
    for name, key, days in (("from", "since", 0), ("to", "until", 1)):
        if values[name]:
            day = _day(values[name])
            if day is None:
                errors[name] = "audit.bad_date"
            else:  # a Beijing day: from its midnight (from), to the next midnight (to, inclusive)
                params[key] = dt.datetime.combine(day + dt.timedelta(days=days), dt.time(), BEIJING).isoformat()
    merged: list[dict[str, Any]] = []
    totals: dict[str, int] = {}
    if not errors:
        for service in services:
            page = api().get(f"/api/v1/{service}/audit-log", params)
            totals[service] = int(page["total"])
            merged.extend({**entry, "service": service} for entry in page["items"])
    merged.sort(key=lambda entry: (dt.datetime.fromisoformat(entry["at"]), entry["id"]), reverse=True)
    for entry in merged:
        entry["detail_text"] = detail_text(entry.get("detail") or {})
    return form_page("operator/audit.html", values=values, services=AUDITED_SERVICES, entries=merged[:AUDIT_PAGE],
                     totals=totals, total=sum(totals.values()), shown=AUDIT_PAGE, date_errors=errors)


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def detail_text(detail: dict[str, Any]) -> str:
    """An entry's detail in one line, in the reader's words where the catalogue has them: each key
    by its name, a role, kind, province or yes/no by its word, a list by how many it holds (a read of
    200 products lists their ids; the page says 200)."""
    parts = []
    for key, value in sorted(detail.items()):
        parts.append(translate("audit.pair", name=translate_or(f"audit.detail_keys.{key}", key),
                               value=_detail_value(key, value)))
    return translate("audit.joiner").join(parts)


def _detail_value(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return translate("common.yes" if value else "common.no")
    if value is None:
        return "—"
    if isinstance(value, list):
        return str(len(value))
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in sorted(value.items()))
    if key == "role":
        return status_label("role", str(value))
    if key == "kind":
        return status_label("kind", str(value)) if str(value) in ORGANISATION_KINDS else str(value)
    if key in ("province", "province_code"):
        return province_label(None if value == "national" else str(value))
    return str(value)
