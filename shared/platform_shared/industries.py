"""The patent-intensive industry classification (2019) as data: the fields products are filed
under, benchmarked in and counted by.

The list is a JSON file, not code, so a later edition replaces it without a release:
`INDUSTRY_CLASSIFICATION_FILE` names another file of the same shape. The field never restricts
who may file (the notice); it only groups products.
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_FILE = Path(__file__).parent / "data" / "industry_fields_2019.json"


@dataclass(frozen=True)
class IndustryField:
    code: str
    name: str
    name_en: str


@dataclass(frozen=True)
class IndustryClassification:
    edition: str
    fields: dict[str, IndustryField]

    def __contains__(self, code: object) -> bool:
        return code in self.fields

    def name_of(self, code: str) -> str:
        field = self.fields.get(code)
        return field.name if field else code


def load_classification(path: Path) -> IndustryClassification:
    document = json.loads(Path(path).read_text("utf-8"))
    fields = {str(f["code"]): IndustryField(str(f["code"]), f["name"], f.get("name_en", f["name"]))
              for f in document["fields"]}
    if not fields:
        raise ValueError(f"{path}: the classification lists no fields")
    return IndustryClassification(document.get("edition", ""), fields)


@functools.cache
def classification() -> IndustryClassification:
    """The classification in force: `INDUSTRY_CLASSIFICATION_FILE`, or the 2019 edition shipped here."""
    return load_classification(Path(os.environ.get("INDUSTRY_CLASSIFICATION_FILE") or DEFAULT_FILE))
