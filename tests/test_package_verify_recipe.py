"""Customers can check a package without Securable: the index page's OpenSSL recipe, run as printed."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from securable.package.build import PackageResult, build_package
from securable.package.keys import keygen

ROOT = Path(__file__).resolve().parents[1]
CAMERA = ROOT / "examples" / "home-camera" / "securable.yaml"
TOOLS = ("bash", "openssl", "jq", "sha256sum", "tail")

pytestmark = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in TOOLS), reason="needs bash, OpenSSL, jq and coreutils"
)


@pytest.fixture
def package(tmp_path: Path) -> PackageResult:
    # The key beside the package folder, where the index page tells customers to save it.
    keygen(tmp_path / "keys" / "private.pem", tmp_path / "public.pem")
    return build_package(
        CAMERA,
        tmp_path / "package",
        key=tmp_path / "keys" / "private.pem",
        pdf=False,
        today=date(2026, 12, 4),
    )


def recipe(index: Path) -> list[str]:
    """The commands exactly as the index page shows them."""
    found = re.search(
        r'<pre class="recipe"><code>(.*?)</code></pre>', index.read_text(encoding="utf-8"), re.S
    )
    assert found is not None, "the index page has no recipe"
    return [line for line in html.unescape(found.group(1)).splitlines() if line.strip()]


def run(command: str, folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=20,  # a hang guard only
        check=False,
    )


def test_the_printed_recipe_verifies_the_package_and_its_key(package: PackageResult) -> None:
    assert package.key_fingerprint is not None
    commands = recipe(package.index)
    assert len(commands) == 4
    fingerprint, decode, signature, files = (run(c, package.directory) for c in commands)
    assert fingerprint.returncode == 0, fingerprint.stderr
    assert fingerprint.stdout.split()[0] == package.key_fingerprint.removeprefix("sha256:")
    assert decode.returncode == 0, decode.stderr
    assert signature.returncode == 0, signature.stderr + signature.stdout
    assert "Signature Verified Successfully" in signature.stdout
    assert files.returncode == 0, files.stderr
    listed = [line for line in files.stdout.splitlines() if line.endswith(": OK")]
    manifest = (package.directory / "manifest.json").read_text(encoding="utf-8")
    assert len(listed) == manifest.count('"sha256":') > 5


def test_the_recipe_fails_after_tampering(package: PackageResult) -> None:
    commands = recipe(package.index)
    folder = package.directory
    (folder / "factsheet.html").write_bytes((folder / "factsheet.html").read_bytes() + b"<!-- changed -->")
    assert run(commands[1], folder).returncode == 0
    assert run(commands[2], folder).returncode == 0  # the manifest itself is intact
    changed = run(commands[3], folder)
    assert changed.returncode != 0
    assert "factsheet.html: FAILED" in changed.stdout
    manifest = folder / "manifest.json"
    manifest.write_bytes(manifest.read_bytes().replace(b'"version": "2.0"', b'"version": "2.1"', 1))
    forged = run(commands[2], folder)
    assert forged.returncode != 0
    assert "Signature Verified Successfully" not in forged.stdout


def test_the_documents_publish_the_key_fingerprint(package: PackageResult) -> None:
    assert package.key_fingerprint is not None
    docs = sorted((package.directory / "docs").glob("*.html"))
    assert docs
    for doc in docs:
        assert package.key_fingerprint in doc.read_text(encoding="utf-8"), doc.name
    index = package.index.read_text(encoding="utf-8")
    assert package.key_fingerprint in index
    assert "securable verify PACKAGE-FOLDER --key public.pem" in index
    assert "https://acme-home.example.com/homecam2/docs" in index.split("Get the manufacturer")[1]
