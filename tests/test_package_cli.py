"""``securable package``, ``keygen`` and ``verify`` as a customer and a release engineer run them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from securable.cli import main
from securable.package import build
from securable.package.context import Gap, PackageContext, Part
from securable.package.manifest import MANIFEST

ROOT = Path(__file__).resolve().parents[1]
CAMERA = str(ROOT / "examples" / "home-camera" / "securable.yaml")
REAL_GENERATORS = build.default_generators


def fake(ctx: PackageContext) -> Part:
    return Part(
        {"docs/guide.html": b"<title>Guide</title>", "machine/security.txt": b"Contact: x\n"},
        (Gap("support", "The support period is not stated.", ("Q4.2.2-1",)),),
    )


@pytest.fixture(autouse=True)
def _fake_generators(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build, "default_generators", lambda pdf: [fake])
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    private, public = str(tmp_path / "keys" / "private.pem"), str(tmp_path / "keys" / "public.pem")
    assert run(capsys, "keygen", private, public)[0] == 0
    return private, public


@pytest.fixture
def package(tmp_path: Path, keys: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> Path:
    out = tmp_path / "pkg"
    assert run(capsys, "package", CAMERA, "-o", str(out), "--key", keys[0], "--no-pdf")[0] == 0
    return out


def test_keygen_prints_where_the_keys_are_and_the_fingerprint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "keygen", str(tmp_path / "k"), str(tmp_path / "k.pub"))
    assert code == 0
    assert "Fingerprint: sha256:" in out
    assert "keep it secret" in out


def test_keygen_force_onto_a_folder_is_bad_input(
    keys: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    private, _ = keys
    before = Path(private).read_bytes()
    folder = tmp_path / "public-folder"
    folder.mkdir()
    code, _, err = run(capsys, "keygen", private, str(folder), "--force")
    assert code == 2
    assert "it is a folder" in err
    assert Path(private).read_bytes() == before  # the old pair is intact
    assert folder.is_dir()
    assert not any(folder.iterdir())


def test_keygen_refuses_to_overwrite(keys: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "keygen", *keys)
    assert code == 2
    assert "already exists" in err
    assert "--force" in err
    assert run(capsys, "keygen", *keys, "--force")[0] == 0


def test_package_says_where_to_open_it_and_lists_the_gaps(
    tmp_path: Path, keys: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "pkg"
    code, out, err = run(capsys, "package", CAMERA, "-o", str(out_dir), "--key", keys[0])
    assert code == 0, err
    assert f"Open {out_dir / 'index.html'}" in out
    assert "signed by key sha256:" in out
    assert "support: The support period is not stated. (Q4.2.2-1)" in out


def test_package_passes_no_pdf_to_the_generators(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: list[bool] = []

    def record(pdf: bool) -> list[build.Generator]:
        seen.append(pdf)
        return [fake]

    monkeypatch.setattr(build, "default_generators", record)
    run(capsys, "package", CAMERA, "-o", str(tmp_path / "a"), "--no-pdf")
    run(capsys, "package", CAMERA, "-o", str(tmp_path / "b"))
    assert seen == [False, True]


def test_package_without_key_is_unsigned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "package", CAMERA, "-o", str(tmp_path / "pkg"))
    assert code == 0
    assert "NOT signed" in out


def test_strict_with_gaps_exits_1_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "package", CAMERA, "-o", str(tmp_path / "pkg"), "--strict")
    assert code == 1
    assert "--strict" in err
    assert "The support period is not stated." in err
    assert not (tmp_path / "pkg").exists()


def test_package_refuses_a_key_inside_the_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = tmp_path / "pkg"
    run(capsys, "keygen", str(out_dir / "private.pem"), str(tmp_path / "public.pem"))
    code, _, err = run(capsys, "package", CAMERA, "-o", str(out_dir), "--key", str(out_dir / "private.pem"))
    assert code == 2
    assert "inside the package folder" in err


def test_package_of_a_missing_product_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "package", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "pkg"))
    assert code == 2
    assert "no such file" in err
    assert "Traceback" not in err


def test_verify_ok(package: Path, keys: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "verify", str(package), "--key", keys[1])
    assert code == 0
    assert out.startswith("OK: ")
    assert "Acme HomeCam 2 2.0" in out


def test_verify_reports_each_problem_and_exits_1(
    package: Path, keys: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    (package / "docs" / "guide.html").write_text("changed")
    (package / "machine" / "security.txt").unlink()
    (package / "extra.txt").write_text("added")
    code, out, _ = run(capsys, "verify", str(package), "--key", keys[1])
    assert code == 1
    assert out.startswith("FAILED: ")
    assert "3 problems" in out
    assert "changed            docs/guide.html: changed" in out
    assert "missing            machine/security.txt: missing" in out
    assert "added              extra.txt: added" in out


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_verify_prints_a_file_name_that_is_not_utf8(
    package: Path, keys: tuple[str, str], monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """With a strict UTF-8 terminal (LANG=en_US.UTF-8), such a name used to crash verify (exit 3)."""
    import io
    import os
    import sys

    os.close(os.open(os.fsencode(package) + b"/bad\xff.txt", os.O_CREAT | os.O_WRONLY, 0o644))
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    monkeypatch.setattr(sys, "stdout", stdout)
    code = main(["verify", str(package), "--key", keys[1], "--format", fmt])
    stdout.flush()
    out = stdout.buffer.getvalue().decode("utf-8")
    assert code == 1
    if fmt == "json":
        assert json.loads(out)["problems"][0]["path"] == "bad\\xff.txt"
    else:
        assert "added              bad\\xff.txt: added: not in the manifest" in out


def test_verify_with_an_edited_manifest(
    package: Path, keys: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = package / MANIFEST
    manifest.write_bytes(manifest.read_bytes().replace(b"Acme", b"Evil"))
    code, out, _ = run(capsys, "verify", str(package), "--key", keys[1])
    assert code == 1
    assert "bad-signature" in out
    assert "changed after signing" in out


def test_verify_with_the_wrong_key(tmp_path: Path, package: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "keygen", str(tmp_path / "o.pem"), str(tmp_path / "o.pub"))
    code, out, _ = run(capsys, "verify", str(package), "--key", str(tmp_path / "o.pub"))
    assert code == 1
    assert "wrong-key" in out


def test_verify_an_unsigned_package_fails(
    tmp_path: Path, keys: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "package", CAMERA, "-o", str(tmp_path / "pkg"))
    code, out, _ = run(capsys, "verify", str(tmp_path / "pkg"), "--key", keys[1])
    assert code == 1
    assert "unsigned" in out


def test_verify_json(package: Path, keys: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    (package / "index.html").write_text("x")
    code, out, _ = run(capsys, "verify", str(package), "--key", keys[1], "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["ok"] is False
    assert data["problems"][0]["kind"] == "changed"


@pytest.mark.parametrize("which", ["missing", "rsa", "private"])
def test_verify_with_a_bad_key_is_exit_2(
    tmp_path: Path, package: Path, keys: tuple[str, str], capsys: pytest.CaptureFixture[str], which: str
) -> None:
    key = tmp_path / "bad.pem"
    if which == "rsa":
        key.write_bytes(
            rsa.generate_private_key(65537, 2048)
            .public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        )
    elif which == "private":
        key = Path(keys[0])
    code, _, err = run(capsys, "verify", str(package), "--key", str(key))
    assert code == 2
    assert "Traceback" not in err


def test_verify_a_missing_folder_is_exit_2(
    tmp_path: Path, keys: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "verify", str(tmp_path / "nowhere"), "--key", keys[1])
    assert code == 2
    assert "no such folder" in err


def test_vex_statements_about_other_products_are_a_warning_not_a_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, sources: Path
) -> None:
    """Cisco's IOS advisory fed to a camera: 259 "affected" Cisco rows used to reach the documents."""
    monkeypatch.setattr(build, "default_generators", REAL_GENERATORS)
    cisco = sources / "formats" / "csaf" / "examples" / "cisco-sa-20180328-smi2.json"
    out = tmp_path / "pkg"
    code, stdout, err = run(capsys, "package", CAMERA, "-o", str(out), "--vex", str(cisco), "--no-pdf")
    assert code == 0
    assert "securable: warning: cisco-sa-20180328-smi2.json: 259 of 259 vulnerability statements" in err
    assert "warning" not in stdout
    for page in out.rglob("*.html"):
        assert "Cisco IOS" not in page.read_text(encoding="utf-8"), page
    summary = json.loads((out / "machine" / "sbom-summary.json").read_bytes())
    assert summary["vulnerabilities"] == []
    assert summary["vex"]["file"] == "cisco-sa-20180328-smi2.json"


