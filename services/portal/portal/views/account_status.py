"""Deactivating and reactivating an account from a list of accounts (the operator's staff page,
an organisation admin's members page): one form per row with the reason, sent to identity."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, request
from flask.typing import ResponseReturnValue

from portal.api import Problem
from portal.views import api, done

IDENTITY = "/api/v1/identity"
CHANGES = ("deactivation", "reactivation")


def change_status(account_id: str, change: str, back: str,
                  again: Callable[[Problem, dict[str, str]], ResponseReturnValue]) -> ResponseReturnValue:
    """Send the deactivation or reactivation of `account_id` with the form's reason; `back` (the
    list) with a message when it is done, else the list `again` with the problem and the values."""
    if change not in CHANGES:
        abort(404)
    values = {"account_id": account_id, "change": change, "reason": request.form.get("reason", "").strip()}
    response = api().call("POST", f"{IDENTITY}/accounts/{account_id}/{change}", json={"reason": values["reason"]})
    if response.ok:
        return done(f"accounts.{change}_done", back, email=response.json().get("email", ""))
    return again(Problem.of(response), values)
