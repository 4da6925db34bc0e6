"""The portal's `next` target (after sign-in and after the language switch) never leads to another
site, however a browser would read it: property-tested with hypothesis against the way browsers
parse a Location (WHATWG URL: tabs and newlines dropped, leading controls stripped, backslash as
slash), and the known tricks one by one."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.access import safe_next

pytestmark = pytest.mark.unit

BASE = "https://portal.example/login"


def as_a_browser_reads(location: str) -> str:
    """The host a browser goes to for this Location from BASE (WHATWG's leniencies applied)."""
    cleaned = "".join(c for c in location if c not in "\t\n\r")
    cleaned = cleaned.lstrip("".join(map(chr, range(0x21)))).replace("\\", "/")
    return urlsplit(urljoin(BASE, cleaned)).netloc


@pytest.mark.parametrize("target", [
    "//evil.example", "/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/\\evil.example",
    "\\/evil.example", "https://evil.example/", "http:/evil.example", "javascript:alert(1)", " /\t/evil.example",
    "/\x00/evil.example", "/\u200b/evil.example", "/\u3000/evil.example", "", None, "enterprise/products",
])
def test_the_known_tricks_are_refused(target):
    assert safe_next(target) is None


@pytest.mark.parametrize("target", ["/", "/enterprise/products?page=2", "/verify?number=BA-2026-44-000001",
                                    "/province?province=440000#reports", "/%2F%2Fevil.example"])
def test_paths_of_this_site_are_kept(target):
    assert safe_next(target) == target
    assert as_a_browser_reads(target) == "portal.example"


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("/\\\t\n\r :.@?#%a\x00\x7f\u200b\u3000")) | st.characters(), max_size=24))
def test_whatever_it_is_given_it_never_leads_to_another_host(target):
    kept = safe_next(target)
    if kept is not None:
        assert kept == target and kept.startswith("/")
        assert as_a_browser_reads(kept) == "portal.example", kept


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Zs", "Zl", "Zp", "Cs"),
                                      blacklist_characters="\\/#?"), max_size=20))
def test_an_ordinary_path_is_kept(segment):
    assert safe_next("/enterprise/" + segment) == "/enterprise/" + segment
