"""Organisation names compared as the same name however they are written.

Registers and people write one company's name in several ways: full- or half-width brackets and
punctuation (`（深圳）` / `(深圳)`), spaces, Latin letters in either case. Those differences do not
make another company, so they are folded away; every other character (each Han character, digit
and letter) is kept, so two names that differ in any of those never compare equal.
"""

from __future__ import annotations

import unicodedata

# Brackets NFKC leaves as they are (CJK lenticular and tortoise-shell forms): one bracket for all.
_BRACKETS = str.maketrans({"【": "(", "】": ")", "〔": "(", "〕": ")", "〖": "(", "〗": ")", "［": "(", "］": ")",
                           "[": "(", "]": ")", "{": "(", "}": ")", "〈": "(", "〉": ")", "《": "(", "》": ")"})


def normalise_name(name: str) -> str:
    """The name without what differs in writing only: width (NFKC), spaces, letter case, the kind
    of bracket; other punctuation (`·`, `、`, `.`, `,`, quotes…) dropped."""
    folded = unicodedata.normalize("NFKC", name or "").translate(_BRACKETS).casefold()
    return "".join(ch for ch in folded
                   if ch in "()" or not (ch.isspace() or unicodedata.category(ch).startswith(("P", "Z", "C"))))


def same_name(first: str, second: str) -> bool:
    """Whether two written names are the same name (and not empty)."""
    one = normalise_name(first)
    return bool(one) and one == normalise_name(second)


def normalise_uscc(code: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", code or "").split()).upper()
