"""What changed between two snapshots of the same case: a resubmission after a return (or an
organisation asking again after a rejection) beside the one the reviewers decided on.

Field by field, by dotted path (`legal_representative.name`, `economic_data.0.sales_revenue`),
the same paths a decision's reasons name, so a reason and the change it asked for sit together.
An organisation's documents are compared by kind and content (a new scan of the licence is a
change, a new id for the same bytes is not).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Not what was submitted but when and under which number: they always differ.
NOT_COMPARED = frozenset({"organisation_id", "product_id", "requested_at", "submitted_at", "submission"})


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "before": self.before, "after": self.after}


def _documents_by_kind(documents: Any) -> dict[str, Any]:
    """An organisation's documents as `kind → sha256`: ids and upload times are not content."""
    if not isinstance(documents, list):
        return {}
    return {str(d.get("kind")): d.get("sha256") for d in documents if isinstance(d, Mapping)}


def _flatten(value: Any, prefix: str, into: dict[str, Any]) -> dict[str, Any]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else str(key), into)
    elif isinstance(value, list) and any(isinstance(item, (Mapping, list)) for item in value):
        for index, item in enumerate(value):
            _flatten(item, f"{prefix}.{index}", into)
    else:
        into[prefix] = value  # a scalar, or a list of scalars (variants) compared whole
    return into


def comparable(snapshot: Mapping[str, Any], kind: str) -> dict[str, Any]:
    """The snapshot as `dotted path → value`, without what always differs."""
    fields = {key: value for key, value in snapshot.items() if key not in NOT_COMPARED}
    if kind == "organisation" and "documents" in fields:
        fields["documents"] = _documents_by_kind(fields["documents"])
    return _flatten(fields, "", {})


def changes_between(before: Mapping[str, Any], after: Mapping[str, Any], kind: str) -> list[FieldChange]:
    """Every field whose value differs, was added or was removed (None on the missing side), in
    the order of the newer snapshot, then what it no longer has."""
    old, new = comparable(before, kind), comparable(after, kind)
    paths = [*new, *(path for path in old if path not in new)]
    return [FieldChange(path, old.get(path), new.get(path)) for path in paths if old.get(path) != new.get(path)]
