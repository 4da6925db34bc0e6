"""Uploads: files recognised by their bytes only, the size limit, and the content-hash store."""

from __future__ import annotations

import hashlib
import io
import os
import threading

import pytest

from platform_shared.uploads import (
    DEFAULT_MAX_BYTES,
    JPEG,
    PDF,
    PNG,
    ContentNotFound,
    LocalContentStore,
    TooLarge,
    UnsupportedMediaType,
    check_media_type,
    receive,
    sniff_media_type,
)

pytestmark = pytest.mark.unit

PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
ELF_BYTES = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64
ZIP_BYTES = b"PK\x03\x04\x14\x00\x00\x00" + b"\x00" * 64


@pytest.mark.parametrize(("content", "media_type"), [(PDF_BYTES, PDF), (JPEG_BYTES, JPEG), (PNG_BYTES, PNG)])
def test_pdf_jpeg_and_png_are_recognised_by_their_first_bytes(content, media_type):
    assert sniff_media_type(content[:16]) == media_type
    assert check_media_type(content[:16]) == media_type


@pytest.mark.parametrize("content", [
    ELF_BYTES, ZIP_BYTES, b"MZ\x90\x00executable", b"<html><script>alert(1)</script>", b"",
    b" %PDF-1.7 with a leading space", b"%PDF", b"\xff\xd8", b"\x89PNG\r\n\x1a", b"GIF89a\x01\x00",
    b"#!/bin/sh\nrm -rf /\n",
], ids=["elf", "zip", "windows-exe", "html", "empty", "pdf-not-at-start", "pdf-truncated",
        "jpeg-truncated", "png-truncated", "gif", "shell-script"])
def test_anything_else_is_refused_whatever_it_claims_to_be(content):
    assert sniff_media_type(content) is None
    with pytest.raises(UnsupportedMediaType) as refused:
        check_media_type(content)
    assert refused.value.slug == "unsupported-file-type" and refused.value.errors == {"file": [refused.value.reason]}


def test_a_type_outside_the_accepted_ones_is_refused_even_if_recognised():
    with pytest.raises(UnsupportedMediaType):
        check_media_type(PNG_BYTES, accepted=(PDF,))


def test_the_default_limit_is_ten_megabytes():
    assert DEFAULT_MAX_BYTES == 10 * 1024 * 1024


def test_content_is_stored_under_its_sha256_in_sharded_folders_and_read_back(tmp_path):
    store = LocalContentStore(tmp_path)
    stored = store.put([PDF_BYTES[:10], PDF_BYTES[10:]])
    digest = hashlib.sha256(PDF_BYTES).hexdigest()
    assert stored.sha256 == digest and stored.size == len(PDF_BYTES)
    path = tmp_path / digest[:2] / digest[2:4] / digest
    assert path.read_bytes() == PDF_BYTES
    assert store.exists(digest)
    with store.open(digest) as handle:
        assert handle.read() == PDF_BYTES


def test_the_same_content_twice_is_one_file(tmp_path):
    store = LocalContentStore(tmp_path)
    first, second = store.put([PNG_BYTES]), store.put([PNG_BYTES])
    assert first == second
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [store.path_for(first.sha256)]


def test_a_file_over_the_limit_leaves_nothing_behind_and_one_at_the_limit_is_kept(tmp_path):
    store = LocalContentStore(tmp_path)
    with pytest.raises(TooLarge) as refused:
        store.put([b"x" * 60, b"y" * 41], max_bytes=100)
    assert refused.value.slug == "file-too-large"
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
    assert store.put([b"z" * 100], max_bytes=100).size == 100


def test_receive_sniffs_before_storing_and_stores_nothing_it_refuses(tmp_path):
    store = LocalContentStore(tmp_path)
    with pytest.raises(UnsupportedMediaType):
        receive(io.BytesIO(ELF_BYTES), store)
    with pytest.raises(TooLarge):
        receive(io.BytesIO(PDF_BYTES + b"\x00" * 200), store, max_bytes=len(PDF_BYTES) + 199)
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
    stored = receive(io.BytesIO(JPEG_BYTES), store)
    assert stored.media_type == JPEG and stored.size == len(JPEG_BYTES)
    assert store.path_for(stored.sha256).read_bytes() == JPEG_BYTES


class _Trickle(io.RawIOBase):
    """A stream that hands out one byte per read, like a slow socket."""

    def __init__(self, data: bytes):
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._data.read(1 if size != 0 else 0)


def test_a_stream_that_returns_short_reads_is_still_recognised(tmp_path):
    stored = receive(_Trickle(PNG_BYTES), LocalContentStore(tmp_path))
    assert stored.media_type == PNG and stored.size == len(PNG_BYTES)


def test_an_interrupted_write_leaves_no_file_under_a_content_name(tmp_path):
    store = LocalContentStore(tmp_path)

    def broken():
        yield PDF_BYTES
        raise OSError("connection reset")

    with pytest.raises(OSError):
        store.put(broken())
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


@pytest.mark.parametrize("name", ["../../etc/passwd", "report.pdf", "AB" * 32, "", "g" * 64])
def test_only_a_sha256_names_stored_content(tmp_path, name):
    store = LocalContentStore(tmp_path)
    with pytest.raises(ContentNotFound):
        store.open(name)
    assert not store.exists(name)


def test_unknown_content_is_not_found(tmp_path):
    with pytest.raises(ContentNotFound):
        LocalContentStore(tmp_path).open("0" * 64)


def test_concurrent_stores_of_the_same_content_end_in_one_complete_file(tmp_path):
    store = LocalContentStore(tmp_path)
    content = PDF_BYTES + os.urandom(256 * 1024)
    errors = []

    def put():
        try:
            store.put([content])
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=put) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    digest = hashlib.sha256(content).hexdigest()
    assert store.path_for(digest).read_bytes() == content
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [store.path_for(digest)]
