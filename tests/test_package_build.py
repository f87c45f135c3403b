"""The package builder: layout, determinism, atomic replacement, gaps and refused places."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from securable.cli.exitcodes import exit_code
from securable.errors import InputError
from securable.package import folder
from securable.package.build import GapsFound, build_package
from securable.package.context import Gap, PackageContext, Part
from securable.package.keys import keygen, load_public_key
from securable.package.manifest import MANIFEST, SIGNATURE, verify
from securable.rendering.stylesheet import stylesheet

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2025, 10, 1)  # the build day, used only where a product states no release date
CAMERA = ROOT / "examples" / "home-camera" / "securable.yaml"
GAP = Gap("support", "The support period is not stated.", ("Q4.2.2-1",))


def documents(ctx: PackageContext) -> Part:
    name = ctx.product.product.name if ctx.product.product else None
    page = f"<title>{name} guide</title><p>{ctx.date.isoformat()}</p>".encode()
    return Part({"docs/guide.html": page, "docs/guide.pdf": b"%PDF-1.7"}, (GAP,))


def machine(ctx: PackageContext) -> Part:
    return Part({"machine/security.txt": b"Contact: mailto:security@example.com\n"}, (GAP,))


def no_gaps(ctx: PackageContext) -> Part:
    return Part({"factsheet.html": b"<title>Fact sheet</title>"})


FAKES = (documents, machine, no_gaps)


def broken(ctx: PackageContext) -> Part:
    raise RuntimeError("generator failed")


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    private, public = tmp_path / "keys" / "private.pem", tmp_path / "keys" / "public.pem"
    keygen(private, public)
    return private, public


@pytest.fixture(autouse=True)
def _no_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_package_holds_every_part_an_index_and_a_signed_manifest(
    tmp_path: Path, keys: tuple[Path, Path]
) -> None:
    out = tmp_path / "pkg"
    result = build_package(CAMERA, out, key=keys[0], generators=FAKES, today=TODAY)
    assert set(result.files) == {
        "docs/guide.html",
        "docs/guide.pdf",
        "factsheet.html",
        "index.html",
        "machine/security.txt",
        MANIFEST,
        SIGNATURE,
    }
    assert set(snapshot(out)) == set(result.files)
    assert result.index == out / "index.html"
    assert result.date == TODAY  # not the example's release date (2025-09-01)
    assert result.gaps == (GAP,)  # met twice, told once
    assert verify(out, load_public_key(keys[1])).ok
    index = (out / "index.html").read_text()
    for path in ("docs/guide.html", "docs/guide.pdf", "factsheet.html", "machine/security.txt", MANIFEST):
        assert f'href="{path}"' in index
    assert '<html lang="en">' in index
    assert stylesheet() in index  # the documents' stylesheet, light and dark
    assert GAP.message in index
    assert result.key_fingerprint is not None
    assert result.key_fingerprint in index


def test_two_builds_are_byte_identical(tmp_path: Path, keys: tuple[Path, Path]) -> None:
    build_package(CAMERA, tmp_path / "a", key=keys[0], generators=FAKES, today=TODAY)
    build_package(CAMERA, tmp_path / "b", key=keys[0], generators=FAKES, today=TODAY)
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_a_pinned_date_sets_the_date(tmp_path: Path) -> None:
    result = build_package(CAMERA, tmp_path / "pkg", generators=FAKES, date=date(2026, 1, 1), today=TODAY)
    assert result.date == date(2026, 1, 1)
    assert json.loads((tmp_path / "pkg" / MANIFEST).read_bytes())["date"] == "2026-01-01"
    assert b"2026-01-01" in (tmp_path / "pkg" / "docs" / "guide.html").read_bytes()


def test_the_build_reads_no_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")  # the CLI reads it; the core never does
    result = build_package(CAMERA, tmp_path / "pkg", generators=FAKES, today=TODAY)
    assert result.date == TODAY  # the day the caller gives, never the environment's


def test_the_package_is_dated_today_whatever_the_release_date(tmp_path: Path) -> None:
    """A device released in 2025 and packaged today ships a security.txt valid from today."""
    from securable.package.machine.securitytxt import build_securitytxt, expires_of

    product = tmp_path / "securable.yaml"
    product.write_text("securable: 1\nproduct:\n  name: Tiny\n")
    result = build_package(product, tmp_path / "pkg", generators=[no_gaps], today=TODAY)
    assert result.gaps == ()  # no release date is no reason to report the date
    today = datetime.now(UTC).date()
    result = build_package(CAMERA, tmp_path / "cam", generators=[build_securitytxt], today=today)
    assert result.date == today
    expires = expires_of((tmp_path / "cam" / ".well-known" / "security.txt").read_bytes())
    assert expires is not None
    assert expires > today
    assert result.warnings == ()


def test_a_pinned_date_whose_security_txt_has_expired_is_warned_about(tmp_path: Path) -> None:
    from securable.package.machine.securitytxt import build_securitytxt

    result = build_package(
        CAMERA,
        tmp_path / "pkg",
        date=date(2025, 9, 1),
        today=date(2026, 12, 4),
        generators=[build_securitytxt],
    )
    (warning,) = result.warnings
    assert warning.startswith(".well-known/security.txt expired on 2026-09-01")


def test_expiry_warnings(tmp_path: Path) -> None:
    from securable.package.build import expiry_warnings

    text = b"Contact: mailto:a@example.com\nExpires: 2026-09-01T00:00:00Z\n"
    assert expiry_warnings(text, date(2026, 7, 1)) == []
    (soon,) = expiry_warnings(text, date(2026, 9, 1) - timedelta(days=3))
    assert "in 3 days" in soon
    (past,) = expiry_warnings(text, date(2026, 12, 4))
    assert "expired on 2026-09-01" in past
    assert expiry_warnings(None, date(2026, 12, 4)) == []
    assert expiry_warnings(b"Contact: x\n", date(2026, 12, 4)) == []


def test_an_explicit_date_wins(tmp_path: Path) -> None:
    result = build_package(CAMERA, tmp_path / "pkg", date=date(2030, 5, 6), generators=FAKES, today=TODAY)
    assert result.date == date(2030, 5, 6)


def test_unsigned_package_has_a_manifest_but_no_signature(tmp_path: Path) -> None:
    result = build_package(CAMERA, tmp_path / "pkg", generators=FAKES, today=TODAY)
    assert result.key_fingerprint is None
    assert (tmp_path / "pkg" / MANIFEST).is_file()
    assert not (tmp_path / "pkg" / SIGNATURE).exists()
    assert "not signed" in (tmp_path / "pkg" / "index.html").read_text()


# --- atomicity -----------------------------------------------------------------------------------


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def test_a_failing_generator_leaves_the_previous_package_intact(
    tmp_path: Path, keys: tuple[Path, Path]
) -> None:
    out = tmp_path / "pkg"
    build_package(CAMERA, out, key=keys[0], generators=FAKES, today=TODAY)
    before = snapshot(out)
    with pytest.raises(RuntimeError, match="generator failed"):
        build_package(CAMERA, out, key=keys[0], generators=[documents, broken], today=TODAY)
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []


def test_a_failure_while_swapping_restores_the_previous_package(
    tmp_path: Path, keys: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "pkg"
    build_package(CAMERA, out, key=keys[0], generators=FAKES, today=TODAY)
    before = snapshot(out)
    real_rename = os.rename
    monkeypatch.setattr(folder, "_exchange", lambda a, b: False)  # the two-rename fallback

    def failing_rename(src: Path, dst: Path) -> None:
        if ".pkg.new-" in str(src):  # the new package moving in
            raise OSError(28, "No space left on device")
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", failing_rename)
    with pytest.raises(InputError, match="No space left"):
        build_package(CAMERA, out, key=keys[0], generators=[documents], today=TODAY)
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []


def test_a_failing_exchange_leaves_the_previous_package(
    tmp_path: Path, keys: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "pkg"
    build_package(CAMERA, out, key=keys[0], generators=FAKES, today=TODAY)
    before = snapshot(out)

    def full_disk(a: Path, b: Path) -> bool:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(folder, "_exchange", full_disk)
    with pytest.raises(InputError, match="No space left"):
        build_package(CAMERA, out, key=keys[0], generators=[documents], today=TODAY)
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []


def test_a_rebuild_replaces_old_files(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    build_package(CAMERA, out, generators=FAKES, today=TODAY)
    build_package(CAMERA, out, generators=[no_gaps], today=TODAY)
    assert set(snapshot(out)) == {"factsheet.html", "index.html", MANIFEST}
    assert leftovers(tmp_path) == []


# --- gaps ----------------------------------------------------------------------------------------


def test_strict_refuses_to_write_when_there_are_gaps(tmp_path: Path) -> None:
    with pytest.raises(GapsFound) as caught:
        build_package(CAMERA, tmp_path / "pkg", strict=True, generators=FAKES, today=TODAY)
    assert exit_code(caught.value) == 1
    assert caught.value.gaps == (GAP,)
    assert "The support period is not stated. (Q4.2.2-1)" in caught.value.render()
    assert not (tmp_path / "pkg").exists()
    assert leftovers(tmp_path) == []


def test_strict_builds_when_nothing_is_missing(tmp_path: Path) -> None:
    result = build_package(CAMERA, tmp_path / "pkg", strict=True, generators=[no_gaps], today=TODAY)
    assert result.gaps == ()


# --- places and inputs ---------------------------------------------------------------------------


def test_a_key_inside_the_package_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    keygen(out / "private.pem", tmp_path / "public.pem")
    with pytest.raises(InputError, match=r"private key .* is inside the package folder"):
        build_package(CAMERA, out, key=out / "private.pem", generators=FAKES, today=TODAY)
    assert (out / "private.pem").exists()


def test_a_product_inside_the_package_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    out.mkdir()
    product = out / "securable.yaml"
    product.write_bytes(CAMERA.read_bytes())
    with pytest.raises(InputError, match="inside the package folder"):
        build_package(product, out, generators=FAKES, today=TODAY)


def test_a_folder_that_is_not_a_package_is_never_replaced(tmp_path: Path) -> None:
    out = tmp_path / "precious"
    out.mkdir()
    (out / "thesis.txt").write_text("years of work")
    with pytest.raises(InputError, match="holds no Securable package"):
        build_package(CAMERA, out, generators=FAKES, today=TODAY)
    assert (out / "thesis.txt").read_text() == "years of work"


def test_an_empty_folder_can_take_the_package(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    build_package(CAMERA, tmp_path / "pkg", generators=FAKES, today=TODAY)
    assert (tmp_path / "pkg" / MANIFEST).is_file()


def test_a_file_in_place_of_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "pkg").write_text("x")
    with pytest.raises(InputError, match="not a folder"):
        build_package(CAMERA, tmp_path / "pkg", generators=FAKES, today=TODAY)


def test_a_missing_product_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        build_package(tmp_path / "missing.yaml", tmp_path / "pkg", generators=FAKES, today=TODAY)


def test_a_missing_vex_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such VEX file"):
        build_package(CAMERA, tmp_path / "pkg", vex=tmp_path / "vex.json", generators=FAKES, today=TODAY)


def test_a_key_that_is_not_ed25519_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    key = tmp_path / "key.pem"
    key.write_text("-----BEGIN PRIVATE KEY-----\nnonsense\n-----END PRIVATE KEY-----\n")
    with pytest.raises(InputError, match="not a PEM private key"):
        build_package(CAMERA, tmp_path / "pkg", key=key, generators=FAKES, today=TODAY)
    assert not (tmp_path / "pkg").exists()


@pytest.mark.parametrize("path", ["../escape.html", "/abs.html", MANIFEST, SIGNATURE, "index.html"])
def test_a_generator_cannot_write_outside_or_over_the_builders_files(tmp_path: Path, path: str) -> None:
    def rogue(ctx: PackageContext) -> Part:
        return Part({path: b"x"})

    with pytest.raises(ValueError, match="invalid file"):
        build_package(CAMERA, tmp_path / "pkg", generators=[rogue], today=TODAY)
    assert not (tmp_path / "pkg").exists()


def test_two_generators_cannot_write_one_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="another generator wrote already"):
        build_package(CAMERA, tmp_path / "pkg", generators=[no_gaps, no_gaps], today=TODAY)


# --- with the real generators --------------------------------------------------------------------


def test_the_example_package_with_every_generator(tmp_path: Path, keys: tuple[Path, Path]) -> None:
    result = build_package(CAMERA, tmp_path / "pkg", key=keys[0], pdf=False, today=TODAY)
    files = set(result.files)
    assert {"index.html", "factsheet.html", ".well-known/security.txt", MANIFEST, SIGNATURE} <= files
    assert any(p.startswith("docs/") and p.endswith(".html") for p in files)
    assert any(p.startswith("machine/") for p in files)
    assert not any(p.endswith((".pdf", ".png")) for p in files)
    report = verify(tmp_path / "pkg", load_public_key(keys[1]))
    assert report.ok, report.problems
    index = (tmp_path / "pkg" / "index.html").read_text()
    for path in files - {"index.html", SIGNATURE}:
        assert f'href="{path}"' in index, path
    product = json.loads((tmp_path / "pkg" / "machine" / "product.json").read_bytes())
    assert product["assessment"] is not None


def test_the_example_package_is_byte_identical_wherever_it_is_built_from(
    tmp_path: Path, keys: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    day = date(2026, 1, 1)
    build_package(CAMERA, tmp_path / "a", key=keys[0], pdf=False, date=day, today=TODAY)
    monkeypatch.chdir(CAMERA.parent)
    build_package(Path("securable.yaml"), tmp_path / "b", key=keys[0], pdf=False, date=day, today=TODAY)
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
    assert json.loads((tmp_path / "a" / MANIFEST).read_bytes())["date"] == "2026-01-01"


def test_an_almost_empty_description_still_makes_a_package_that_names_its_gaps(tmp_path: Path) -> None:
    product = tmp_path / "securable.yaml"
    product.write_text("securable: 1\nproduct:\n  name: Tiny\n  release_date: 2025-01-01\n")
    result = build_package(product, tmp_path / "pkg", pdf=False, today=TODAY)
    assert {"index.html", "factsheet.html", MANIFEST} <= set(result.files)
    topics = {g.topic for g in result.gaps}
    assert {"support", "updates"} <= topics
    with pytest.raises(GapsFound):
        build_package(product, tmp_path / "strict", pdf=False, strict=True, today=TODAY)
    assert not (tmp_path / "strict").exists()


def test_a_linked_output_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(InputError, match="symbolic link"):
        build_package(CAMERA, tmp_path / "link", generators=FAKES, today=TODAY)
