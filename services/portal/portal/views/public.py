"""Pages for everyone: home, sign-in and out, language, registration, password setup, the
public check of a filing number, and a provincial office's application for its port."""

from __future__ import annotations

from flask import Blueprint, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portal import i18n
from portal.access import current_user, home_of, role_required, safe_next, signed_in
from portal.api import Problem
from portal.forms import flatten, registration_body
from portal.problem_words import worded
from portal.views import api, done, download, form_page, outcome

blp = Blueprint("public", __name__)
IDENTITY = "/api/v1/identity"
NOTIFY = "/api/v1/notify"
KINDS = ("enterprise", "university_institute", "rd_institution", "social_organisation")


@blp.get("/")
def home() -> ResponseReturnValue:
    return render_template("home.html")


@blp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    target = safe_next(request.values.get("next"))
    if request.method == "GET":
        if current_user():
            return redirect(target or home_of(current_user()))
        return form_page("login.html", next=target, values={})
    problem = api().sign_in(request.form.get("email", "").strip(), request.form.get("password", ""))
    if problem is not None:
        return form_page("login.html", problem, next=target, values={"email": request.form.get("email", "")})
    return redirect(target or home_of(current_user()))


@blp.route("/password-reset", methods=["GET", "POST"])
def password_reset() -> ResponseReturnValue:
    """A forgotten password: the address is mailed a link, if it has an account (the page says the
    same either way)."""
    if request.method == "GET":
        return form_page("password_reset.html", values={})
    email = request.form.get("email", "").strip()
    response = api().call("POST", f"{IDENTITY}/password-resets", json={"email": email}, signed=False)
    return outcome(response, "reset.mailed", url_for("public.login"),
                   lambda problem: form_page("password_reset.html", problem, values={"email": email}))


@blp.route("/account/password", methods=["GET", "POST"])
@role_required()
def change_password() -> ResponseReturnValue:
    """The signed-in person changes their password (any role); every other sign-in ends."""
    if request.method == "GET":
        return form_page("change_password.html")
    if request.form.get("new_password", "") != request.form.get("new_password_again", ""):
        return form_page("change_password.html", Problem(
            422, errors={"new_password_again": ["mismatch"]},
            rules={"new_password_again": [{"rule": "password.mismatch"}]}))
    response = api().call("PUT", f"{IDENTITY}/me/password", json={
        "current_password": request.form.get("current_password", ""),
        "new_password": request.form.get("new_password", "")})
    if not response.ok:
        return form_page("change_password.html", Problem.of(response))
    api().keep_renewed(response.json())
    return done("change.done", home_of(signed_in()))


@blp.route("/account/mail", methods=["GET", "POST"])
@role_required()
def mail_preferences() -> ResponseReturnValue:
    """The signed-in person's mail settings: the mails' language, and for a reviewer a mail for
    each new review task (notify's preferences)."""
    reviewer = signed_in()["role"] == "reviewer"
    if request.method == "POST":
        body: dict[str, object] = {"language": request.form.get("language", "")}
        if reviewer:
            body["new_review_tasks"] = request.form.get("new_review_tasks") == "true"
        response = api().call("PUT", f"{NOTIFY}/preferences", json=body)
        if response.ok:
            return done("mail_settings.saved", url_for("public.mail_preferences"))
        return form_page("mail_preferences.html", Problem.of(response), values=dict(request.form), reviewer=reviewer)
    chosen = api().get(f"{NOTIFY}/preferences")
    values = {"language": chosen.get("language", "zh"),
              "new_review_tasks": "true" if chosen.get("new_review_tasks") else ""}
    return form_page("mail_preferences.html", values=values, reviewer=reviewer)


@blp.post("/logout")
def logout() -> ResponseReturnValue:
    api().sign_out()
    return done("auth.signed_out_done", url_for("public.home"))


@blp.get("/language/<language>")
def language(language: str) -> ResponseReturnValue:
    response = make_response(redirect(safe_next(request.args.get("next")) or url_for("public.home")))
    if language in i18n.LANGUAGES:
        response.set_cookie(i18n.COOKIE, language, max_age=365 * 86400, samesite="Lax", path="/")
    return response


@blp.route("/register", methods=["GET", "POST"])
def register() -> ResponseReturnValue:
    if request.method == "GET":
        return form_page("register.html", values={"kind": "enterprise"}, kinds=KINDS)
    body = registration_body(request.form)
    response = api().call("POST", f"{IDENTITY}/organisations", json=body, signed=False)
    values = flatten(body)
    values.pop("account.password", None)
    if not response.ok:
        return form_page("register.html", Problem.of(response), values=values, kinds=KINDS)
    # identity answers alike whether or not the address had an account; only the new account's
    # own password signs in. Otherwise its holder was mailed: say so without saying more.
    if api().sign_in(body["account"]["email"], body["account"]["password"]) is not None:
        return done("register.check_mail", url_for("public.login"))
    return done("register.done", url_for("enterprise.organisation"))


@blp.route("/password-setup", methods=["GET", "POST"])
def password_setup() -> ResponseReturnValue:
    if request.method == "GET":
        return form_page("password_setup.html")
    if request.form.get("password") != request.form.get("password_again"):
        problem = Problem(422, errors={"password_again": ["mismatch"]},
                          rules={"password_again": [{"rule": "password.mismatch"}]})
        return form_page("password_setup.html", problem, token=request.form.get("token", ""))
    response = api().call("POST", f"{IDENTITY}/password-setup", signed=False,
                          json={"token": request.form.get("token", "").strip(),
                                "password": request.form.get("password", "")})
    return outcome(response, "password.done", url_for("public.login"),
                   lambda problem: form_page("password_setup.html", problem, token=request.form.get("token", "")))


@blp.get("/verify")
def verify() -> ResponseReturnValue:
    number = request.args.get("number", "").strip()
    filing: dict[str, object] | None = None
    problem: Problem | None = None
    if number:
        response = api().call("GET", f"/api/v1/filing/public/filings/{number}", signed=False)
        if response.ok:
            filing = response.json()
        else:
            problem = Problem.of(response)
    return render_template("verify.html", number=number, filing=filing, problem=worded(problem) if problem else None)


PORT_FIELDS = ("province_code", "office_name", "contact.name", "contact.title", "contact.phone", "contact.email")


@blp.route("/province-port/apply", methods=["GET", "POST"])
def port_application() -> ResponseReturnValue:
    if request.method == "GET":
        return form_page("port_apply.html", values={})
    form = {name: request.form.get(name, "").strip() for name in PORT_FIELDS}
    upload = request.files.get("form")
    files = {"form": (upload.filename or "form", upload.read(), upload.mimetype)} if upload and upload.filename \
        else {}
    response = api().call("POST", f"{IDENTITY}/province-port-applications", form=form, files=files, signed=False)
    return outcome(response, "port.applied", url_for("public.home"),
                   lambda problem: form_page("port_apply.html", problem, values=form))


@blp.post("/province-port/form.pdf")
def port_form() -> ResponseReturnValue:
    """The application form (attachment 3) prefilled with what the office typed on the apply
    page (its button posts the same form here); the page again with what is missing otherwise."""
    typed = {name: request.form.get(name, "").strip() for name in PORT_FIELDS}
    response = api().call("GET", f"{IDENTITY}/province-port-application-form.pdf", signed=False,
                          params={name: value for name, value in typed.items() if value})
    if not response.ok:
        return form_page("port_apply.html", Problem.of(response), values=typed)
    return download(response)
