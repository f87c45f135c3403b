"""Ed25519 key pairs for signing packages: made by ``securable keygen``, read as PEM files.

The private key stays with the manufacturer (PKCS#8 PEM, no passphrase, mode 0600); customers get
the public key (SubjectPublicKeyInfo PEM) and its fingerprint, ``sha256:`` + the hex SHA-256 of the
raw 32-byte public key, short enough to compare over the phone.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from securable.errors import InputError

MAX_KEY_BYTES = 64 * 1024


def fingerprint(public_key: Ed25519PublicKey) -> str:
    """``sha256:`` + hex SHA-256 of the raw public key: short enough to read out on the phone."""
    return "sha256:" + hashlib.sha256(public_key.public_bytes_raw()).hexdigest()


def keygen(private_path: Path, public_path: Path, *, force: bool = False) -> str:
    """Write a new Ed25519 key pair as PEM files; return the public key's fingerprint.

    The private key is PKCS#8 without a passphrase, mode 0600: keep it out of version control and
    out of packages (the builder refuses a key inside the package folder). Missing folders are
    created (mode 0700 for the private key's). Existing files are kept unless ``force``.

    Both keys are written by :func:`securable.fileio.write_files`, as every output file: both
    staged beside their targets before either is renamed into place, so a target that cannot be
    written (a folder, a read-only place) leaves the old pair as it was. A private key is never
    written to a device, pipe or terminal (renaming over ``/dev/null`` would replace the device, and
    writing into it would lose the key). Every such problem is an :class:`InputError`.
    """
    from securable.fileio import write_files
    from securable.inputfile import usable

    for path in (private_path, public_path):
        usable(path, "key file")  # resolve() below fails on a link loop
    if private_path.resolve() == public_path.resolve():
        raise InputError("the private and the public key need two different files")
    for path in (private_path, public_path):
        if not os.path.lexists(path):
            continue
        if not force:
            raise InputError(f"{path} already exists", hint="use --force to replace the key pair")
        if path.is_dir() and not path.is_symlink():
            raise InputError(f"cannot write {path}: it is a folder", hint="give a file name for the key")
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    for path, folder_mode in ((private_path, 0o700), (public_path, 0o777)):
        try:
            path.parent.mkdir(mode=folder_mode, parents=True, exist_ok=True)
        except OSError as err:
            raise InputError(
                f"cannot write {path}: {err.strerror or err}", hint="check the path and permissions"
            ) from err
    write_files([(private_path, private_pem), (public_path, public_pem)], private=[private_path])
    return fingerprint(key.public_key())


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """Read an unencrypted PEM Ed25519 private key; every problem is an :class:`InputError`."""
    data = _read_key_file(path)
    if b"PUBLIC KEY-----" in data and b"PRIVATE KEY-----" not in data:
        raise InputError(f"{path} is a public key", hint="signing needs the private key")
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except TypeError as err:  # cryptography's way of saying "this one needs a password"
        raise InputError(
            f"{path} is protected by a passphrase, which Securable cannot prompt for",
            hint="use a key made by `securable keygen`, kept where only the release process can read it",
        ) from err
    except (ValueError, UnsupportedAlgorithm) as err:
        raise InputError(f"{path} is not a PEM private key", hint=KEYGEN_HINT) from err
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError(f"{path} is not an Ed25519 key (it is {_kind(key)})", hint=KEYGEN_HINT)
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """Read a PEM Ed25519 public key; every problem is an :class:`InputError`."""
    return parse_public_key(_read_key_file(path), str(path))


def parse_public_key(data: bytes, path: str) -> Ed25519PublicKey:
    """A PEM Ed25519 public key from its bytes; ``path`` names it in messages."""
    if len(data) > MAX_KEY_BYTES:
        raise InputError(f"{path} is too large to be a key file")
    if b"PRIVATE KEY-----" in data:
        # Deriving the public key would work, but a private key on a customer's machine means it
        # was handed out; say so instead of quietly accepting it.
        raise InputError(
            f"{path} is a private key",
            hint="verify with the public key; the private key must stay with the manufacturer",
        )
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm) as err:
        raise InputError(f"{path} is not a PEM public key", hint="ask the manufacturer for it") from err
    if not isinstance(key, Ed25519PublicKey):
        raise InputError(f"{path} is not an Ed25519 key (it is {_kind(key)})", hint="ask the manufacturer")
    return key


KEYGEN_HINT = "make an Ed25519 key pair with `securable keygen PRIVATE PUBLIC`"


def _kind(key: object) -> str:
    name = type(key).__name__.removeprefix("_")
    for suffix in ("PrivateKey", "PublicKey"):
        name = name.removesuffix(suffix)
    return name  # "RSA", "EllipticCurve", "Ed448", ...


def _read_key_file(path: Path) -> bytes:
    from securable.inputfile import read_regular

    data = read_regular(path, MAX_KEY_BYTES, "key file", KEYGEN_HINT)
    if len(data) > MAX_KEY_BYTES:
        raise InputError(f"{path} is too large to be a key file")
    return data
