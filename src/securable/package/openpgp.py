"""OpenPGP cleartext signatures for security.txt (RFC 9116 section 2.3), made with Sequoia-PGP.

RFC 9116 asks for an OpenPGP cleartext signature, which researchers check with the tools they
already have (``gpg --verify security.txt``) against the key the manufacturer publishes. The
package's own manifest signature is Ed25519 over the whole package and stays as it is; this one
covers security.txt alone, so the file can be published on its own at ``/.well-known/``.

Sequoia-PGP (through ``pysequoia``, installed from wheels like every other dependency) rather than
GnuPG: no system binary, no keyring folder, no agent to start in a build. It is imported only when
a key is given. An OpenPGP signature records when it was made, so a package whose security.txt is
signed is not byte-identical to a rebuild: the manifest and everything else still are.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from securable.errors import InputError

MAX_KEY_BYTES = 1024 * 1024  # an armored secret key is a few kilobytes; keyrings are not keys
PASSPHRASE_ENV = "SECURABLE_OPENPGP_PASSPHRASE"
HINT = (
    "give an OpenPGP secret key file, armored or binary, e.g. from "
    "`gpg --export-secret-keys --armor KEY-ID > key.asc` or `sq key generate`"
)


@dataclass(frozen=True, slots=True)
class OpenPgpKey:
    signer: Any  # pysequoia.PySigner: untyped across the extension boundary
    fingerprint: str  # of the certificate (primary key), upper-case hex, as `gpg` prints it


def _first_line(err: BaseException) -> str:
    # Sequoia's errors carry a Rust backtrace when RUST_BACKTRACE is set: the cause is the first line.
    return str(err).strip().split("\n", 1)[0]


def load_signing_key(path: Path, passphrase: str | None = None) -> OpenPgpKey:
    """The signing key in ``path`` (a secret key, unlocked with ``passphrase`` when protected)."""
    import pysequoia

    from securable.inputs import read_capped

    try:
        data = read_capped(path, MAX_KEY_BYTES, regular_only=True)
    except OSError as err:
        raise InputError(f"{path}: cannot read the OpenPGP key: {err.strerror or err}", hint=HINT) from None
    if len(data) > MAX_KEY_BYTES:
        raise InputError(f"{path}: larger than {MAX_KEY_BYTES} bytes, not an OpenPGP key", hint=HINT)
    try:
        tsk = pysequoia.Tsk.from_bytes(data)
    except (RuntimeError, ValueError) as err:
        raise InputError(f"{path}: not an OpenPGP key ({_first_line(err)})", hint=HINT) from None
    try:
        signer = tsk.signer(passphrase)
    except (RuntimeError, ValueError) as err:
        cause = _first_line(err)
        if "no suitable signing" in cause.lower():  # a certificate (public key) lands here too
            raise InputError(
                f"{path}: holds no secret OpenPGP signing key ({cause})",
                hint=HINT + "; a public key (certificate) cannot sign",
            ) from None
        raise InputError(
            f"{path}: cannot unlock the OpenPGP signing key ({cause})",
            hint=f"set {PASSPHRASE_ENV} to its passphrase"
            if passphrase is None
            else f"check the passphrase in {PASSPHRASE_ENV}",
        ) from None
    return OpenPgpKey(signer, tsk.extract_certificate().fingerprint.upper())


def clearsign(key: OpenPgpKey, text: bytes) -> bytes:
    """``text`` wrapped in an OpenPGP cleartext signature (``-----BEGIN PGP SIGNED MESSAGE-----``)."""
    import pysequoia

    signed: bytes = pysequoia.sign(key.signer, text, mode=pysequoia.SignatureMode.CLEAR)
    return signed


def verify_clearsigned(signed: bytes, certificate: bytes) -> bytes:
    """The text that ``signed`` carries, if a key of ``certificate`` (armored or binary) signed it;
    raises :class:`InputError` otherwise (a changed file, another key, no signature)."""
    import pysequoia

    try:
        cert = pysequoia.Cert.from_bytes(certificate)
        checked = pysequoia.verify(bytes=signed, store=lambda _ids: [cert])
    except (RuntimeError, ValueError) as err:
        raise InputError(f"the OpenPGP signature does not verify ({_first_line(err)})") from None
    text = checked.bytes
    if not checked.valid_sigs or text is None:
        raise InputError("the OpenPGP signature does not verify (no valid signature)")
    return text
