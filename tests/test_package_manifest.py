"""The signed manifest: key pairs, signing, and every way a package can fail verification."""

from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from securable.cli.exitcodes import exit_code
from securable.errors import InputError
from securable.package.keys import fingerprint, keygen, load_private_key, load_public_key
from securable.package.manifest import FORMAT, MANIFEST, SIGNATURE, make_manifest, unsafe_reason, verify

FILES = {
    "index.html": b"<!DOCTYPE html><title>Package</title>",
    "docs/guide.html": b"<title>Guide</title>",
    "machine/security.txt": b"Contact: mailto:security@example.com\n",
}


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    private, public = tmp_path / "keys" / "private.pem", tmp_path / "keys" / "public.pem"
    keygen(private, public)
    return private, public


def write_package(folder: Path, files: dict[str, bytes], key: Path | None) -> None:
    signed = make_manifest(
        files,
        product_name="Acme HomeCam 2",
        product_version="2.0",
        date="2025-09-01",
        key=load_private_key(key) if key else None,
    )
    for path, data in {**files, MANIFEST: signed.manifest}.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    if signed.signature is not None:
        (folder / SIGNATURE).write_bytes(signed.signature)


@pytest.fixture
def package(tmp_path: Path, keys: tuple[Path, Path]) -> Path:
    folder = tmp_path / "pkg"
    folder.mkdir()
    write_package(folder, FILES, keys[0])
    return folder


def kinds(folder: Path, public: Path) -> list[tuple[str, str | None]]:
    return [(p.kind, p.path) for p in verify(folder, load_public_key(public)).problems]


# --- keys ----------------------------------------------------------------------------------------


def test_keygen_writes_a_private_key_only_its_owner_can_read(keys: tuple[Path, Path]) -> None:
    private, public = keys
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert private.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert public.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    assert fingerprint(load_private_key(private).public_key()) == fingerprint(load_public_key(public))


def test_keygen_returns_the_fingerprint_of_the_raw_public_key(tmp_path: Path) -> None:
    import hashlib

    fp = keygen(tmp_path / "a.pem", tmp_path / "b.pem")
    raw = load_public_key(tmp_path / "b.pem").public_bytes_raw()
    assert fp == "sha256:" + hashlib.sha256(raw).hexdigest()


def test_keygen_refuses_to_overwrite_without_force(keys: tuple[Path, Path]) -> None:
    private, public = keys
    before = private.read_bytes()
    with pytest.raises(InputError, match="already exists"):
        keygen(private, public)
    assert private.read_bytes() == before
    keygen(private, public, force=True)
    assert private.read_bytes() != before


def _pair(private: Path, public: Path) -> tuple[bytes, bytes]:
    return private.read_bytes(), public.read_bytes() if public.is_file() else b""


def test_keygen_force_onto_a_folder_leaves_the_old_pair(keys: tuple[Path, Path]) -> None:
    private, public = keys
    before = _pair(private, public)
    folder = public.parent / "public-folder"
    folder.mkdir()
    with pytest.raises(InputError, match="it is a folder"):
        keygen(private, folder, force=True)
    with pytest.raises(InputError, match="it is a folder"):
        keygen(folder, public, force=True)
    assert _pair(private, public) == before
    assert sorted(p.name for p in private.parent.iterdir()) == ["private.pem", "public-folder", "public.pem"]


def test_keygen_writes_both_keys_before_replacing_either(keys: tuple[Path, Path]) -> None:
    """A public key that cannot be written (its folder is a file) replaces nothing: exit code 2."""
    private, public = keys
    before = _pair(private, public)
    blocker = private.parent / "not-a-folder"
    blocker.write_text("x", "utf-8")
    with pytest.raises(InputError, match="cannot write") as caught:
        keygen(private, blocker / "public.pem", force=True)
    assert exit_code(caught.value) == 2
    assert _pair(private, public) == before
    assert sorted(p.name for p in private.parent.iterdir()) == ["not-a-folder", "private.pem", "public.pem"]


