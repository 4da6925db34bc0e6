"""Quotas: how much one owner — an organisation, or an account that belongs to none — may keep
(files and their bytes, open objections, drafts), so that no signed-in user fills the platform's
disks or its reviewers' queues without limit.

    quota = quota_of("material_bytes", setting("QUOTA_MATERIAL_BYTES", str(2 * GiB)))
    with uow:
        uow.organisations.lock(organisation_id)   # the owner's row: two uploads cannot both fit
        quota.ensure_room(used=uow.materials.usage(organisation_id).bytes, adding=stored.size,
                          owner="organisation")   # QuotaExceeded (409, quota-exceeded) otherwise

A limit of 0 turns a quota off. The check belongs in the transaction that inserts, after the
owner's row is locked (`peewee_queries.lock_row`: `SELECT … FOR UPDATE` on PostgreSQL; SQLite's
transactions hold its one write lock from BEGIN), or two requests could each see room for one
more and both insert.
"""

from __future__ import annotations

from dataclasses import dataclass

from platform_shared.errors import QuotaExceeded

GiB = 1024 * 1024 * 1024
MiB = 1024 * 1024


@dataclass(frozen=True)
class Quota:
    """The most of something (`name`, as the problem names it) an owner may have; 0: no limit."""

    name: str
    limit: int

    def ensure_room(self, *, used: int, adding: int = 1, owner: str = "organisation") -> None:
        """`QuotaExceeded` if `used` plus `adding` would pass the limit."""
        if self.limit and used + adding > self.limit:
            raise QuotaExceeded(self.name, limit=self.limit, used=used, owner=owner)


@dataclass(frozen=True)
class Usage:
    """What an owner keeps of one kind of file: how many, and their bytes."""

    files: int
    bytes: int


@dataclass(frozen=True)
class StorageQuota:
    """The files of one kind an owner keeps: their number and their bytes, each bounded."""

    files: Quota
    bytes: Quota

    def ensure_room(self, used: Usage, size: int, *, owner: str = "organisation") -> None:
        """Room for one more file of `size` bytes beside `used`; `QuotaExceeded` otherwise."""
        self.files.ensure_room(used=used.files, adding=1, owner=owner)
        self.bytes.ensure_room(used=used.bytes, adding=size, owner=owner)


def quota_of(name: str, value: str) -> Quota:
    """The quota `name` from its setting's text (a whole number; 0: none), read by the service as
    `quota_of("drafts", setting("QUOTA_DRAFTS", "5000"))` — each name written out, so that the
    manifests' test sees every setting the code reads."""
    limit = int(value.strip())
    if limit < 0:
        raise ValueError(f"the quota {name} must be 0 (no quota) or more, not {value}")
    return Quota(name, limit)


@dataclass(frozen=True)
class Owner:
    """Who a quota counts against: `kind` organisation or account, and its id; `key` as stored
    beside what it owns (`organisation:<id>`)."""

    kind: str
    id: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


def owner_of(organisation_id: str | None, account_id: str) -> Owner:
    """The caller's organisation, or the caller's account where it has none (reviewers,
    operators, province admins): the members of one organisation share its quotas."""
    return Owner("organisation", organisation_id) if organisation_id else Owner("account", account_id)
