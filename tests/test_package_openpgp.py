"""security.txt clearsigned with the maker's OpenPGP key (RFC 9116 section 2.3): the signature
verifies, with Sequoia and with GnuPG, and fails once the file is changed or checked against another
key. Keys are made here, never stored."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pysequoia
import pytest
import sectxt

from securable.cli import main
from securable.errors import InputError
from securable.package.build import SECURITY_TXT, build_package
from securable.package.machine.securitytxt import build_securitytxt
from securable.package.openpgp import clearsign, load_signing_key, verify_clearsigned

ROOT = Path(__file__).resolve().parents[1]
CAMERA = ROOT / "examples" / "home-camera" / "securable.yaml"
DAY = date(2025, 10, 1)


def make_key(folder: Path, name: str) -> tuple[Path, bytes]:
    """A fresh OpenPGP key (v4, as GnuPG 2.2 reads it): the secret key file and the certificate."""
    tsk = pysequoia.Tsk.generate(f"{name} <psirt@example.com>", profile=pysequoia.Profile.RFC4880)
    secret = folder / f"{name}.asc"
    secret.write_text(str(tsk), encoding="utf-8")
    return secret, str(tsk.extract_certificate()).encode()


@pytest.fixture
def key(tmp_path: Path) -> tuple[Path, bytes]:
    return make_key(tmp_path, "maker")


def test_security_txt_is_clearsigned_and_verifies(tmp_path: Path, key: tuple[Path, bytes]) -> None:
    secret, cert = key
    plain = build_package(CAMERA, tmp_path / "plain", generators=[build_securitytxt], date=DAY, today=DAY)
    signed = build_package(
        CAMERA, tmp_path / "signed", generators=[build_securitytxt], date=DAY, today=DAY, openpgp_key=secret
    )
    assert plain.openpgp_fingerprint is None
    assert signed.openpgp_fingerprint == pysequoia.Cert.from_bytes(cert).fingerprint.upper()
    text = (tmp_path / "plain" / SECURITY_TXT).read_bytes()
    data = (tmp_path / "signed" / SECURITY_TXT).read_bytes()
    assert data.startswith(b"-----BEGIN PGP SIGNED MESSAGE-----\n")
    assert data.rstrip().endswith(b"-----END PGP SIGNATURE-----")
    assert verify_clearsigned(data, cert) == text  # the signed text is the unsigned file, unchanged


def test_a_changed_file_or_another_key_fails(tmp_path: Path, key: tuple[Path, bytes]) -> None:
    secret, cert = key
    signed = clearsign(
        load_signing_key(secret), b"Contact: mailto:psirt@example.com\nExpires: 2026-01-01T00:00:00Z\n"
    )
    tampered = signed.replace(b"mailto:psirt@", b"mailto:attacker@")
    assert tampered != signed
    with pytest.raises(InputError, match="does not verify"):
        verify_clearsigned(tampered, cert)
    _, other = make_key(tmp_path, "other")
    with pytest.raises(InputError, match="does not verify"):
        verify_clearsigned(signed, other)
    with pytest.raises(InputError, match="does not verify"):
        verify_clearsigned(b"Contact: mailto:psirt@example.com\n", cert)  # no signature at all


def test_rfc_9116_parsers_accept_the_signed_file(
    tmp_path: Path, key: tuple[Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    build_package(
        CAMERA, tmp_path / "p", generators=[build_securitytxt], date=DAY, today=DAY, openpgp_key=key[0]
    )

    class Frozen(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:
            return datetime(DAY.year, DAY.month, DAY.day, 12, tzinfo=UTC)

    monkeypatch.setattr(sectxt, "datetime", Frozen)
    parser = sectxt.Parser((tmp_path / "p" / SECURITY_TXT).read_bytes())
    assert parser.errors == []
    assert "not_signed" not in {r["code"] for r in parser.recommendations}
    assert parser.contact_email == "security@acme-home.example.com"


@pytest.mark.skipif(shutil.which("gpg") is None, reason="GnuPG (Debian's gnupg) is not installed")
def test_gnupg_verifies_the_signature_and_rejects_a_changed_file(
    tmp_path: Path, key: tuple[Path, bytes]
) -> None:
    secret, cert = key
    build_package(
        CAMERA, tmp_path / "p", generators=[build_securitytxt], date=DAY, today=DAY, openpgp_key=secret
    )
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    (tmp_path / "cert.asc").write_bytes(cert)
    gpg = ["gpg", "--homedir", str(home), "--batch", "--no-tty"]
    subprocess.run(
        [*gpg, "--import", str(tmp_path / "cert.asc")], check=True, capture_output=True, timeout=60
    )
    published = tmp_path / "p" / SECURITY_TXT
    good = subprocess.run(
        [*gpg, "--verify", str(published)], capture_output=True, text=True, timeout=60, check=False
    )
    assert good.returncode == 0, good.stderr
    assert "Good signature" in good.stderr
    changed = tmp_path / "changed.txt"
    changed.write_bytes(published.read_bytes().replace(b"Expires: 2026", b"Expires: 2036"))
    bad = subprocess.run(
        [*gpg, "--verify", str(changed)], capture_output=True, text=True, timeout=60, check=False
    )
    assert bad.returncode != 0
    assert "BAD signature" in bad.stderr


@pytest.mark.skipif(shutil.which("gpg") is None, reason="GnuPG (Debian's gnupg) is not installed")
def test_a_gnupg_key_with_a_passphrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    gpg = [
        "gpg",
        "--homedir",
        str(home),
        "--batch",
        "--no-tty",
        "--pinentry-mode",
        "loopback",
        "--passphrase",
        "pw",
    ]
    subprocess.run(
        [*gpg, "--quick-gen-key", "Maker <psirt@example.com>", "ed25519", "sign", "never"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    exported = subprocess.run(
        [*gpg, "--armor", "--export-secret-keys"], check=True, capture_output=True, timeout=60
    )
    secret = tmp_path / "protected.asc"
    secret.write_bytes(exported.stdout)
    with pytest.raises(InputError, match="cannot unlock") as locked:
        load_signing_key(secret)
    assert "SECURABLE_OPENPGP_PASSPHRASE" in (locked.value.hint or "")
    with pytest.raises(InputError, match="cannot unlock"):
        load_signing_key(secret, "wrong")
    monkeypatch.setenv("SECURABLE_OPENPGP_PASSPHRASE", "pw")
    out = tmp_path / "pkg"
    code = main(
        [
            "package",
            str(CAMERA),
            "-o",
            str(out),
            "--no-pdf",
            "--date",
            "2025-10-01",
            "--openpgp-key",
            str(secret),
        ]
    )
    assert code == 0
    assert "security.txt is clearsigned with OpenPGP key" in capsys.readouterr().out
    verified = subprocess.run(
        [*gpg, "--verify", str(out / SECURITY_TXT)], capture_output=True, timeout=60, check=False
    )
    assert verified.returncode == 0


def test_keys_that_cannot_sign_are_bad_input(
    tmp_path: Path, key: tuple[Path, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    public = tmp_path / "public.asc"
    public.write_bytes(key[1])
    not_a_key = tmp_path / "notakey.asc"
    not_a_key.write_text("-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nnonsense\n", encoding="utf-8")
    inside = tmp_path / "pkg" / "key.asc"
    for path, words in (
        (public, "holds no secret OpenPGP signing key"),
        (not_a_key, "not an OpenPGP key"),
        (tmp_path / "missing.asc", "missing.asc"),
    ):
        code = main(
            ["package", str(CAMERA), "-o", str(tmp_path / "pkg"), "--no-pdf", "--openpgp-key", str(path)]
        )
        assert code == 2
        assert words in capsys.readouterr().err
    assert not (tmp_path / "pkg").exists()  # nothing written
    inside.parent.mkdir()
    inside.write_bytes(key[0].read_bytes())
    code = main(
        ["package", str(CAMERA), "-o", str(tmp_path / "pkg"), "--no-pdf", "--openpgp-key", str(inside)]
    )
    assert code == 2
    assert "inside the package folder" in capsys.readouterr().err


def test_a_key_without_a_security_txt_to_sign_is_a_warning(tmp_path: Path, key: tuple[Path, bytes]) -> None:
    from securable.package.context import PackageContext, Part

    def factsheet_only(ctx: PackageContext) -> Part:
        return Part({"factsheet.html": b"<title>Fact sheet</title>"})

    result = build_package(CAMERA, tmp_path / "p", generators=[factsheet_only], today=DAY, openpgp_key=key[0])
    assert result.openpgp_fingerprint is None
    assert any("no .well-known/security.txt to sign" in w for w in result.warnings)
