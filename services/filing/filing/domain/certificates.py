"""What a filing certificate (备案证明) says: the content a renderer sets on the page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# The public verification PAGE (the portal's, in the reader's language), not the JSON API: a
# phone that scans the QR code, or a buyer who follows the link, gets words, not raw data.
VERIFICATION_PATH = "/verify?number={filing_number}"


@dataclass(frozen=True)
class CertificatePatent:
    number: str  # normalised application number, e.g. "202010566088.9"
    kind: str  # "invention" | "utility_model" | "design"
    title: str  # may be ""
    relation: str  # "owner" | "licensee"


@dataclass(frozen=True)
class CertificateContent:
    filing_number: str  # e.g. "BA-2026-44-000123"
    product_name: str
    brand: str
    model: str
    variants: tuple[str, ...]  # colours, sizes, configurations
    industry: str  # e.g. "01 信息通信技术制造业"
    organisation_name: str
    organisation_uscc: str | None
    patents: tuple[CertificatePatent, ...]
    filed_on: dt.date
    verification_url: str  # absolute URL of the public verification of this filing number
    # The edition of the declared state it shows (1 as filed, + 1 per approved amendment) and the
    # day the last amendment was approved (None for the first edition).
    edition: int = 1
    amended_on: dt.date | None = None


def edition_words(edition: int, amended_on: dt.date | None) -> str:
    """The edition line of the certificate: "第2版（2027年3月1日变更） / version 2"."""
    if amended_on is None:
        return f"第{edition}版 / version {edition}"
    return (f"第{edition}版（{amended_on.year}年{amended_on.month}月{amended_on.day}日变更） / version {edition}, "
            f"amended on {amended_on.isoformat()}")


def verification_url(public_url: str, filing_number: str) -> str:
    return public_url.rstrip("/") + VERIFICATION_PATH.format(filing_number=filing_number)
