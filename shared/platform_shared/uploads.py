"""Uploaded files: what they really are, how large they may be, and where their bytes live.

    media_type = sniff_media_type(head)            # by the bytes, never by name or Content-Type
    stored = receive(stream, store, max_bytes=10 * MiB)  # sniffed, size-checked, stored
    with store.open(stored.sha256) as content: ...

Guarantees:
- A file is recognised by its first bytes (magic numbers) only: `%PDF-` (PDF), `FF D8 FF`
  (JPEG), the 8-byte PNG signature. The file name and the declared Content-Type are ignored:
  an executable renamed `report.pdf` and sent as `application/pdf` is refused.
- Nothing is stored when a file is refused: the type is decided before anything is written,
  and a file over the limit is discarded from its temporary file before it gets a name.
- `LocalContentStore` names a file by the SHA-256 of its content, in sharded folders
  (`ab/cd/abcdef…`); the user's file name is never part of a path. A file appears under its
  name complete or not at all (written aside, flushed, then renamed into place); the same
  content stored twice is one file.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from platform_shared import errors
from platform_shared.errors import DomainError

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)
DOCUMENT_TYPES = (PDF, JPEG, PNG)
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
MiB = 1024 * 1024
DEFAULT_MAX_BYTES = 10 * MiB
# What a multipart body may carry beyond the file itself (boundaries, part headers, small fields).
MULTIPART_ALLOWANCE = 64 * 1024
HEAD_BYTES = 16
CHUNK_BYTES = 64 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class UploadRefused(DomainError):
    """A file the platform does not take, refused under the form field that carried it."""

    default_slug = "upload-refused"

    def __init__(self, reason: str, *, field: str = "file") -> None:
        super().__init__(reason, slug=self.default_slug, errors={field: [reason]})
        self.reason = reason
        self.field = field

    def under(self, field: str) -> UploadRefused:
        """The same refusal, under another form field."""
        return type(self)(self.reason, field=field)


class TooLarge(UploadRefused, errors.TooLarge):
    default_slug = "file-too-large"


class UnsupportedMediaType(UploadRefused, errors.UnsupportedMedia):
    default_slug = "unsupported-file-type"


class ContentNotFound(LookupError):
    """No content with this SHA-256 in the store."""


def sniff_media_type(head: bytes) -> str | None:
    """The media type that the first bytes of a file prove, or None if they prove none."""
    for signature, media_type in SIGNATURES:
        if head.startswith(signature):
            return media_type
    return None


def check_media_type(head: bytes, accepted: Iterable[str] = DOCUMENT_TYPES) -> str:
    """The media type of a file starting with `head`, or `UnsupportedMediaType`."""
    accepted = tuple(accepted)
    media_type = sniff_media_type(head)
    if media_type is None or media_type not in accepted:
        names = ", ".join(EXTENSIONS.get(t, t).upper() for t in accepted)
        raise UnsupportedMediaType(f"The file is not a {names} file (judged by its content).")
    return media_type


@dataclass(frozen=True)
class StoredContent:
    sha256: str
    size: int
    media_type: str | None = None


class ContentStore(Protocol):
    """Where uploaded bytes live, addressed by the SHA-256 of their content."""

    def put(self, chunks: Iterable[bytes], *, max_bytes: int | None = None) -> StoredContent:
        """Store the bytes; `TooLarge` (and nothing stored) past `max_bytes`."""

    def open(self, sha256: str) -> BinaryIO:
        """The stored content for reading; `ContentNotFound` if absent."""

    def exists(self, sha256: str) -> bool:
        """Whether content with this SHA-256 is stored."""


class LocalContentStore:
    """A content store in a local folder (a PersistentVolume in deployment)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def path_for(self, sha256: str) -> Path:
        if not _SHA256.match(sha256 or ""):
            raise ContentNotFound(f"not a SHA-256: {sha256!r}")
        return self.folder / sha256[:2] / sha256[2:4] / sha256

    def put(self, chunks: Iterable[bytes], *, max_bytes: int | None = None) -> StoredContent:
        incoming = self.folder / "incoming"
        incoming.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        handle, temporary = tempfile.mkstemp(dir=incoming, prefix="upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in chunks:
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise TooLarge(f"The file is larger than {max_bytes} bytes.")
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha256 = digest.hexdigest()
            target = self.path_for(sha256)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(temporary, 0o640)
            # Same content, same name: replacing an existing file changes nothing it holds.
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return StoredContent(sha256=sha256, size=size)

    def open(self, sha256: str) -> BinaryIO:
        try:
            return self.path_for(sha256).open("rb")
        except FileNotFoundError:
            raise ContentNotFound(sha256) from None

    def exists(self, sha256: str) -> bool:
        try:
            return self.path_for(sha256).is_file()
        except ContentNotFound:
            return False


def chunks_of(stream: BinaryIO, size: int = CHUNK_BYTES) -> Iterator[bytes]:
    return iter(lambda: stream.read(size), b"")


def _read_head(stream: BinaryIO) -> bytes:
    head = b""
    while len(head) < HEAD_BYTES:
        more = stream.read(HEAD_BYTES - len(head))
        if not more:
            break
        head += more
    return head


def receive(stream: BinaryIO, store: ContentStore, *, max_bytes: int = DEFAULT_MAX_BYTES,
            accepted: Iterable[str] = DOCUMENT_TYPES) -> StoredContent:
    """Sniff, size-check and store an uploaded file; refused files leave nothing behind."""
    head = _read_head(stream)
    media_type = check_media_type(head, accepted)
    stored = store.put(itertools.chain([head], chunks_of(stream)), max_bytes=max_bytes)
    return StoredContent(sha256=stored.sha256, size=stored.size, media_type=media_type)


def plain_file_name(name: str | None) -> str | None:
    """The uploader's file name as metadata: last path part, no control characters, bounded."""
    if not name:
        return None
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    return cleaned[:255] or None
