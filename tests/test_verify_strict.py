"""``securable verify`` takes one canonical signature and reports, never crashes on, hostile entries."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from evaluation_builders import requirements_profile, write
from securable.cli import main
from securable.package.keys import load_private_key
from securable.package.manifest import MANIFEST, SIGNATURE

TODAY = date(2025, 10, 1)  # the build day the CLI would pass; fixed so outputs are stable

FILES = {
    "index.html": b"<!DOCTYPE html><title>Package</title>",
    "docs/guide.html": b"<title>Guide</title>",
    "machine/oscal/component-definition.json": b"{}",
}


def sign(folder: Path, private: Path, document: dict[str, object]) -> None:
    """Write ``document`` as the manifest and sign it as the builder does."""
    raw = (json.dumps(document, ensure_ascii=True, indent=2) + "\n").encode()
    (folder / MANIFEST).write_bytes(raw)
    (folder / SIGNATURE).write_bytes(base64.b64encode(load_private_key(private).sign(raw)) + b"\n")


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    """A fixed key pair, so the signature is the same in every run: a random one has no '+' or '/'
    in about one run in fifteen, and the urlsafe edit below would then change nothing."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    private, public = tmp_path / "keys" / "private.pem", tmp_path / "keys" / "public.pem"
    private.parent.mkdir()
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return private, public


@pytest.fixture
def package(tmp_path: Path, keys: tuple[Path, Path]) -> Path:
    from securable.package.manifest import make_manifest

    folder = tmp_path / "pkg"
    for path, data in FILES.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    signed = make_manifest(
        FILES, product_name="Cam", product_version="1", date="2025-01-01", key=load_private_key(keys[0])
    )
    (folder / MANIFEST).write_bytes(signed.manifest)
    assert signed.signature is not None
    (folder / SIGNATURE).write_bytes(signed.signature)
    return folder


def run_verify(capsys: pytest.CaptureFixture[str], folder: Path, public: Path) -> tuple[int, str]:
    code = main(["verify", str(folder), "--key", str(public)])
    out, err = capsys.readouterr()
    return code, out + err


def test_the_package_as_built_verifies(
    package: Path, keys: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_verify(capsys, package, keys[1])[0] == 0


def _other_padding_bits(text: bytes) -> bytes:
    # 64 bytes end in "==": the last character before them carries 4 unused bits, here set to 1.
    alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    last = alphabet.index(text[-3:-2])
    return text[:-3] + alphabet[last | 0b1111 : (last | 0b1111) + 1] + b"=="


SIGNATURE_EDITS: dict[str, Callable[[bytes], bytes]] = {
    "appended after padding": lambda s: s + b" " * 1024 + b"hidden payload\n",
    "appended right after": lambda s: s + b"x",
    "whitespace inside": lambda s: s[:40] + b"\n" + s[40:],
    "no newline": lambda s: s[:-1],
    "CRLF": lambda s: s[:-1] + b"\r\n",
    "leading space": lambda s: b" " + s,
    "other padding bits": lambda s: _other_padding_bits(s[:-1]) + b"\n",
    "urlsafe alphabet": lambda s: s.replace(b"+", b"-").replace(b"/", b"_"),
}


@pytest.mark.parametrize("edit", SIGNATURE_EDITS.values(), ids=SIGNATURE_EDITS.keys())
def test_only_the_canonical_signature_is_taken(
    package: Path, keys: tuple[Path, Path], capsys: pytest.CaptureFixture[str], edit: Callable[[bytes], bytes]
) -> None:
    original = (package / SIGNATURE).read_bytes()
    edited = edit(original)
    assert edited != original
    (package / SIGNATURE).write_bytes(edited)
    code, text = run_verify(capsys, package, keys[1])
    assert code == 1
    assert "signature file is not in canonical form" in text


def test_other_padding_bits_still_decode_to_the_same_signature(package: Path) -> None:
    """The edit above really is another spelling of the same bytes, which a lax decoder accepts."""
    original = (package / SIGNATURE).read_bytes()[:-1]
    assert base64.b64decode(_other_padding_bits(original)) == base64.b64decode(original)


HOSTILE_PATHS = {
    "lone surrogate": "\ud800",
    "surrogate in a folder": "docs/\udfff/guide.html",
    "absolute": "/etc/passwd",
    "parent": "../outside.txt",
    "parent inside": "docs/../../outside.txt",
    "NUL": "docs/guide.html\x00.txt",
    "backslash": "..\\outside.txt",
    "drive": "C:/Windows/win.ini",
    "too long": "docs/" + "x" * 5000,
    "too long folder": "x" * 300 + "/guide.html",
    "empty": "",
}


@pytest.mark.parametrize("path", HOSTILE_PATHS.values(), ids=HOSTILE_PATHS.keys())
def test_a_signed_manifest_with_a_hostile_path_is_reported(
    package: Path, keys: tuple[Path, Path], capsys: pytest.CaptureFixture[str], path: str
) -> None:
    document = json.loads((package / MANIFEST).read_bytes())
    document["files"].append({"path": path, "sha256": "0" * 64, "size": 0})
    sign(package, keys[0], document)
    code, text = run_verify(capsys, package, keys[1])
    assert code == 1, text
    assert "FAILED" in text
    assert "internal error" not in text
    code = main(["verify", str(package), "--key", str(keys[1]), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert report["signature"] == "valid"
    assert report["problems"]


def test_a_path_through_a_linked_folder_cannot_leave_the_package(
    tmp_path: Path, package: Path, keys: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(b"")
    os.symlink(outside, package / "escape")
    document = json.loads((package / MANIFEST).read_bytes())
    empty = hashlib.sha256(b"").hexdigest()
    document["files"].append({"path": "escape/secret.txt", "sha256": empty, "size": 0})
    sign(package, keys[0], document)
    code, text = run_verify(capsys, package, keys[1])
    assert code == 1
    assert "symlink" in text


def test_evaluate_reports_a_broken_vendor_and_evaluates_the_others(
    tmp_path: Path, keys: tuple[Path, Path], package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from securable.package.build import build_package

    good = tmp_path / "good"
    build_package(
        Path(__file__).resolve().parents[1] / "examples" / "home-camera" / "securable.yaml",
        good,
        key=keys[0],
        pdf=False,
        today=TODAY,
    )
    document = json.loads((package / MANIFEST).read_bytes())
    document["files"].append({"path": "\ud800", "sha256": "0" * 64, "size": 0})
    sign(package, keys[0], document)
    write(tmp_path / "requirements.json", requirements_profile(["di-1.1"], []))
    argv = ["evaluate", "--requirements", str(tmp_path / "requirements.json"), "--format", "json"]
    argv += [f"broken={package}", f"good={good}", "--key", f"broken={keys[1]}", "--key", f"good={keys[1]}"]
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 1, err
    assert "vendor broken was not evaluated" in err
    vendors = {v["name"]: v for v in json.loads(out)["vendors"]}
    assert (vendors["broken"]["signature"], vendors["broken"]["evaluated"]) == ("failed", False)
    assert (vendors["good"]["signature"], vendors["good"]["evaluated"]) == ("verified", True)
