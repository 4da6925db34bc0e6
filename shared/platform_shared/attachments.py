"""Uploaded files as the platform keeps them: what a handler receives from an upload and
records (its bytes by SHA-256 in a content store, what they are, how large, who sent them).

    stored = accept_upload(command.content, store, max_bytes=limit, uploaded_by=principal.account_id,
                           original_name=command.original_name)       # before the transaction
    with uow:
        uow.materials.add(Material(id=..., product_id=..., kind=..., file=stored))

The file is sniffed, size-checked and stored before any transaction opens (a file may take its
time to arrive); a refused file leaves nothing behind and raises `uploads.UploadRefused` under
its form field. The same content stored twice is one file in the store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from platform_shared.moments import utcnow
from platform_shared.uploads import DOCUMENT_TYPES, ContentStore, UploadRefused, plain_file_name, receive


@dataclass(frozen=True)
class StoredFile:
    """An uploaded file's record: which bytes (SHA-256 in the content store), what they are
    (sniffed from the bytes), how large, the uploader's name for it (metadata only, never part of
    a path or a header), who sent it and when."""

    sha256: str
    media_type: str
    size: int
    original_name: str | None
    uploaded_by: str
    uploaded_at: dt.datetime


def accept_upload(content: BinaryIO, store: ContentStore, *, max_bytes: int, uploaded_by: str,
                  original_name: str | None, field: str = "file",
                  accepted: Iterable[str] = DOCUMENT_TYPES) -> StoredFile:
    """Sniff, size-check and store an upload; `UploadRefused` under `field` otherwise."""
    try:
        stored = receive(content, store, max_bytes=max_bytes, accepted=accepted)
    except UploadRefused as refused:
        raise refused.under(field) from None
    assert stored.media_type is not None  # receive() always sniffs  # noqa: S101
    return StoredFile(sha256=stored.sha256, media_type=stored.media_type, size=stored.size,
                      original_name=plain_file_name(original_name), uploaded_by=uploaded_by,
                      uploaded_at=utcnow())
