"""The `securable check` result cache: hits repeat the cold result exactly; any input change misses."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hostile import finishes
from securable.cli import check_cache, main
from securable.package.machine.sbom_formats import MAX_BYTES as MAX_SBOM_BYTES

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "home-camera"


@pytest.fixture
def product(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("SECURABLE_NO_CACHE")
    monkeypatch.setenv("SECURABLE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "100")
    folder = tmp_path / "camera"
    shutil.copytree(EXAMPLE, folder)
    return folder / "securable.yaml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["check", *argv, "--date", "2025-10-01"])
    return code, capsys.readouterr().out


def entries(product: Path) -> list[Path]:
    return sorted((product.parents[1] / "cache").glob("[0-9a-f]*"))


def test_a_hit_repeats_the_cold_result(product: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cold = run(capsys, str(product), "--fail-on", "low")
    assert len(entries(product)) == 1
    assert run(capsys, str(product), "--fail-on", "low") == cold
    assert cold[0] == 1  # the example has low findings: the cached exit code must say so too


def test_options_are_part_of_the_key(product: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, str(product), "--format", "json")
    run(capsys, str(product), "--format", "markdown")
    run(capsys, str(product), "--format", "json", "--fail-on", "none")
    assert len(entries(product)) == 3


def test_editing_the_product_misses(product: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, before = run(capsys, str(product), "--format", "json")
    product.write_text(product.read_text("utf-8").replace("Acme HomeCam 2", "Acme HomeCam 3"), "utf-8")
    _, after = run(capsys, str(product), "--format", "json")
    assert "Acme HomeCam 3" in after
    assert before != after


def test_editing_the_sbom_misses(product: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, str(product))
    (product.parent / "sbom.cdx.json").write_text("not json", "utf-8")
    code = main(["check", str(product), "--date", "2025-10-01"])
    assert code == 1  # the product no longer validates: the cache must not hide it
    assert "sbom" in capsys.readouterr().err.lower()


def test_a_damaged_entry_is_a_miss(product: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cold = run(capsys, str(product))
    for entry in entries(product):
        entry.write_bytes(b"\x00garbage")
    assert run(capsys, str(product)) == cold


def test_no_cache_switch(
    product: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SECURABLE_NO_CACHE", "1")
    run(capsys, str(product))
    assert not (product.parents[1] / "cache").exists()
    assert check_cache.cache_dir() is None


def test_a_hit_imports_none_of_the_heavy_machinery(product: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, str(product))
    probe = (
        "import sys; from securable.cli import main; "
        f"code = main(['check', {str(product)!r}, '--date', '2025-10-01']); "
        "heavy = [m for m in ('pydantic', 'yaml', 'securable.assess.report') if m in sys.modules]; "
        "print('HEAVY', heavy, code, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "HEAVY [] 0" in done.stderr


def test_the_path_as_typed_and_the_folder_are_part_of_the_key(
    product: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(product.parent)
    _, plain = run(capsys, "securable.yaml", "--format", "json")
    assert '"file": "securable.yaml"' in plain
    monkeypatch.chdir(product.parents[1])
    _, other = run(capsys, "camera/securable.yaml", "--format", "json")
    assert '"file": "camera/securable.yaml"' in other


def test_the_report_never_overwrites_the_product(product: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = product.read_bytes()
    code = main(["check", str(product), "-o", str(product)])
    assert code == 2
    assert "it is an input of this command" in capsys.readouterr().err
    assert product.read_bytes() == before


# --- poisoned entries: whatever is in the cache folder, a check never hangs or fails because of it ---


def poison_dependency(product: Path, dependency: str) -> None:
    """Rewrite the one entry so that it depends on ``dependency`` (with a digest it cannot match)."""
    (entry,) = entries(product)
    check_cache.store(entry.name, "POISONED\n", 0, {dependency: "0" * 64})


@pytest.mark.parametrize("dependency", ["/dev/zero", "fifo", "/dev/stdin", "folder", "nul\0byte"])
def test_an_entry_depending_on_a_device_or_pipe_is_a_miss(
    product: Path, capsys: pytest.CaptureFixture[str], dependency: str
) -> None:
    cold = run(capsys, str(product))
    if dependency == "fifo":
        dependency = str(product.parent / "sbom-pipe")
        os.mkfifo(dependency)
    elif dependency == "folder":
        dependency = str(product.parent)
    poison_dependency(product, dependency)
    assert finishes(lambda: run(capsys, str(product))) == cold


def entry_content(kind: str) -> bytes:
    if kind == "garbage":
        return b"\x00garbage\xff" * 1000
    if kind == "nested":
        return b"[" * 1_000_000 + b"securable-check-cache/3\0"
    if kind == "marshal bomb":  # the former format: a list header claiming two billion items
        return b"[\xff\xff\xff\x7f"
    if kind == "counts out of range":
        return b"securable-check-cache/3\x000\x00999\x000\x00a\x00b\x00report"
    if kind == "too few fields":
        return b"securable-check-cache/3\x000\x002\x000\x00/dev/zero\x00report"
    assert kind == "not UTF-8"
    return b"securable-check-cache/3\x000\x000\x000\x00\xff\xfe report"


@pytest.mark.parametrize(
    "kind", ["garbage", "nested", "marshal bomb", "counts out of range", "too few fields", "not UTF-8"]
)
def test_a_damaged_or_planted_entry_is_a_miss(
    product: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    cold = run(capsys, str(product))
    for entry in entries(product):
        entry.write_bytes(entry_content(kind))
    assert finishes(lambda: run(capsys, str(product))) == cold


@pytest.mark.parametrize("kind", ["huge", "fifo", "/dev/zero", "folder"])
def test_an_entry_that_is_not_a_small_regular_file_is_a_miss(
    product: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    cold = run(capsys, str(product))
    (entry,) = entries(product)
    entry.unlink()
    if kind == "huge":  # sparse: a gigabyte that takes no disk space
        with entry.open("wb") as handle:
            handle.truncate(2**30)
    elif kind == "fifo":
        os.mkfifo(entry)
    elif kind == "folder":
        entry.mkdir()
    else:
        entry.symlink_to(kind)
    assert finishes(lambda: run(capsys, str(product))) == cold


def test_a_report_too_big_for_an_entry_is_not_kept(product: Path) -> None:
    check_cache.store("0" * 64, "x" * check_cache.MAX_ENTRY_BYTES, 0, {})
    assert not (product.parents[1] / "cache" / ("0" * 64)).exists()
    check_cache.store("1" * 64, "report", 1, {})
    assert check_cache.lookup("1" * 64) == ("report", 1, [])


def test_a_dependency_is_compared_within_the_sbom_limit() -> None:
    assert check_cache.MAX_DEP_BYTES >= MAX_SBOM_BYTES  # else a legal SBOM could never be a hit


def test_the_published_security_txt_is_warned_about_near_expiry_cached_or_not(
    product: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = product.read_text(encoding="utf-8")
    assert "  vulnerability_reporting:\n" in text
    product.write_text(
        text.replace(
            "  vulnerability_reporting:\n", "  vulnerability_reporting:\n    security_txt: published.txt\n", 1
        ),
        encoding="utf-8",
    )
    published = product.parent / "published.txt"
    published.write_text(
        "Contact: mailto:security@example.com\nExpires: 2025-10-20T00:00:00Z\n", encoding="utf-8"
    )

    def warnings() -> list[str]:
        main(["check", str(product), "--date", "2025-10-01", "--fail-on", "none"])
        return [line for line in capsys.readouterr().err.splitlines() if "warning" in line]

    expected = (
        "securable: warning: the published security.txt 'published.txt' expires on 2025-10-20, "
        "in 19 days: publish a fresh one (securable package)"
    )
    assert warnings() == [expected]
    assert warnings() == [expected]  # a cache hit says it again
    published.write_text(
        "Contact: mailto:security@example.com\nExpires: 2026-10-01T00:00:00Z\n", encoding="utf-8"
    )
    assert warnings() == []  # the edit is seen: the file is one of the check's inputs
    published.write_text(
        "Contact: mailto:security@example.com\nExpires: 2025-09-01T00:00:00Z\n", encoding="utf-8"
    )
    assert "expired on 2025-09-01" in warnings()[0]
    published.unlink()
    assert "cannot read the published security.txt 'published.txt'" in warnings()[0]
