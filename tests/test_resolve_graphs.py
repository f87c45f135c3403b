"""Hostile import graphs for the OSCAL profile resolver: diamonds, long chains, cycles, imports without href.

The graphs are generated here, file by file. A diamond or a long chain that a recursive or
unmemoised resolver could not finish runs in a subprocess with a timeout, used only as a hang guard.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from securable.cli import main
from securable.errors import InputError
from securable.oscal.resolution import resolve as resolve_mod
from securable.oscal.resolution.resolve import resolve_file

META = {"title": "t", "last-modified": "2024-01-01T00:00:00Z", "version": "1", "oscal-version": "1.1.2"}
HANG_GUARD = 120  # seconds; far above what any case takes, only so a regression cannot hang the run


def _uuid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc), "utf-8")
    return path


def catalog(folder: Path, name: str = "p0.json") -> Path:
    controls = [{"id": "c-1", "title": "C1"}, {"id": "c-2", "title": "C2"}]
    return write(folder / name, {"catalog": {"uuid": _uuid(0), "metadata": META, "controls": controls}})


def profile(n: int, *imports: dict[str, Any], method: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"uuid": _uuid(n + 1), "metadata": META, "imports": list(imports)}
    if method:
        body["merge"] = {"combine": {"method": method}, "flat": {}}
    return {"profile": body}


def every(href: str) -> dict[str, Any]:
    return {"href": href, "include-all": {}}


def diamond(folder: Path, levels: int, method: str | None = None) -> Path:
    catalog(folder)
    for i in range(1, levels + 1):
        write(
            folder / f"p{i}.json", profile(i, every(f"p{i - 1}.json"), every(f"p{i - 1}.json"), method=method)
        )
    return folder / f"p{levels}.json"


def chain(folder: Path, length: int) -> Path:
    catalog(folder)
    for i in range(1, length + 1):
        write(folder / f"p{i}.json", profile(i, every(f"p{i - 1}.json")))
    return folder / f"p{length}.json"


def cli(*argv: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from securable.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=HANG_GUARD, check=False
    )


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert "internal error" not in err
    return code, out, err


# ---- diamonds: each profile is resolved once ------------------------------------------------------------


def test_a_forty_level_diamond_resolves(tmp_path: Path) -> None:
    # 2**40 resolutions for a resolver that resolves every import afresh; 41 with memoisation.
    top = diamond(tmp_path, 40, method="use-first")
    out = tmp_path / "out.json"
    done = cli("oscal", "resolve", str(top), "-o", str(out))
    assert done.returncode == 0, done.stderr
    resolved = json.loads(out.read_text("utf-8"))["catalog"]
    assert [c["id"] for c in resolved["controls"]] == ["c-1", "c-2"]


def test_keep_copies_through_a_diamond_and_warns_once(tmp_path: Path) -> None:
    result = resolve_file(diamond(tmp_path, 10))
    # merge/combine 'keep' keeps every copy: 2**10 of each control, as the specification asks.
    assert len(result.catalog["controls"]) == 2 * 2**10
    assert len([w for w in result.warnings if "control c-1 is selected by more than one import" in w]) == 1
    assert len(result.sources) == 11  # every file read once


def test_a_diamond_that_multiplies_controls_past_the_limit_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resolve_mod, "MAX_CONTROLS", 500)
    out = tmp_path / "out.json"
    code, _, err = run(capsys, "oscal", "resolve", str(diamond(tmp_path, 12)), "-o", str(out))
    assert code == 2
    assert "p8.json: the resolved catalog would hold 512 controls, more than 500" in err
    assert "'use-first'" in err
    assert not out.exists()


# ---- chains: no recursion, and a bound that names the chain ---------------------------------------------


def test_a_chain_of_240_resolves(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    code, _, err = run(capsys, "oscal", "resolve", str(chain(tmp_path, 240)), "-o", str(out))
    assert code == 0, err
    assert [c["id"] for c in json.loads(out.read_text("utf-8"))["catalog"]["controls"]] == ["c-1", "c-2"]


def test_a_chain_of_10000_is_refused_naming_the_chain(tmp_path: Path) -> None:
    top = chain(tmp_path, 10_000)
    out = tmp_path / "out.json"
    done = cli("requirements", "--profile", str(top), "-o", str(out))
    assert done.returncode == 2, done.stderr
    limit = resolve_mod.MAX_IMPORT_DEPTH
    assert (
        f"p{10_001 - limit}.json: imports[0]: imports nest more than {limit:,} profiles deep" in done.stderr
    )
    assert "p10000.json -> p9999.json -> p9998.json -> … ->" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_the_chain_bound_is_exact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resolve_mod, "MAX_IMPORT_DEPTH", 5)
    assert resolve_file(chain(tmp_path, 5)).selected == ("c-1", "c-2")
    with pytest.raises(InputError, match="more than 5 profiles deep"):
        resolve_file(chain(tmp_path, 6))


# ---- cycles and imports without href --------------------------------------------------------------------


def test_a_cycle_below_the_top_is_named(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    catalog(tmp_path)
    write(tmp_path / "top.json", profile(1, every("p0.json"), every("x.json")))
    write(tmp_path / "x.json", profile(2, every("y.json")))
    write(tmp_path / "y.json", profile(3, every("z.json")))
    write(tmp_path / "z.json", profile(4, every("x.json")))
    code, _, err = run(capsys, "oscal", "resolve", str(tmp_path / "top.json"))
    assert code == 2
    assert "z.json: imports[0]: circular import: x.json -> y.json -> z.json -> x.json" in err


@pytest.mark.parametrize("command", [["oscal", "resolve"], ["requirements", "--profile"]])
def test_an_import_without_href_is_an_error_with_its_place(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: list[str]
) -> None:
    catalog(tmp_path)
    top = write(tmp_path / "top.json", profile(1, every("p0.json"), {"include-all": {}}))
    out = tmp_path / "out.json"
    code, _, err = run(capsys, *command, str(top), "-o", str(out))
    assert code == 2
    assert "top.json: imports[1]: this import has no href" in err
    assert not out.exists()
