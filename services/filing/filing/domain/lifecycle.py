"""A product's lifecycle: which action takes it from which status to which.

    draft ──submit──▶ submitted ──approve──▶ filed ──recognise──▶ recognised
      ▲                 │  │  └──reject──▶ rejected          │  (cancel / revoke from either)
      ├────withdraw─────┘  └──return──▶ returned ──submit──▶ submitted
      └──────────────withdraw──────────────┘
                                                   filed/recognised ──cancel──▶ cancelled
                                                   filed/recognised ──revoke──▶ revoked

Recognition is yearly, so a recognised product may be recognised again (recognised ──recognise──▶
recognised). `rejected`, `cancelled` and `revoked` are final. An action from a status it does not leave is
refused (`TransitionRefused`, a 409 at the API).
"""

from __future__ import annotations

from platform_shared.errors import Conflict

STATUSES = ("draft", "submitted", "returned", "filed", "rejected", "recognised", "cancelled", "revoked")
FINAL = frozenset({"rejected", "cancelled", "revoked"})
# Statuses in which the product's brand and model are taken platform-wide: under review or on record.
CLAIMING = frozenset({"submitted", "returned", "filed", "recognised"})
EDITABLE = frozenset({"draft", "returned"})
ON_RECORD = frozenset({"filed", "recognised"})

TRANSITIONS: dict[str, dict[str, str]] = {
    "submit": {"draft": "submitted", "returned": "submitted"},
    # A returned product may be taken out of review too, so it stops holding its brand and model.
    "withdraw": {"submitted": "draft", "returned": "draft"},
    "approve": {"submitted": "filed"},
    "reject": {"submitted": "rejected"},
    "return": {"submitted": "returned"},
    "recognise": {"filed": "recognised", "recognised": "recognised"},
    "cancel": {"filed": "cancelled", "recognised": "cancelled"},
    "revoke": {"filed": "revoked", "recognised": "revoked"},
}

_ALLOWED_WORDING = {
    "submit": "a draft or a returned product",
    "withdraw": "a submitted product before its decision, or a returned one,",
    "approve": "a submitted product",
    "reject": "a submitted product",
    "return": "a submitted product",
    "recognise": "a filed (or recognised) product",
    "cancel": "a filed (or recognised) product",
    "revoke": "a filed (or recognised) product",
}


class TransitionRefused(Conflict):
    """An action from a status it does not leave: a conflict with the product's state."""

    def __init__(self, action: str, status: str) -> None:
        self.action = action
        self.status = status
        super().__init__(f"Only {_ALLOWED_WORDING[action]} can be {_PAST[action]}; this product is {status}.",
                         slug="wrong-status")


_PAST = {"submit": "submitted", "withdraw": "withdrawn", "approve": "approved", "reject": "rejected",
         "return": "returned", "recognise": "recognised", "cancel": "cancelled", "revoke": "revoked"}


# The event each action publishes: `filing.product.<this>`.
EVENT_OF_ACTION = {"submit": "submitted", "withdraw": "withdrawn", "approve": "filed", "reject": "rejected",
                   "return": "returned", "recognise": "recognised", "cancel": "cancelled", "revoke": "revoked"}


def next_status(status: str, action: str) -> str:
    """The status `action` leads to from `status`; `TransitionRefused` if it does not apply."""
    try:
        return TRANSITIONS[action][status]
    except KeyError:
        raise TransitionRefused(action, status) from None
