"""Giving a filed product its number: the next of its province's sequence for the year.

The sequence row is created if missing (insert-or-ignore) and then incremented by an UPDATE in
the decision's transaction, which locks the row on PostgreSQL until commit: two decisions in
the same province never read the same number, and a rolled-back decision's number is simply
never committed (numbers are unique, not gap-free).
"""

from __future__ import annotations

from filing.adapters.orm import FilingSequence
from filing.domain.filing_numbers import format_filing_number


def next_filing_number(year: int, province_code: str) -> str:
    prefix = province_code[:2]
    FilingSequence.insert(year=year, province_prefix=prefix, last=0).on_conflict_ignore().execute()
    key = (FilingSequence.year == year) & (FilingSequence.province_prefix == prefix)
    FilingSequence.update(last=FilingSequence.last + 1).where(key).execute()
    return format_filing_number(year, province_code, FilingSequence.get(key).last)
