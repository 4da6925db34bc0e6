"""identity's key files written by several processes at once (serve, consume and relay start
together in one DATA_DIR): the JWKS and the ID-number key are replaced in one step through
temporary files of their own, so no writer trips over another's temporary file."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from identity.adapters.id_cipher import IdNumberCipher
from identity.adapters.keys import SigningKeys

pytestmark = pytest.mark.unit
WRITERS = 8


def at_once(target, count: int = WRITERS) -> list[BaseException]:
    start = threading.Barrier(count)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait(5)
            for _ in range(20):
                target()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return errors


def test_jwks_written_at_once_by_several_writers_is_whole_and_leaves_no_temporary_file(tmp_path):
    keys = SigningKeys(tmp_path / "keys")
    jwks = tmp_path / "identity" / "jwks.json"
    assert at_once(lambda: keys.write_jwks(jwks)) == []
    assert json.loads(jwks.read_text()) == keys.jwks()
    assert [p.name for p in jwks.parent.iterdir()] == ["jwks.json"]


def test_the_id_number_key_made_at_once_is_one_key_for_everyone(tmp_path):
    key_file: Path = tmp_path / "identity" / "id-number.key"
    ciphers: list[IdNumberCipher] = []
    assert at_once(lambda: ciphers.append(IdNumberCipher.from_config("", key_file))) == []
    token = ciphers[0].encrypt("11010519491231002X")
    assert {cipher.decrypt(token) for cipher in ciphers} == {"11010519491231002X"}
    assert [p.name for p in key_file.parent.iterdir()] == ["id-number.key"]


def test_a_generated_signing_key_leaves_no_temporary_file(tmp_path):
    keys = SigningKeys(tmp_path / "keys")
    keys.generate()
    assert all(p.suffix == ".pem" for p in (tmp_path / "keys").iterdir())
    assert len(list((tmp_path / "keys").iterdir())) == 2
