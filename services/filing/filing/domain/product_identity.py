"""When two filings are the same product: one model is one product, whoever files it.

Brand and model are compared after NFKC (full-width letters and digits become half-width),
case folding, and dropping whitespace and punctuation — so `HUAWEI Mate-60 Pro`,
`huawei mate60pro` and `ＨＵＡＷＥＩ　Ｍａｔｅ６０ Ｐｒｏ` are the same product. Symbols that
carry meaning in a model (`+`, `&`) are kept: `X+` and `X` are different models.
"""

from __future__ import annotations

import unicodedata

_SEPARATOR = "\u241f"  # dropped by normalise_part, so it cannot survive in either part: parts never run together
_KEPT_PUNCTUATION = frozenset("&")  # punctuation to Unicode (Po), but meaningful in a model, like `+` (Sm)


def normalise_part(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(c for c in folded if c != _SEPARATOR and (
        c in _KEPT_PUNCTUATION or not (c.isspace() or unicodedata.category(c).startswith("P"))))


def model_key(brand: str, model: str) -> str:
    """The product's identity across the platform: normalised brand and model."""
    return f"{normalise_part(brand)}{_SEPARATOR}{normalise_part(model)}"


def normalise_variants(variants: list[str]) -> list[str]:
    """Variants as given, without blanks and without repeats (compared like models)."""
    seen: set[str] = set()
    kept = []
    for variant in variants:
        value = (variant or "").strip()
        key = normalise_part(value)
        if key and key not in seen:
            seen.add(key)
            kept.append(value)
    return kept