def test_keygen_rename_failure_is_an_input_error(
    keys: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    private, public = keys
    renamed: list[str] = []

    def refuse(src: str, dst: object) -> None:
        renamed.append(str(dst))
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(InputError, match=r"cannot write .*private\.pem: Permission denied"):
        keygen(private, public, force=True)
    assert renamed == [str(private)]
    # both temporary files were written before any rename, and are cleaned up
    assert sorted(p.name for p in private.parent.iterdir()) == ["private.pem", "public.pem"]


def test_keygen_refuses_one_file_for_both_keys(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="two different files"):
        keygen(tmp_path / "k.pem", tmp_path / "k.pem")


def _pem_private(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such key file"),
        (b"hello", "not a PEM private key"),
        (_pem_private(rsa.generate_private_key(65537, 2048)), r"not an Ed25519 key \(it is RSA\)"),
        (_pem_private(ec.generate_private_key(ec.SECP256R1())), "not an Ed25519 key"),
        (
            Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.BestAvailableEncryption(b"secret"),
            ),
            "passphrase",
        ),
        (
            Ed25519PrivateKey.generate()
            .public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo),
            "is a public key",
        ),
    ],
)
def test_bad_private_keys_are_input_errors(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "key.pem"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        load_private_key(path)


def test_a_private_key_is_refused_where_the_public_key_belongs(keys: tuple[Path, Path]) -> None:
    with pytest.raises(InputError, match="is a private key"):
        load_public_key(keys[0])


def test_a_non_ed25519_public_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rsa.pub"
    path.write_bytes(
        rsa.generate_private_key(65537, 2048)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    with pytest.raises(InputError, match="not an Ed25519 key"):
        load_public_key(path)


def test_an_unreadable_key_is_an_input_error(
    keys: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # chmod 0 would not stop root (CI containers run as root), so make the read itself fail.
    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", denied)  # input files are opened with os.open (O_NONBLOCK)
    with pytest.raises(InputError, match=r"cannot read .*Permission denied"):
        load_private_key(keys[0])


def test_a_folder_is_not_a_key(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder"):
        load_private_key(tmp_path)


# --- the manifest --------------------------------------------------------------------------------


def test_manifest_lists_every_file_sorted_with_digest_size_and_key(keys: tuple[Path, Path]) -> None:
    key = load_private_key(keys[0])
    signed = make_manifest(FILES, product_name="Cam", product_version="2", date="2025-09-01", key=key)
    doc = json.loads(signed.manifest)
    assert list(doc) == ["format", "product", "date", "algorithm", "key_fingerprint", "files"]
    assert doc["format"] == FORMAT
    assert doc["algorithm"] == {"digest": "sha256", "signature": "ed25519"}
    assert doc["key_fingerprint"] == fingerprint(key.public_key())
    assert [f["path"] for f in doc["files"]] == sorted(FILES)
    assert doc["files"][0]["size"] == len(FILES["docs/guide.html"])
    assert signed.manifest.endswith(b"}\n")


def test_manifest_and_signature_are_deterministic(keys: tuple[Path, Path]) -> None:
    key = load_private_key(keys[0])
    first = make_manifest(FILES, product_name="Cam", product_version="2", date="2025-09-01", key=key)
    again = make_manifest(
        dict(reversed(FILES.items())), product_name="Cam", product_version="2", date="2025-09-01", key=key
    )
    assert first == again


def test_unsigned_manifest_says_so() -> None:
    signed = make_manifest(FILES, product_name=None, product_version=None, date="2025-09-01", key=None)
    doc = json.loads(signed.manifest)
    assert signed.signature is None
    assert doc["key_fingerprint"] is None
    assert doc["algorithm"]["signature"] is None


@pytest.mark.parametrize(
    "path", ["../x", "a/../../x", "/etc/passwd", "a//b", "./a", "a\\b", "C:/x", "", "a/", "x\x00"]
)
def test_unsafe_paths_are_named(path: str) -> None:
    assert unsafe_reason(path) is not None


@pytest.mark.parametrize("path", ["index.html", "docs/guide.html", ".well-known/security.txt"])
def test_ordinary_paths_are_safe(path: str) -> None:
    assert unsafe_reason(path) is None


# --- verifying -----------------------------------------------------------------------------------


def test_an_untouched_package_verifies(package: Path, keys: tuple[Path, Path]) -> None:
    report = verify(package, load_public_key(keys[1]))
    assert report.ok
    assert report.signature == "valid"
    assert report.files_checked == len(FILES)
    assert (report.product_name, report.product_version, report.date) == (
        "Acme HomeCam 2",
        "2.0",
        "2025-09-01",
    )
    assert report.signed_by == report.key_fingerprint


def test_a_changed_byte_is_reported(package: Path, keys: tuple[Path, Path]) -> None:
    target = package / "docs" / "guide.html"
    data = bytearray(target.read_bytes())
    data[3] ^= 1
    target.write_bytes(bytes(data))
    assert kinds(package, keys[1]) == [("changed", "docs/guide.html")]


def test_a_deleted_file_is_reported(package: Path, keys: tuple[Path, Path]) -> None:
    (package / "machine" / "security.txt").unlink()
    assert kinds(package, keys[1]) == [("missing", "machine/security.txt")]


def test_an_added_file_is_reported(package: Path, keys: tuple[Path, Path]) -> None:
    (package / "docs" / "extra.html").write_text("surprise")
    assert kinds(package, keys[1]) == [("added", "docs/extra.html")]


def test_a_file_name_that_is_not_utf8_is_reported_escaped(package: Path, keys: tuple[Path, Path]) -> None:
    import os

    fd = os.open(os.fsencode(package / "docs") + b"/bad\xff.html", os.O_CREAT | os.O_WRONLY, 0o644)
    os.close(fd)
    report = verify(package, load_public_key(keys[1]))
    assert [(p.kind, p.path) for p in report.problems] == [("added", "docs/bad\\xff.html")]
    json.dumps(report.to_json(), ensure_ascii=False).encode("utf-8")  # printable, and JSON-safe


def test_display_path() -> None:
    from securable.package.manifest import display_path

    assert display_path("docs/guide.html") == "docs/guide.html"
    assert display_path("caf\u00e9 menu.html") == "caf\u00e9 menu.html"
    assert display_path("bad\udcff.txt") == "bad\\xff.txt"  # the byte 0xff, as os.fsdecode keeps it
    assert display_path("x\ud800y") == "x\\ud800y"  # a lone surrogate from a tampered manifest
    assert display_path("two\nlines") == "two\\x0alines"


def test_a_file_of_another_size_is_changed_without_being_hashed(
    package: Path, keys: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A huge or sparse file planted in a package must not stall verify: sizes are compared first."""
    import hashlib
    import os

    target = package / "docs" / "guide.html"
    os.truncate(target, 64 * 1024 * 1024)  # sparse: no disk used, but hashing it would read 64 MiB
    hashed: list[int] = []
    real = hashlib.file_digest

    def spy(handle: Any, digest: str) -> Any:
        hashed.append(os.fstat(handle.fileno()).st_size)
        return real(handle, digest)

    monkeypatch.setattr(hashlib, "file_digest", spy)
    report = verify(package, load_public_key(keys[1]))
    assert [(p.kind, p.path, p.message) for p in report.problems] == [
        ("changed", "docs/guide.html", f"changed: {64 * 1024 * 1024} bytes now, 20 when signed")
    ]
    assert sorted(hashed) == sorted(len(data) for path, data in FILES.items() if path != "docs/guide.html")


def test_an_added_empty_folder_is_reported(package: Path, keys: tuple[Path, Path]) -> None:
    (package / "docs" / "drafts" / "old").mkdir(parents=True)
    (package / "empty").mkdir()
    assert kinds(package, keys[1]) == [("added", "docs/drafts/old/"), ("added", "empty/")]


def test_a_folder_emptied_by_deleting_its_files_is_not_also_added(
    package: Path, keys: tuple[Path, Path]
) -> None:
    (package / "machine" / "security.txt").unlink()
    assert kinds(package, keys[1]) == [("missing", "machine/security.txt")]


def test_an_edited_manifest_breaks_the_signature(package: Path, keys: tuple[Path, Path]) -> None:
    manifest = package / MANIFEST
    manifest.write_bytes(manifest.read_bytes().replace(b'"2.0"', b'"2.1"'))
    report = verify(package, load_public_key(keys[1]))
    assert not report.ok
    assert report.signature == "invalid"
    assert [p.kind for p in report.problems] == ["bad-signature"]
    assert "changed after signing" in report.problems[0].message


def test_a_swapped_signature_is_reported(tmp_path: Path, package: Path, keys: tuple[Path, Path]) -> None:
    other = tmp_path / "other"
    other.mkdir()
    write_package(other, {"index.html": b"another package"}, keys[0])
    (package / SIGNATURE).write_bytes((other / SIGNATURE).read_bytes())
    assert kinds(package, keys[1]) == [("bad-signature", None)]


def test_a_garbled_signature_is_reported(package: Path, keys: tuple[Path, Path]) -> None:
    (package / SIGNATURE).write_text("not base64 at all!\n")
    assert kinds(package, keys[1]) == [("bad-signature", None)]


def test_the_wrong_key_is_named(tmp_path: Path, package: Path, keys: tuple[Path, Path]) -> None:
    fp = keygen(tmp_path / "other.pem", tmp_path / "other.pub")
    report = verify(package, load_public_key(tmp_path / "other.pub"))
    assert report.signature == "wrong-key"
    assert [p.kind for p in report.problems] == ["wrong-key"]
    message = report.problems[0].message
    assert fp in message
    assert fingerprint(load_public_key(keys[1])) in message


def test_a_manifest_path_leaving_the_package_is_refused(tmp_path: Path, keys: tuple[Path, Path]) -> None:
    # Even a manifest signed with the right key must not make verify read outside the package.
    secret = tmp_path / "secret.txt"
    secret.write_text("outside")
    folder = tmp_path / "pkg"
    folder.mkdir()
    write_package(folder, {"index.html": b"x", "../secret.txt": b"outside"}, keys[0])
    assert kinds(folder, keys[1]) == [("unsafe-path", "../secret.txt")]


def test_a_tampered_manifest_with_a_dotdot_path_fails_twice(package: Path, keys: tuple[Path, Path]) -> None:
    manifest = package / MANIFEST
    manifest.write_bytes(manifest.read_bytes().replace(b'"docs/guide.html"', b'"../../etc/passwd"'))
    assert kinds(package, keys[1]) == [
        ("bad-signature", None),
        ("unsafe-path", "../../etc/passwd"),
        ("added", "docs/guide.html"),
    ]


def test_a_symlink_in_the_package_is_refused(tmp_path: Path, package: Path, keys: tuple[Path, Path]) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_bytes(FILES["machine/security.txt"])
    target = package / "machine" / "security.txt"
    target.unlink()
    target.symlink_to(outside)
    assert kinds(package, keys[1]) == [("symlink", "machine/security.txt")]


def test_a_linked_folder_is_not_followed(tmp_path: Path, package: Path, keys: tuple[Path, Path]) -> None:
    real = tmp_path / "real-docs"
    (package / "docs").rename(real)
    (package / "docs").symlink_to(real)
    problems = kinds(package, keys[1])
    assert ("symlink", "docs") in problems
    assert ("symlink", "docs/guide.html") in problems


def test_an_unsigned_package_fails_as_unsigned(tmp_path: Path, keys: tuple[Path, Path]) -> None:
    folder = tmp_path / "pkg"
    folder.mkdir()
    write_package(folder, FILES, None)
    report = verify(folder, load_public_key(keys[1]))
    assert not report.ok
    assert report.signature == "unsigned"
    assert [p.kind for p in report.problems] == ["unsigned"]


def test_a_deleted_signature_is_reported(package: Path, keys: tuple[Path, Path]) -> None:
    (package / SIGNATURE).unlink()
    assert kinds(package, keys[1]) == [("missing-signature", "manifest.sig")]


def test_a_missing_manifest_is_reported(package: Path, keys: tuple[Path, Path]) -> None:
    (package / MANIFEST).unlink()
    report = verify(package, load_public_key(keys[1]))
    assert [p.kind for p in report.problems] == ["no-manifest"]
    assert report.files_checked == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b"[]", "top level is not an object"),
        (json.dumps({"format": "other/9"}).encode(), "expected 'securable-manifest/1'"),
        (b"\xff\xfe", "not UTF-8 text"),  # JSON between systems is UTF-8 (RFC 8259)
    ],
)
def test_a_malformed_manifest_is_an_outcome_not_a_traceback(
    tmp_path: Path, keys: tuple[Path, Path], content: bytes, message: str
) -> None:
    folder = tmp_path / "pkg"
    folder.mkdir()
    (folder / MANIFEST).write_bytes(content)
    (folder / SIGNATURE).write_bytes(base64.b64encode(load_private_key(keys[0]).sign(content)))
    report = verify(folder, load_public_key(keys[1]))
    assert not report.ok
    malformed = [p for p in report.problems if p.kind == "malformed-manifest"]
    assert malformed
    assert message in malformed[0].message


def test_a_bad_file_entry_is_malformed(tmp_path: Path, keys: tuple[Path, Path]) -> None:
    folder = tmp_path / "pkg"
    folder.mkdir()
    write_package(folder, FILES, keys[0])
    doc = json.loads((folder / MANIFEST).read_bytes())
    doc["files"][0]["size"] = "12"
    (folder / MANIFEST).write_text(json.dumps(doc))
    problems = kinds(folder, keys[1])
    assert ("malformed-manifest", None) in problems


def test_a_missing_folder_is_an_input_error(tmp_path: Path, keys: tuple[Path, Path]) -> None:
    with pytest.raises(InputError, match="no such folder"):
        verify(tmp_path / "nowhere", load_public_key(keys[1]))


def test_report_as_json(package: Path, keys: tuple[Path, Path]) -> None:
    (package / "index.html").write_text("changed")
    data = verify(package, load_public_key(keys[1])).to_json()
    assert data["ok"] is False
    assert data["signature"] == "valid"
    assert data["problems"] == [
        {"kind": "changed", "path": "index.html", "message": data["problems"][0]["message"]}
    ]


def test_an_unsigned_manifest_is_as_the_readme_and_docstring_say() -> None:
    from securable.package import manifest

    doc = json.loads(
        make_manifest(FILES, product_name="A", product_version="1", date="2025-09-01", key=None).manifest
    )
    assert doc["algorithm"] == {"digest": "sha256", "signature": None}
    assert doc["key_fingerprint"] is None
    assert "signature" not in doc
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    section = readme.split("<!-- package-section -->")[1].split("<!-- /package-section -->")[0]
    assert "(`algorithm.signature` and `key_fingerprint` are `null`)" in " ".join(section.split())
    assert '"algorithm": {"digest": "sha256", "signature": null}' in " ".join(
        (manifest.__doc__ or "").split()
    )
