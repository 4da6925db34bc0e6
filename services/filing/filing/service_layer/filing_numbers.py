"""Giving a filed product its number: the next of its province's sequence for the year.

The sequence is taken in the decision's transaction (`FilingNumberRepository.next`): two
decisions in the same province never read the same number, and a rolled-back decision's number
is simply never committed (numbers are unique, not gap-free).
"""

from __future__ import annotations

from filing.domain.filing_numbers import format_filing_number
from filing.service_layer.unit_of_work import FilingUnitOfWork


def next_filing_number(uow: FilingUnitOfWork, year: int, province_code: str) -> str:
    return format_filing_number(year, province_code, uow.filing_numbers.next(year, province_code[:2]))
