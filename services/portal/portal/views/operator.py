"""The operator's pages: staff accounts (made, deactivated, reactivated), provincial port
applications and their decisions, disputes on who holds a USCC, recognition rounds and their
results, mail deliveries that failed (with a retry), target lists uploaded as XLSX or CSV files
of USCCs, and the revocation of a filing."""

from __future__ import annotations

from flask import Blueprint, request, url_for
from flask.typing import ResponseReturnValue

from platform_shared.web.problems import PROBLEM_BASE
from portal.access import role_required, signed_in
from portal.api import Problem
from portal.labels import industry_names
from portal.problem_words import worded
from portal.views import api, done, download, form_page, outcome
from portal.views.account_status import change_status
from portal.views.target_files import REPORTING, file_row_errors, put_target_file

blp = Blueprint("operator", __name__, url_prefix="/operator")
IDENTITY = "/api/v1/identity"
REVIEW = "/api/v1/review"
NOTIFY = "/api/v1/notify"
STAFF_ROLES = ("reviewer", "province_admin", "operator")


@blp.get("")
@role_required("operator")
def home() -> ResponseReturnValue:
    applications = api().get(f"{IDENTITY}/province-port-applications", {"status": "submitted", "per_page": 1})
    failed = api().get(f"{NOTIFY}/deliveries", {"state": "failed", "per_page": 1})
    at_risk = api().get("/api/v1/filing/products-at-risk", {"per_page": 1})
    return form_page("operator/home.html", pending_applications=applications["total"], failed=failed["total"],
                     at_risk=at_risk["total"])


# --- target lists ---------------------------------------------------------------------------------
@blp.route("/target-lists", methods=["GET", "POST"])
@role_required("operator")
def target_lists() -> ResponseReturnValue:
    """Upload a target list (XLSX or CSV of USCCs; the same name replaces it) and see the lists."""
    problem: Problem | None = None
    values = {"name": request.form.get("name", "").strip(), "title": request.form.get("title", "").strip()}
    if request.method == "POST":
        response = put_target_file(values)
        if response.ok:
            stored = response.json()
            return done("target_lists.uploaded", url_for("operator.target_lists"), title=stored["title"],
                        count=stored["organisations"])
        problem = Problem.of(response)
    lists: dict[str, dict[str, object]] = {}
    for row in api().get(f"{REPORTING}/coverage")["items"]:
        held = lists.setdefault(row["list"], {"list": row["list"], "title": row["title"], "total": 0, "filed": 0})
        held["total"] = int(str(held["total"])) + row["total"]
        held["filed"] = int(str(held["filed"])) + row["filed"]
    row_errors = file_row_errors(worded(problem).errors) if problem else []
    return form_page("operator/target_lists.html", problem, values=values, lists=list(lists.values()),
                     row_errors=row_errors)


# --- revocation of a filing ----------------------------------------------------------------------
FILING = "/api/v1/filing"


@blp.route("/products/<product_id>/revocation", methods=["GET", "POST"])
@role_required("operator")
def revocation(product_id: str) -> ResponseReturnValue:
    """Revoke a filed product's filing with a reason (e.g. a patent dispute arose): the product
    shown, the reason asked, then a confirmation; filing records it and notify mails the owner."""
    product = api().get(f"{FILING}/products/{product_id}")
    problem: Problem | None = None
    values = {"reason": request.form.get("reason", "").strip()}
    if request.method == "POST":
        # A reason first (an empty one goes to the API, which names the field), then the confirmation.
        if values["reason"] and request.form.get("confirmed") != "yes":
            return form_page("operator/revocation.html", product=product, values=values, confirm=True)
        response = api().call("POST", f"{FILING}/products/{product_id}/cancellation", json=values)
        if response.ok:
            return done("revocation.done", url_for("operator.revocation", product_id=product_id),
                        number=product["filing_number"])
        problem = Problem.of(response)
    return form_page("operator/revocation.html", problem, product=product, values=values, confirm=False)


# --- staff ----------------------------------------------------------------------------------------
@blp.route("/staff", methods=["GET", "POST"])
@role_required("operator")
def staff() -> ResponseReturnValue:
    problem: Problem | None = None
    values: dict[str, str] = {}
    if request.method == "POST":
        values = {"email": request.form.get("email", "").strip(), "role": request.form.get("role", "")}
        if values["role"] == "province_admin":
            values["province_code"] = request.form.get("province_code", "")
        response = api().call("POST", f"{IDENTITY}/staff", json=values)
        if response.ok:
            return done("staff.created", url_for("operator.staff"), email=values["email"])
        problem = Problem.of(response)
    return _staff_page(problem, values)