def test_date_option_pins_the_package_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "package", CAMERA, "-o", str(tmp_path / "pkg"), "--date", "2027-03-04")
    assert code == 0
    assert "dated 2027-03-04" in out
    assert json.loads((tmp_path / "pkg" / MANIFEST).read_bytes())["date"] == "2027-03-04"
    code, _, err = run(capsys, "package", CAMERA, "-o", str(tmp_path / "pkg"), "--date", "03/04/2027")
    assert code == 2
    assert "--date '03/04/2027' is not a date" in err


def test_package_refuses_a_template_only_description_unless_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from securable.product.template import template_yaml

    blank = tmp_path / "securable.yaml"
    blank.write_text(template_yaml(), "utf-8")
    code, _, err = run(capsys, "package", str(blank), "-o", str(tmp_path / "pkg"))
    assert code == 2
    for missing in ("product.name", "support.support_end", "security contact", "66 of the 66"):
        assert missing in err, missing
    assert "--allow-incomplete" in err
    assert not (tmp_path / "pkg").exists()
    code, _, _ = run(capsys, "package", str(blank), "-o", str(tmp_path / "pkg"), "--allow-incomplete")
    assert code == 0
    assert (tmp_path / "pkg").is_dir()


def test_package_refuses_a_named_description_without_a_contact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = Path(CAMERA).read_text("utf-8").replace("  security_contact: security@acme-home.example.com\n", "")
    lines = text.splitlines(keepends=True)
    start = lines.index("  vulnerability_reporting:\n")
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("    "))
    product = tmp_path / "securable.yaml"
    product.write_text("".join(lines[:start] + lines[end:]), "utf-8")
    (tmp_path / "sbom.cdx.json").write_bytes((Path(CAMERA).parent / "sbom.cdx.json").read_bytes())
    code, _, err = run(capsys, "package", str(product), "-o", str(tmp_path / "pkg"))
    assert code == 2
    assert "security contact" in err
    assert "product.name" not in err


def test_source_date_epoch_dates_the_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    code, out, _ = run(capsys, "package", CAMERA, "-o", str(tmp_path / "pkg"), "--no-pdf")
    assert code == 0
    assert "dated 2026-01-01" in out
    assert json.loads((tmp_path / "pkg" / "manifest.json").read_bytes())["date"] == "2026-01-01"


def test_a_bad_source_date_epoch_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    code, _, err = run(capsys, "package", CAMERA, "-o", str(tmp_path / "pkg"), "--no-pdf")
    assert code == 2
    assert "SOURCE_DATE_EPOCH='yesterday'" in err
    assert not (tmp_path / "pkg").exists()
