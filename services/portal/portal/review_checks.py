"""What a reviewer checks of an organisation, in words: its data beside the licence (the kind
declared beside the USCC's category, the ID number masked unless revealed), and what changed
since the case's previous decision. Codes become words here, never on the page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from platform_shared.uscc import kind_fits_category, uscc_category
from portal.i18n import translate, translate_or
from portal.labels import city_label, province_label, status_label

ID_NUMBER = "legal_representative.id_number"


@dataclass(frozen=True)
class CheckRow:
    """One line of what to check: the field's dotted path (reasons name it), its value in words,
    and a note beside it (the USCC's category); `flagged` when the note contradicts the value."""

    path: str
    value: str
    note: str = ""
    flagged: bool = False


def category_words(uscc: str | None) -> str:
    category = uscc_category(uscc)
    if category is None:
        return translate("review.category_unknown")
    return translate("review.category", name=translate_or(f"uscc_category.{category}", category), code=category)


def organisation_rows(snapshot: Mapping[str, Any], revealed_id_number: str | None = None) -> list[CheckRow]:
    """The organisation as submitted, in the order a reviewer reads the licence. A snapshot from
    before the request carried the representative and contact shows a dash there."""
    representative = snapshot.get("legal_representative") or {}
    contact = snapshot.get("contact") or {}
    kind, uscc = snapshot.get("kind"), snapshot.get("uscc")
    fits = kind_fits_category(kind, uscc)
    return [
        CheckRow("name", _text(snapshot.get("name"))),
        CheckRow("uscc", _text(uscc), translate("review.uscc_category", category=category_words(uscc))),
        CheckRow("kind", status_label("kind", kind),
                 translate("review.kind_fits" if fits else "review.kind_mismatch", category=category_words(uscc)),
                 flagged=not fits),
        CheckRow("province_code", province_label(snapshot.get("province_code"))),
        CheckRow("city_code", city_label(snapshot.get("city_code"))),
        CheckRow("address", _text(snapshot.get("address"))),
        CheckRow("legal_representative.name", _text(representative.get("name"))),
        CheckRow(ID_NUMBER, revealed_id_number or _text(representative.get("id_number_masked"))),
        CheckRow("contact.name", _text(contact.get("name"))),
        CheckRow("contact.phone", _text(contact.get("phone"))),
        CheckRow("contact.email", _text(contact.get("email"))),
    ]


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "—"
    return str(value)


def shown(path: str, value: Any, side: str = "after") -> str:
    """A value of a change in words: kinds, provinces and cities named; a document as the
    earlier or the new file (its digest says nothing to a person); the masked ID number as is."""
    if path.startswith("documents."):
        return translate("review.document_old" if side == "before" else "review.document_new") if value else "—"
    if path == "kind":
        return status_label("kind", value) if value else "—"
    if path == "province_code":
        return province_label(value) if value else "—"
    if path == "city_code":
        return city_label(value)
    if path == "materials" and isinstance(value, list):  # an amendment's: the materials' kinds
        return "、".join(status_label("material", kind) for kind in value) or "—"
    return _text(value)


def changes_shown(since: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The changes since the previous task, each with the previous decision's reasons about
    that field beside it (a reason about a field's part, `economic_data.0`, goes with its parts)."""
    if not since:
        return []
    reasons = since.get("reasons") or []
    rows = []
    for change in since.get("changes") or []:
        path = str(change["field"]).replace("legal_representative.id_number_masked", ID_NUMBER)
        why = [r["message"] for r in reasons if r["field"] and (path + ".").startswith(r["field"] + ".")]
        rows.append({"path": path, "before": shown(path, change.get("before"), "before"),
                     "after": shown(path, change.get("after")), "reasons": why})
    return rows