def _staff_page(problem: Problem | None, values: dict[str, str]) -> ResponseReturnValue:
    """The staff page: the form of a new account, and every staff account with its status and
    the form that deactivates or reactivates it (`values` of whichever form was sent)."""
    staff = api().get(f"{IDENTITY}/staff", {"per_page": 200})
    return form_page("operator/staff.html", problem, values=values, roles=STAFF_ROLES, staff=staff,
                     me=signed_in()["id"])


@blp.post("/staff/<account_id>/<change>")
@role_required("operator")
def change_staff_status(account_id: str, change: str) -> ResponseReturnValue:
    """Deactivate or reactivate a staff account, with the reason."""
    return change_status(account_id, change, url_for("operator.staff"), _staff_page)


# --- disputes on a USCC -------------------------------------------------------------------------------
@blp.route("/disputes", methods=["GET", "POST"])
@role_required("operator")
def disputes() -> ResponseReturnValue:
    """Open a dispute on a USCC (the holder is suspended, the USCC released); the latest ones."""
    problem: Problem | None = None
    values: dict[str, str] = {}
    if request.method == "POST":
        values = {"uscc": request.form.get("uscc", "").strip(), "reason": request.form.get("reason", "").strip()}
        response = api().call("POST", f"{IDENTITY}/disputes", json=values)
        if response.ok:
            opened = response.json()
            return done("dispute.opened", url_for("operator.disputes"), name=opened["name"], uscc=opened["uscc"])
        problem = Problem.of(response)
    opened = api().get(f"{IDENTITY}/audit-log", {"action": "organisation.suspended", "per_page": 50})["items"]
    return form_page("operator/disputes.html", problem, values=values, opened=opened)


# --- provincial ports -----------------------------------------------------------------------------
@blp.get("/port-applications")
@role_required("operator")
def port_applications() -> ResponseReturnValue:
    status = request.args.get("status", "submitted")
    page = api().get(f"{IDENTITY}/province-port-applications", {"status": status, "per_page": 100})
    return form_page("operator/port_applications.html", page=page, status=status)


@blp.get("/port-applications/<application_id>")
@role_required("operator")
def port_application(application_id: str, problem: Problem | None = None,
                     values: dict[str, str] | None = None) -> ResponseReturnValue:
    """The application (again, after a decision the API refused: with its problem and the values)."""
    return form_page("operator/port_application.html", problem, values=values or {},
                     application=api().get(f"{IDENTITY}/province-port-applications/{application_id}"))


@blp.post("/port-applications/<application_id>/decision")
@role_required("operator")
def decide_port_application(application_id: str) -> ResponseReturnValue:
    body = {"outcome": request.form.get("outcome", "")}
    if request.form.get("reason", "").strip():
        body["reason"] = request.form["reason"].strip()
    response = api().call("POST", f"{IDENTITY}/province-port-applications/{application_id}/decision", json=body)
    return outcome(response, "port.decided", url_for("operator.port_application", application_id=application_id),
                   lambda problem: port_application(application_id, problem, values=body))


@blp.get("/port-applications/<application_id>/form")
@role_required("operator")
def port_application_form(application_id: str) -> ResponseReturnValue:
    return download(api().call("GET", f"{IDENTITY}/province-port-applications/{application_id}/form"))


# --- recognition rounds -----------------------------------------------------------------------------
@blp.route("/rounds", methods=["GET", "POST"])
@role_required("operator")
def rounds() -> ResponseReturnValue:
    problem: Problem | None = None
    values: dict[str, str | list[str]] = {}
    if request.method == "POST":
        year = request.form.get("year", "").strip()
        values = {"year": year, "cut_off": request.form.get("cut_off", "").strip(),
                  "fields": request.form.getlist("fields")}
        body = {**values, "year": int(year) if year.isdigit() else year}
        response = api().call("POST", f"{REVIEW}/recognition-rounds", json=body)
        if response.ok:
            return done("rounds.opened", url_for("operator.round", round_id=response.json()["id"]))
        problem = Problem.of(response)
    page = api().get(f"{REVIEW}/recognition-rounds", {"per_page": 50})
    industries = api().get("/api/v1/filing/industry-fields", signed=False)["items"]
    return form_page("operator/rounds.html", problem, page=page, values=values, industries=industries)


