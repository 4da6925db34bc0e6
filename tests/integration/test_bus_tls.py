"""AMQPS as a service opens it: the broker's certificate must chain to AMQP_CA_FILE and carry the
host name of AMQP_URL.

The machine's RabbitMQ speaks plain AMQP only, so the broker here is a TLS listener on a free
loopback port with a certificate made for the test (its own CA); each connection is opened by
`ServiceRuntime.connection()` from settings, as every process of a service does. A connection
whose TLS handshake passed gets past verification and then fails on AMQP (the listener is no
broker); one that fails verification fails in the handshake.
"""

from __future__ import annotations

import datetime as dt
import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from filing.service import definition
from platform_shared.config import ServiceSettings
from platform_shared.runtime import ServiceRuntime

pytestmark = pytest.mark.integration


def _name(text: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])


def _authority(folder: Path, label: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    certificate = (x509.CertificateBuilder().subject_name(_name(label)).issuer_name(_name(label))
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - dt.timedelta(minutes=1)).not_valid_after(now + dt.timedelta(hours=1))
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(key, hashes.SHA256()))
    (folder / f"{label}.crt").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key, certificate


@pytest.fixture
def tls_listener(tmp_path: Path) -> Iterator[tuple[int, Path, Path]]:
    """A TLS listener for the name `localhost` (only), signed by the test's CA: (port, that CA's
    file, another CA's file)."""
    ca_key, ca = _authority(tmp_path, "platform-ca")
    _authority(tmp_path, "other-ca")
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    leaf = (x509.CertificateBuilder().subject_name(_name("localhost")).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=1)).not_valid_after(now + dt.timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    (tmp_path / "broker.crt").write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "broker.key").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "broker.crt", tmp_path / "broker.key")
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                client, _address = server.accept()
            except TimeoutError:
                continue
            try:
                with context.wrap_socket(client, server_side=True):
                    pass  # handshake done; closing: no AMQP here
            except (ssl.SSLError, OSError):
                client.close()  # the client refused the certificate

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], tmp_path / "platform-ca.crt", tmp_path / "other-ca.crt"
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()


def connect(url: str, ca_file: Path) -> BaseException:
    """What opening a connection the way a service does raises (it always does: no broker)."""
    settings = ServiceSettings.from_env("filing", {"AMQP_URL": url, "AMQP_CA_FILE": str(ca_file)})
    connection = ServiceRuntime(definition(), settings).connection()
    try:
        connection.connect()
    except Exception as exc:  # noqa: BLE001 - the test inspects what it was
        return exc
    finally:
        connection.release()
    raise AssertionError("a TLS listener that is no broker accepted an AMQP connection")


def _verification_failed(error: BaseException) -> bool:
    chain: BaseException | None = error
    while chain is not None:
        if isinstance(chain, ssl.SSLCertVerificationError):
            return True
        chain = chain.__cause__ or chain.__context__
    return False


def test_the_brokers_certificate_from_the_configured_ca_and_for_the_host_passes(tls_listener):
    port, platform_ca, _other = tls_listener
    error = connect(f"amqps://filing:secret@localhost:{port}/", platform_ca)
    assert not _verification_failed(error), error


def test_a_certificate_of_another_ca_is_refused(tls_listener):
    port, _platform_ca, other_ca = tls_listener
    assert _verification_failed(connect(f"amqps://filing:secret@localhost:{port}/", other_ca))


def test_a_certificate_for_another_name_is_refused(tls_listener):
    port, platform_ca, _other = tls_listener
    # The same listener by its address: not the name its certificate was made for.
    assert _verification_failed(connect(f"amqps://filing:secret@127.0.0.1:{port}/", platform_ca))
