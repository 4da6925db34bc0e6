"""An audit entry's detail as the operator's audit page shows it: keys and codes in words."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from portal.app import create_app
from portal.config import PortalSettings
from portal.views.console import detail_text

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def app():
    settings = PortalSettings(api_url="http://127.0.0.1:9", api_timeout=1, session_keys=(Fernet.generate_key(),),
                              cookie_secure=False, session_hours=1, trusted_proxy_hops=0)
    return create_app(settings)


@pytest.mark.parametrize(("language", "expected"), [
    ("zh", "邀请：是；省份：广东省；角色：审核人员；产品数：2；单位 ID：—"),
    ("en", "invited: Yes; province: 广东省; role: Reviewer; products: 2; organisation ID: —"),
])
def test_a_detail_is_shown_in_words(app, language, expected):
    detail = {"role": "reviewer", "province_code": "440000", "invited": True, "products": ["a", "b"],
              "organisation_id": None}
    with app.test_request_context(headers={"Cookie": f"lang={language}"}):
        shown = detail_text(detail)
    joiner = "；" if language == "zh" else "; "
    assert sorted(shown.split(joiner)) == sorted(expected.split(joiner))