@blp.get("/rounds/<round_id>")
@role_required("operator")
def round(round_id: str, problem: Problem | None = None, values: dict[str, str] | None = None) -> ResponseReturnValue:
    """The round (again, after a step the API refused: with its problem and what was typed)."""
    industries = industry_names(api().get("/api/v1/filing/industry-fields", signed=False)["items"])
    found = api().get(f"{REVIEW}/recognition-rounds/{round_id}")
    given = {f"benchmarks.{b['industry_code']}.{b['indicator']}": b["value"] or ""
             for b in found.get("benchmarks") or [] if b["source"] == "given"}
    products = {r["product_id"]: r for r in found.get("results") or []}
    return form_page("operator/round.html", problem, round=found, industries=industries, products=products,
                     indicators=api().get(f"{REVIEW}/recognition-indicators")["items"],
                     values={**given, **(values or {})})


def _given_benchmarks() -> dict[str, dict[str, str]]:
    """The benchmarks typed on the evaluation form (`benchmarks.<field>.<indicator>`); an empty
    box is not given (the evaluation derives that one)."""
    given: dict[str, dict[str, str]] = {}
    for name, value in request.form.items():
        parts = name.split(".")
        if len(parts) == 3 and parts[0] == "benchmarks" and value.strip():
            given.setdefault(parts[1], {})[parts[2]] = value.strip()
    return given


@blp.post("/rounds/<round_id>/<step>")
@role_required("operator")
def round_step(round_id: str, step: str) -> ResponseReturnValue:
    if step not in ("evaluation", "publication", "finalisation", "closure"):
        return round(round_id, Problem(404, type=PROBLEM_BASE + "no-such-step"))
    body: dict[str, object] = {}
    if step == "evaluation":
        body = {"benchmarks": _given_benchmarks()}
    elif step == "publication":
        body = {"notice_ends_on": request.form.get("notice_ends_on", "")}
    elif step == "closure":
        body = {"reason": request.form.get("reason", "")}
    typed = {name: value for name, value in request.form.items() if name.startswith("benchmarks.")}
    response = api().call("POST", f"{REVIEW}/recognition-rounds/{round_id}/{step}", json=body)
    return outcome(response, f"rounds.{step}_done", url_for("operator.round", round_id=round_id),
                   lambda problem: round(round_id, problem, typed))


@blp.post("/rounds/<round_id>/objections/<objection_id>/decision")
@role_required("operator")
def decide_objection(round_id: str, objection_id: str) -> ResponseReturnValue:
    """Uphold (the product leaves the list) or dismiss an objection, with the reason."""
    outcome_chosen = request.form.get("outcome", "")
    body: dict[str, object] = {"reason": request.form.get("reason", "")}
    if outcome_chosen in ("upheld", "dismissed"):
        body["upheld"] = outcome_chosen == "upheld"
    response = api().call("POST", f"{REVIEW}/recognition-rounds/{round_id}/objections/{objection_id}/decision",
                          json=body)
    return outcome(response, "rounds.objection_decided", url_for("operator.round", round_id=round_id),
                   lambda problem: round(round_id, problem))


@blp.get("/rounds/<round_id>/objections/<objection_id>/evidence/<evidence_id>")
@role_required("operator")
def evidence(round_id: str, objection_id: str, evidence_id: str) -> ResponseReturnValue:
    return download(api().call(
        "GET", f"{REVIEW}/recognition-rounds/{round_id}/objections/{objection_id}/evidence/{evidence_id}"))


# --- mail deliveries ----------------------------------------------------------------------------------
@blp.get("/deliveries")
@role_required("operator")
def deliveries() -> ResponseReturnValue:
    state = request.args.get("state", "failed")
    page = api().get(f"{NOTIFY}/deliveries", {"state": state, "to": request.args.get("to"), "per_page": 100})
    return form_page("operator/deliveries.html", page=page, state=state, to=request.args.get("to", ""))


@blp.post("/deliveries/<delivery_id>/retry")
@role_required("operator")
def retry(delivery_id: str) -> ResponseReturnValue:
    response = api().call("POST", f"{NOTIFY}/deliveries/{delivery_id}/retry")
    return outcome(response, "deliveries.retried", url_for("operator.deliveries"), _failed_deliveries_page)


def _failed_deliveries_page(problem: Problem) -> ResponseReturnValue:
    page = api().get(f"{NOTIFY}/deliveries", {"state": "failed", "per_page": 100})
    return form_page("operator/deliveries.html", problem, page=page, state="failed", to="")
