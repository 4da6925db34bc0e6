"""The operation manual (portal.manual): the Chinese and English texts say the same steps with
the same screenshots, the screenshots are there and small, the pages and the one PDF are served
by the portal, and the PDF carries every chapter, its pictures and only embedded fonts."""

from __future__ import annotations

import io

import pypdf
import pytest
from cryptography.fernet import Fernet
from PIL import Image

from platform_shared.pdf import PdfFont
from portal.app import create_app
from portal.config import PortalSettings
from portal.manual import ROLES, SCREENSHOTS, SLUGS, manual
from portal.manual.pdf import render_manual
from portal.transport import ApiRequest, ApiResponse, TransportError

pytestmark = pytest.mark.unit


class NoApi:
    """The manual never asks the API: a call would be a bug."""

    def send(self, request: ApiRequest) -> ApiResponse:
        raise TransportError(f"the manual asked the API for {request}")


@pytest.fixture(scope="module")
def client():
    settings = PortalSettings(api_url=None, api_timeout=1, session_keys=(Fernet.generate_key(),),
                              cookie_secure=False, session_hours=1, trusted_proxy_hops=0)
    return create_app(settings, NoApi()).test_client()


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "".join("".join(page.extract_text() for page in reader.pages).split())


def test_both_languages_have_every_role_with_the_same_steps_and_pictures():
    zh, en = manual("zh"), manual("en")

    assert [c.role for c in zh.chapters] == [c.role for c in en.chapters] == list(ROLES)
    for ours, theirs in zip(zh.chapters, en.chapters, strict=True):
        assert len(ours.steps) == len(theirs.steps) >= 3, ours.role
        assert [s.image for s in ours.steps] == [s.image for s in theirs.steps], ours.role
        assert all(step.title and step.text for step in (*ours.steps, *theirs.steps))


def test_every_screenshot_is_there_1000_pixels_wide_and_small():
    images = {step.image for chapter in manual("zh").chapters for step in chapter.steps if step.image}

    assert len(images) >= 10
    for name in images:
        path = SCREENSHOTS / name
        assert path.is_file(), f"{name}: run `make manual-screenshots`"
        with Image.open(path) as picture:
            assert picture.width == 1000 and picture.height <= 1300, name
        assert path.stat().st_size < 200 * 1024, f"{name} is {path.stat().st_size} bytes"


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_pdf_has_every_chapter_and_step_its_pictures_and_only_embedded_fonts(language):
    font = PdfFont.find(None)
    current = manual(language)
    pdf = render_manual(current, font)
    text = pdf_text(pdf)
    reader = pypdf.PdfReader(io.BytesIO(pdf))

    assert "".join(current.title.split()) in text
    for chapter in current.chapters:
        assert "".join(chapter.title.split()) in text
        for step in chapter.steps:
            assert "".join(step.title.split()) in text, step.title
    pictures = sum(1 for chapter in current.chapters for step in chapter.steps if step.image)
    assert sum(len(page.images) for page in reader.pages) == pictures
    if font.embedded:
        for page in reader.pages:
            for listed in page["/Resources"]["/Font"].values():
                listed = listed.get_object()
                descriptor = listed.get("/FontDescriptor") or \
                    listed["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                assert "/FontFile2" in descriptor.get_object(), f"{listed['/BaseFont']} is not embedded"


def test_the_portal_serves_the_contents_each_chapter_and_the_pdf_in_the_readers_language(client):
    contents = client.get("/manual")
    assert contents.status_code == 200
    page = contents.get_data(as_text=True)
    for role in ROLES:
        assert f'href="/manual/{SLUGS[role]}"' in page
        assert manual("zh").chapter(role).title in page

    chapter = client.get("/manual/province-admin").get_data(as_text=True)
    assert "省级知识产权局" in chapter and 'src="/static/manual/port-apply.png"' in chapter
    assert client.get("/manual/nobody").status_code == 404

    client.set_cookie("lang", "en")
    english = client.get("/manual/reviewer").get_data(as_text=True)
    client.delete_cookie("lang")
    assert "Reviewers" in english and "Reveal the full number" in english

    pdf = client.get("/manual.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "企业与机构" in pdf_text(pdf.data)


def test_the_header_and_footer_link_to_the_manual(client):
    page = client.get("/").get_data(as_text=True)

    assert 'id="nav-manual"' in page and page.count('href="/manual"') == 2
