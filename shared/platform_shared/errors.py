"""Domain errors: why a use case refused, in the domain's words, with no HTTP in sight.

Handlers raise these; the web layer maps each class to its problem response in one place
(`platform_shared.web.problems.PROBLEM_STATUS`), and a consumer treats them as the event not
fitting. The `slug` names the kind of problem (the last part of the problem's `type` URI,
which clients rely on); without one the web layer derives it from the status, as before.

    raise Conflict("Only a draft can be changed.", slug="product-not-editable")
    raise RuleBroken({"patents.0.number": ["not a valid patent"]}, "The product cannot be submitted yet.")
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


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
            {field: [str(m) for m in messages] for field, messages in errors.items()} if errors else None)
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
    `quota-exceeded`): the problem names the quota, its limit, what is used and whose it is, in
    its `quota` member, so a client can word it in its own language."""

    def __init__(self, quota: str, *, limit: int, used: int, owner: str) -> None:
        super().__init__(f"The quota {quota} of your {owner} is {limit}, and {used} of it is used: this would "
                         "pass it. Remove something first, or ask an operator for a larger quota.",
                         slug="quota-exceeded", title="Quota exceeded")
        self.quota, self.limit, self.used, self.owner = quota, limit, used, owner

    def described(self) -> dict[str, str | int]:
        return {"name": self.quota, "limit": self.limit, "used": self.used, "owner": self.owner}


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
