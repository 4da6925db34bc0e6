"""The refresh-token rules: what a presented refresh token means."""

import datetime as dt

import pytest

from identity.domain.refresh import StoredRefresh, verdict

pytestmark = pytest.mark.unit
NOW = dt.datetime(2026, 11, 27, 12, 0)
LATER = NOW + dt.timedelta(days=1)


def test_an_unused_unexpired_token_is_good():
    assert verdict(StoredRefresh(LATER, None, None), NOW) == "ok"


def test_a_token_nobody_issued_is_unknown():
    assert verdict(None, NOW) == "unknown"


def test_a_spent_token_presented_again_is_a_reuse():
    assert verdict(StoredRefresh(LATER, NOW, None), NOW) == "reused"


def test_a_revoked_token_is_revoked_even_if_spent():
    assert verdict(StoredRefresh(LATER, NOW, NOW), NOW) == "revoked"


def test_a_token_past_its_expiry_is_expired():
    assert verdict(StoredRefresh(NOW, None, None), NOW) == "expired"
