"""Domain errors: why a use case refused, in the domain's words, with no HTTP in sight.

Handlers raise these; the web layer maps each class to its problem response in one place
(`platform_shared.web.problems.PROBLEM_STATUS`), and a consumer treats them as the event not
fitting. The `slug` names the kind of problem (the last part of the problem's `type` URI,
which clients rely on); without one the web layer derives it from the status, as before.

    raise Conflict("Only a draft can be changed.", slug="product-not-editable")
    raise RuleBroken({"patents.0.number": ["not a valid patent"]}, "The product cannot be submitted yet.")

A message may be a `Rule`: still the text an API client reads, and also which rule it is and its
values, for a client that says it in its own words (the portal's catalogues, in the reader's
language). A problem response carries them as `rules` (per field) and `params` (of the detail).

    raise RuleBroken({"password": [Rule("Use at least 10 characters.", "password.too_short", min=10)]})
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class Rule(str):
    """A message that also names its rule (`code`, dotted: `password.too_short`) and the values it
    mentions (`params`), so that a client can say it in another language without reading English."""

    code: str
    params: dict[str, str | int]

    def __new__(cls, text: str, code: str, **params: str | int) -> Rule:
        message = super().__new__(cls, text)
        message.code = code
        message.params = dict(params)
        return message

    def described(self) -> dict[str, str | int]:
        return {"rule": self.code, **self.params}


def rule_of(message: object) -> dict[str, str | int] | None:
    return message.described() if isinstance(message, Rule) else None


class DomainError(Exception):
    """A refusal a caller can act on. `errors` maps a field's dotted path to its messages;
    `existing` points to the caller's own resource a conflict is with; `retry_after` (seconds)
    says when trying again may succeed."""

    def __init__(self, detail: str, *, slug: str | None = None,
                 errors: Mapping[str, Sequence[str]] | None = None, existing: str | None = None,
                 retry_after: int | None = None, title: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.slug = slug
        self.errors: dict[str, list[str]] | None = (
            {field: list(messages) for field, messages in errors.items()} if errors else None)
        self.existing = existing
        self.retry_after = retry_after
        self.title = title


class InvalidInput(DomainError):
    """The input is malformed in a way its schema could not tell (400)."""


class Unauthenticated(DomainError):
    """No caller could be established: no, bad or expired credentials (401)."""


class Forbidden(DomainError):
    """The caller is known, but its role or scope does not cover this (403)."""


class NotFound(DomainError):
    """No such thing, or none the caller may know of (404)."""


class Conflict(DomainError):
    """The action does not fit the current state: a duplicate, the wrong status, a race (409)."""


class QuotaExceeded(Conflict):
    """What an owner (an organisation, or an account without one) keeps would pass a quota (409,
    `quota-exceeded`): the detail is a `Rule` (`quota.exceeded`) whose values — the problem's
    `params` — name the quota, its limit, what is used and whose it is."""

    def __init__(self, quota: str, *, limit: int, used: int, owner: str) -> None:
        text = (f"The quota {quota} of your {owner} is {limit}, and {used} of it is used: this would pass it. "
                "Remove something first, or ask an operator for a larger quota.")
        super().__init__(Rule(text, "quota.exceeded", quota=quota, limit=limit, used=used, owner=owner),
                         slug="quota-exceeded", title="Quota exceeded")
        self.quota, self.limit, self.used, self.owner = quota, limit, used, owner


class Gone(DomainError):
    """It existed, and is no longer usable: a spent or expired link (410)."""


class TooLarge(DomainError):
    """More than the platform takes (413)."""


class UnsupportedMedia(DomainError):
    """Content of a kind the platform does not take, judged by its bytes (415)."""


class RuleBroken(DomainError):
    """Well-formed, but a rule of the domain refuses it; `errors` names each field (422)."""

    def __init__(self, errors: Mapping[str, Sequence[str]], detail: str | None = None, *,
                 slug: str | None = None, existing: str | None = None) -> None:
        texts = [str(message) for messages in errors.values() for message in messages]
        super().__init__(detail or " ".join(texts), slug=slug, errors=errors, existing=existing)


class TooManyRequests(DomainError):
    """Too many attempts; `retry_after` says when to try again (429)."""


class Unavailable(DomainError):
    """Something the action needs (a registry, a store) cannot answer now; nothing changed (503)."""


class DuplicateRecord(Exception):
    """The store refused a write that a unique key forbids: another transaction got there first.

    Raised by a unit of work when its transaction ends that way, so a handler can turn the race
    into the same `Conflict` that its own check would have given.
    """
