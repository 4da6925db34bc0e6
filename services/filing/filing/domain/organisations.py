"""Who may file: only members of an organisation that review has verified; and what filing
knows of an organisation (only from identity's events)."""

from __future__ import annotations

from dataclasses import dataclass


def may_file(status: str | None) -> bool:
    return status == "verified"


@dataclass
class Organisation:
    """Filing's view of an organisation; `aggregate_version` is the newest identity event applied."""

    organisation_id: str
    province_code: str
    status: str
    aggregate_version: int
    name: str = ""
    uscc: str | None = None
    # The names it had before identity approved a change of name (oldest first): a patent
    # registered under a former name is still the organisation's.
    former_names: tuple[str, ...] = ()

    def renamed(self, name: str) -> tuple[str, ...]:
        """Its former names once it is called `name` (the current one kept when it changes)."""
        if not self.name or name == self.name or self.name in self.former_names:
            return self.former_names
        return (*self.former_names, self.name)
