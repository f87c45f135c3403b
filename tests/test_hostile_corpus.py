"""The hostile-input corpus: every command that reads (or writes) a file, against every kind of
hostile input that applies to it, each run as a real ``securable`` process.

Each case asserts what a user at a terminal needs: the documented exit code (2 for input refused;
the ordinary 0 for a well-formed file, however hostile its text), a short message on stderr that
names the file, no traceback, no raw control characters on either stream, nothing written when the
command fails (no output file, no temp file, inputs byte-identical), and no hang (the subprocess
timeout is a hang guard, never a time assertion) and no runaway memory (the process runs with a
2 GiB address-space limit, so an unbounded read fails fast instead of exhausting the machine).

Cases that fail today are listed in :data:`XFAIL` with what goes wrong; the marks are strict, so a
fix shows up as XPASS and its entry is removed. Run alone with ``make hostile`` or
``.venv/bin/pytest -q -n 2 tests/test_hostile_corpus.py``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import shutil
import stat
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import hostile_cases as hc

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "federal-env-sensor"
HANG_GUARD = 20  # seconds: a hang guard only; the slowest case takes a few seconds
# A case listed in XFAIL as hanging needs less to show that it still does (a fixed one exits at
# once and XPASSes); it keeps the corpus from spending minutes waiting on known hangs.
KNOWN_HANG_GUARD = 5
MEMORY_LIMIT = 2 * 2**30  # bytes of address space per CLI process
MiB = 2**20
STATE = ".securable.yaml.init-state.json"
OSCAL_CAP = 64 * MiB  # securable.oscal.validate.MAX_BYTES, also the profile resolver's
YAML_CAP = 1 * MiB  # securable.product.yamlsource.MAX_BYTES (products and profiles)
KEY_CAP = 64 * 1024  # securable.package.keys.MAX_KEY_BYTES
VEX_CAP = 32 * MiB  # securable.package.machine.sbom_formats.MAX_BYTES
SBOM_CAP = 32 * MiB  # securable.package.machine.sbom_formats.MAX_BYTES, the one SBOM reader's cap
MANIFEST_CAP = 16 * MiB  # securable.package.manifest.MAX_MANIFEST_BYTES
STATE_CAP = 1 * MiB  # securable.product.questionnaire.MAX_STATE_BYTES
TEXT_SUFFIXES = {".html", ".md", ".txt", ".json", ".csv", ".sarif", ".xml", ".svg", ".yaml", ".pem"}
MAX_ERROR_LINES = 25  # a message, a hint and at most 20 listed problems


@dataclass(frozen=True)
class Slot:
    """One file a command reads (or writes): how to run the command with a hostile version of it."""

    id: str
    name: str  # the file's name in the work folder (the good input it is a hostile version of)
    good: str  # which good input (see ``goods``) its well-formed content comes from; "" for none
    cap: int  # the size limit the command documents for it
    argv: Callable[[str], list[str]]  # the command line, given the path of the hostile file
    kinds: tuple[str, ...]
    inputs: tuple[str, ...] = ()  # other good inputs the command needs, copied into the work folder
    outputs: tuple[str, ...] = ()  # what the command may create or replace when it succeeds
    ok: frozenset[int] = frozenset({0})  # exit codes for a well-formed input
    bad: frozenset[int] = frozenset({2})  # exit codes for a refused input
    # Exit codes for a file that parses but breaks its format's rules (a duplicate key, a number out
    # of range, a bad URL): where the command reports such problems as failed validation, 1 as well.
    invalid: frozenset[int] = frozenset()
    refer: Callable[[Path, str], None] | None = None  # point the input that names this file at a path
    inside: bool = False  # the file sits where another input says (an SBOM, a manifest, a state file)
    output: bool = False  # a path the command writes (kinds from hostile_cases.OUTPUTS)
    folder: bool = False  # the input is a folder (a package)


def _point_sbom(where: Path, path: str) -> None:
    product = where / "product.yaml"
    text = product.read_text(encoding="utf-8")
    product.write_text(text.replace("sbom: sbom.cdx.json", f"sbom: {json.dumps(path)}"), encoding="utf-8")


OSCAL_PATHS = hc.PATH_KINDS
# Problems in a product description (and the SBOM and profile it names) are listed with their
# places and exit 1 (README, exit codes); a file that cannot be read as YAML at all exits 2.
PRODUCT_PROBLEM = frozenset({1, 2})
# Kinds that parse but break the format's rules.
INVALID_KINDS = frozenset(
    {"dup-keys", "num-1e309", "num-5000-digits", "num-nan", "yaml-1e309", "yaml-400-digits", "yaml-nan"}
    | set(hc.URL_KINDS)
)
SLOTS = (
    Slot(
        "oscal-validate",
        "doc.json",
        "low.json",
        OSCAL_CAP,
        lambda p: ["oscal", "validate", "--", p],
        hc.JSON_KINDS + OSCAL_PATHS,
        invalid=frozenset({1}),  # schema problems are findings of `oscal validate`
    ),
    Slot(
        "oscal-resolve",
        "doc.json",
        "low.json",
        OSCAL_CAP,
        lambda p: ["oscal", "resolve", "--catalog", "cat.json", "-o", "out.json", "--", p],
        hc.JSON_PARSED_KINDS + OSCAL_PATHS,
        inputs=("cat.json",),
        outputs=("out.json",),
    ),
    Slot(
        "oscal-resolve--catalog",
        "cat-in.json",
        "cat.json",
        OSCAL_CAP,
        lambda p: ["oscal", "resolve", "--catalog", p, "-o", "out.json", "--", "low.json"],
        hc.JSON_PARSED_KINDS + OSCAL_PATHS,
        inputs=("low.json",),
        outputs=("out.json",),
    ),
    Slot(
        "requirements--profile",
        "doc.json",
        "low.json",
        OSCAL_CAP,
        lambda p: ["requirements", "--profile", p, "--catalog", "cat.json", "--format", "markdown"],
        hc.JSON_PARSED_KINDS + OSCAL_PATHS,
        inputs=("cat.json",),
    ),
    Slot(
        "requirements--catalog",
        "cat-in.json",
        "cat.json",
        OSCAL_CAP,
        lambda p: ["requirements", "--profile", "low.json", "--catalog", p, "-o", "req.md"],
        hc.JSON_PARSED_KINDS + OSCAL_PATHS,
        inputs=("low.json",),
        outputs=("req.md",),
    ),
    Slot(
        "evaluate--requirements",
        "doc.json",
        "req.json",
        OSCAL_CAP,
        lambda p: ["evaluate", "--requirements", p, "--", "vendor.json"],
        hc.JSON_PARSED_KINDS + OSCAL_PATHS,
        inputs=("vendor.json",),
    ),
    Slot(
        "evaluate-vendor",
        "vendor-in.json",
        "vendor.json",
        OSCAL_CAP,
        lambda p: ["evaluate", "--requirements", "req.json", "--format", "html", "-o", "eval.html", "--", p],
        hc.JSON_KINDS + OSCAL_PATHS,
        inputs=("req.json",),
        outputs=("eval.html",),
        bad=frozenset({1}),  # a vendor's bad file fails that vendor, not the run (module doc)
    ),
    Slot(
        "evaluate--key",
        "key.pem",
        "public.pem",
        KEY_CAP,
        lambda p: ["evaluate", "--requirements", "req.json", "--key", f"pkg={p}", "--", "pkg"],
        hc.PEM_KINDS + hc.PATH_KINDS,
        inputs=("req.json", "pkg", "private.pem"),
    ),
    Slot(
        "questions",
        "product.yaml",
        "product.yaml",
        YAML_CAP,
        lambda p: ["questions", "--", p],
        hc.YAML_KINDS + hc.URL_KINDS + hc.PATH_KINDS,
        inputs=("sbom.cdx.json",),
        invalid=PRODUCT_PROBLEM,
    ),
    Slot(
        "check",
        "product.yaml",
        "product.yaml",
        YAML_CAP,
        lambda p: ["check", "--fail-on", "none", "--format", "markdown", "-o", "report.md", "--", p],
        hc.YAML_KINDS + hc.URL_KINDS + hc.PATH_KINDS,
        inputs=("sbom.cdx.json",),
        invalid=PRODUCT_PROBLEM,
        outputs=("report.md",),
    ),
    Slot(
        "check--profile",
        "profile-in.yaml",
        "profile.yaml",
        YAML_CAP,
        lambda p: ["check", "--fail-on", "none", "--profile", p, "--", "product.yaml"],
        hc.YAML_KINDS + hc.PATH_KINDS,
        inputs=("product.yaml", "sbom.cdx.json"),
        invalid=PRODUCT_PROBLEM,
    ),
    Slot(
        "init-state",
        STATE,
        "state.json",
        STATE_CAP,
        lambda p: ["init", "--", "securable.yaml"],
        hc.JSON_KINDS + tuple(k for k in hc.PATH_KINDS if k not in hc.RENAMING) + ("dev-zero",),
        outputs=(STATE, "securable.yaml"),
        inside=True,
    ),
    Slot(
        "package",
        "product.yaml",
        "product.yaml",
        YAML_CAP,
        lambda p: ["package", "--no-pdf", "-o", "out", "--", p],
        hc.YAML_KINDS + hc.URL_KINDS + hc.PATH_KINDS,
        inputs=("sbom.cdx.json",),
        invalid=PRODUCT_PROBLEM,
        outputs=("out",),
    ),
    Slot(
        "package--vex",
        "vex-in.json",
        "vex.json",
        VEX_CAP,
        lambda p: ["package", "--no-pdf", "-o", "out", "--vex", p, "--", "product.yaml"],
        hc.JSON_KINDS + hc.PATH_KINDS,
        inputs=("product.yaml", "sbom.cdx.json"),
        outputs=("out",),
    ),
    Slot(
        "package--key",
        "key.pem",
        "private.pem",
        KEY_CAP,
        lambda p: ["package", "--no-pdf", "-o", "out", "--key", p, "--", "product.yaml"],
        hc.PEM_KINDS + hc.PATH_KINDS,
        inputs=("product.yaml", "sbom.cdx.json", "public.pem"),
        outputs=("out",),
    ),
    Slot(
        "package-sbom",
        "sbom.cdx.json",
        "sbom.cdx.json",
        SBOM_CAP,
        lambda p: ["package", "--no-pdf", "-o", "out", "--", "product.yaml"],
        hc.JSON_KINDS + tuple(k for k in hc.PATH_KINDS if k != "name-not-utf8"),
        inputs=("product.yaml",),
        outputs=("out",),
        bad=PRODUCT_PROBLEM,  # the SBOM is checked as part of the product description
        refer=_point_sbom,
        inside=True,
    ),
    Slot(
        "keygen-private",
        "new-private.pem",
        "",
        0,
        lambda p: ["keygen", "--", p, "new-public.pem"],
        hc.OUTPUT_KINDS,
        outputs=("new-public.pem",),
        output=True,
    ),
    Slot(
        "keygen-public",
        "new-public.pem",
        "",
        0,
        lambda p: ["keygen", "--", "new-private.pem", p],
        hc.OUTPUT_KINDS,
        outputs=("new-private.pem",),
        output=True,
    ),
    Slot(
        "verify",
        "pkg-in",
        "pkg",
        0,
        lambda p: ["verify", "--key", "public.pem", "--", p],
        ("valid", "binary", *hc.PATH_KINDS),
        inputs=("public.pem",),
        folder=True,
    ),
    Slot(
        "verify-manifest",
        "pkg/manifest.json",
        "manifest.json",
        MANIFEST_CAP,
        lambda p: ["verify", "--key", "public.pem", "--", "pkg"],
        # Changed text in a signed file is a failed signature, not a hostile text; a manifest has no
        # free-text field to carry a lone surrogate either.
        tuple(k for k in hc.JSON_KINDS if k not in ("injection", "surrogate"))
        + tuple(k for k in hc.PATH_KINDS if k not in hc.RENAMING)
        + ("dev-zero",),
        inputs=("public.pem", "pkg"),
        bad=frozenset({1}),  # a damaged package is a failed verification (README, exit codes)
        inside=True,
    ),
    Slot(
        "verify--key",
        "key.pem",
        "public.pem",
        KEY_CAP,
        lambda p: ["verify", "--key", p, "--", "pkg"],
        hc.PEM_KINDS + hc.PATH_KINDS,
        inputs=("pkg", "private.pem"),
    ),
)

# Exit codes other than the slot's ok/bad ones, where either answer is right.
EXPECTED: dict[str, frozenset[int]] = {
    # A valid JSON number (an integer with 400 digits) in an extra member: the readers that ignore
    # unknown members accept it, the ones that check a schema refuse the member.
    **{f"{s.id}/num-400-digits": frozenset({0, 1, 2}) for s in SLOTS if "num-400-digits" in s.kinds},
    # UTF-16 with a byte-order mark is unambiguous: reading it whole or refusing it are both right.
    **{f"{s.id}/utf16-bom": s.ok | s.bad for s in SLOTS if "utf16-bom" in s.kinds},
    # Writing a key over a symlink that points nowhere (or at itself) replaces the link: either that
    # or a refusal is right, as long as nothing appears where the link points.
    "keygen-private/dangling-symlink": frozenset({0, 2}),
    "keygen-public/dangling-symlink": frozenset({0, 2}),
    "keygen-private/symlink-loop": frozenset({0, 2}),
    "keygen-public/symlink-loop": frozenset({0, 2}),
    "keygen-private/dev-null": frozenset({0, 2}),
    "keygen-public/dev-null": frozenset({0, 2}),
    # No saved answers to resume: a dangling state symlink is the same as no state file.
    "init-state/dangling-symlink": frozenset({0, 2}),
    # Securable writes the state file itself, from answers it has cleaned: control characters in a
    # saved answer mean the file was edited, and refusing it (it says how to start over) is right.
    "init-state/injection": frozenset({0, 2}),
    # An empty folder is a package with everything missing: a failed verification or a refusal.
    "verify/folder": frozenset({1, 2}),
    # A vendor path that cannot be read is bad input (2); evaluating the other vendors and failing
    # that one (1) would be right too.
    "evaluate-vendor/symlink-loop": frozenset({1, 2}),
    "evaluate-vendor/fifo": frozenset({1, 2}),
    "evaluate-vendor/long-component": frozenset({1, 2}),
    "evaluate-vendor/long-path": frozenset({1, 2}),
    "evaluate-vendor/dev-zero": frozenset({1, 2}),
    "evaluate-vendor/dev-null": frozenset({1, 2}),
    # A lone surrogate: refused, or carried along as long as every output stays valid UTF-8.
    **{f"{s.id}/surrogate": s.ok | s.bad for s in SLOTS if "surrogate" in s.kinds},
}


def _each(reason: str, slots: str, kind: str) -> dict[str, str]:
    return {f"{slot}/{kind}": reason for slot in slots.split()}


# What goes wrong today, case by case: the checklist for the fixes. Strict: a fixed case XPASSes
# and its entry goes (a case fixed in some commands only: remove those from the list).
XFAIL: dict[str, str] = {}


def _cases() -> list[object]:
    params: list[object] = []
    for slot in SLOTS:
        for kind in slot.kinds:
            case_id = f"{slot.id}/{kind}"
            marks = [pytest.mark.xfail(strict=True, reason=XFAIL[case_id])] if case_id in XFAIL else []
            params.append(pytest.param(slot, kind, id=case_id, marks=marks))
    return params


# --- good inputs, made once per test process ------------------------------------------------------


def _cli(args: list[str], cwd: Path, timeout: float = HANG_GUARD) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "securable", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=timeout,
        preexec_fn=_limit_memory,  # in the child only: the test process keeps its own limits
        check=False,
    )


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.fixture(scope="session")
def goods(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of well-formed inputs: the example product, a profile, OSCAL documents, keys, a
    signed package, a VEX file and an init state file."""
    where = tmp_path_factory.mktemp("goods")
    shutil.copy(EXAMPLE / "securable.yaml", where / "product.yaml")
    shutil.copy(EXAMPLE / "sbom.cdx.json", where / "sbom.cdx.json")
    shutil.copy(ROOT / "examples" / "profiles" / "medical-device.yaml", where / "profile.yaml")
    shutil.copy(ROOT / "examples" / "agency" / "moderate-requirements.json", where / "req.json")
    for args in (
        ["catalog", "export", "sp800-53r5", "--format", "oscal", "--baseline", "LOW", "-o", "low.json"],
        ["catalog", "export", "sp800-53r5", "--format", "oscal", "-o", "cat.json"],
        ["keygen", "private.pem", "public.pem"],
        ["package", "--no-pdf", "--key", "private.pem", "-o", "pkg", "product.yaml"],
    ):
        done = _cli(args, where, timeout=10 * HANG_GUARD)  # good inputs: no hang to guard against
        assert done.returncode == 0, done.stderr.decode()
    shutil.copy(where / "pkg" / "machine" / "oscal" / "component-definition.json", where / "vendor.json")
    shutil.copy(where / "pkg" / "manifest.json", where / "manifest.json")
    vex = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "vulnerabilities": [
            {
                "id": "CVE-2026-0001",
                "description": "A flaw in the radio stack's frame parser.",
                "analysis": {
                    "state": "not_affected",
                    "justification": "code_not_reachable",
                    "detail": "The vulnerable parser is not built into the firmware.",
                },
                "affects": [{"ref": "zephyr"}],
            }
        ],
    }
    (where / "vex.json").write_text(json.dumps(vex, indent=1) + "\n", encoding="utf-8")
    state = {"securable-init": 1, "file": "securable.yaml", "answers": {"product.name": "Acme Widget"}}
    (where / "state.json").write_text(json.dumps(state, indent=1) + "\n", encoding="utf-8")
    return where


# --- the work folder before and after ---------------------------------------------------------


@dataclass
class Entry:
    kind: str
    detail: object = None


def _signature(path: str) -> Entry:
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        return Entry("link", os.readlink(path))
    if stat.S_ISDIR(info.st_mode):
        return Entry("dir")
    if not stat.S_ISREG(info.st_mode):
        return Entry("special", stat.S_IFMT(info.st_mode))
    if info.st_size > MiB or not os.access(path, os.R_OK):
        # Big (sparse) files: size, inode and change time show a rewrite without reading them.
        return Entry("file", (info.st_size, info.st_ino, info.st_mtime_ns, info.st_mode))
    with open(path, "rb") as handle:
        return Entry("file", (hashlib.sha256(handle.read()).hexdigest(), info.st_mode))


def snapshot(root: Path) -> dict[str, Entry]:
    """Every entry under ``root`` (symlinks not followed) with what it holds."""
    out: dict[str, Entry] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            out[os.path.relpath(path, root)] = _signature(path)
    return out


def _under(path: str, roots: tuple[str, ...]) -> bool:
    return any(path == r or path.startswith(r + os.sep) for r in roots)


# --- the checks -------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 but tab and newline, DEL, C1


def _stream_problems(name: str, data: bytes) -> list[str]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        return [f"{name} is not UTF-8 ({err.reason} at byte {err.start})"]
    problems = []
    if "Traceback" in text:
        problems.append(f"{name} shows a traceback")
    found = sorted({unicodedata.name(c, f"U+{ord(c):04X}") for c in _CONTROL.findall(text)})
    if found:
        problems.append(f"{name} has raw control characters: {', '.join(found)}")
    return problems


def _output_problems(where: Path, outputs: tuple[str, ...]) -> list[str]:
    """Escape sequences or live markup that reached a written report or package file."""
    problems = []
    for out in outputs:
        top = where / out
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for path in files:
            if path.suffix not in TEXT_SUFFIXES:
                continue
            data = path.read_bytes()
            rel = path.relative_to(where)
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                problems.append(f"{rel} is not UTF-8")
            if re.search(rb"[\x07\x08\x1b]", data):
                problems.append(f"{rel} holds raw terminal control characters")
            if path.suffix in (".html", ".md", ".svg"):
                lower = data.lower()
                if b"<script>alert" in lower or b"<img src=x" in lower:
                    problems.append(f"{rel} holds the injected HTML unescaped")
                if re.search(rb"""href\s*=\s*["']?\s*javascript:""", lower) or b"](javascript:" in lower:
                    problems.append(f"{rel} links to a javascript: URL")
    return problems


@dataclass
class Case:
    slot: Slot
    kind: str
    where: Path
    given: str = ""  # the hostile path as given on the command line
    named: list[str] = field(default_factory=list)  # what the message must name


def _prepare(case: Case, goods: Path) -> None:
    slot, where = case.slot, case.where
    for name in slot.inputs:
        source = goods / name
        if source.is_dir():
            shutil.copytree(source, where / name, symlinks=True)
        else:
            shutil.copy(source, where / name)
    good = (goods / slot.good).read_bytes() if slot.good and not slot.folder else b""
    if slot.output:
        case.given = hc.make(case.kind, where, slot.name, good, slot.cap, output=True)
    elif slot.folder and case.kind in ("valid", "dash-name", "name-not-utf8", "unreadable"):
        name = {"valid": slot.name, "unreadable": slot.name, "dash-name": "-" + slot.name}.get(
            case.kind, os.fsdecode(b"bad\xff-" + slot.name.encode())
        )
        shutil.copytree(goods / slot.good, where / name, symlinks=True)
        if case.kind == "unreadable":
            (where / name).chmod(0)
        case.given = name
    else:
        (where / slot.name).unlink(missing_ok=True)  # a copied package's own manifest, replaced
        if slot.inside and not slot.refer and case.kind in ("dev-zero", "dev-null"):
            (where / slot.name).symlink_to(hc.make(case.kind, where, slot.name, good, slot.cap))
            case.given = slot.name
        else:
            case.given = hc.make(case.kind, where, slot.name, good, slot.cap)
        if slot.refer:
            slot.refer(where, case.given)
    if case.kind == "unreadable" and os.access(where / case.given, os.R_OK):
        pytest.skip("permissions do not apply (the tests run as root)")
    # The message names the file; a vendor's file by the vendor name made from it (its stem).
    case.named = [Path(case.given).name[:24]]
    if case.slot.id == "evaluate-vendor":
        case.named.append(f"vendor {Path(case.given).stem[:24]}")


@pytest.mark.parametrize(("slot", "kind"), _cases())
def test_hostile_input(slot: Slot, kind: str, goods: Path, tmp_path: Path) -> None:
    case = Case(slot, kind, tmp_path)
    _prepare(case, goods)
    argv = slot.argv(case.given)
    outputs = slot.outputs + ((case.given,) if slot.output else ())
    before = snapshot(tmp_path)
    guard = KNOWN_HANG_GUARD if XFAIL.get(f"{slot.id}/{kind}", "").startswith("hangs") else HANG_GUARD
    try:
        result = _cli(argv, tmp_path, timeout=guard)
    except subprocess.TimeoutExpired:
        pytest.fail(f"hangs: no exit after {guard} s (securable {' '.join(argv[:2])} ...)")
    after = snapshot(tmp_path)
    ok = kind in hc.ACCEPTED
    expected = EXPECTED.get(f"{slot.id}/{kind}") or (
        slot.ok if ok else slot.bad | (slot.invalid if kind in INVALID_KINDS else frozenset())
    )
    out, err = result.stdout, result.stderr
    shown = f"exit {result.returncode}; stderr: {err.decode(errors='replace')[-1500:]}"

    problems = _stream_problems("stdout", out) + _stream_problems("stderr", err)
    if result.returncode not in expected:
        problems.append(f"exit {result.returncode}, expected {sorted(expected)}")
    if result.returncode == 2:
        lines = err.decode(errors="replace").splitlines()
        if not lines or not lines[0].startswith("securable: error:"):
            problems.append("no error message on stderr")
        if len(lines) > MAX_ERROR_LINES:
            problems.append(f"{len(lines)} lines on stderr")
    if result.returncode != 0 and not ok:
        said = (out + err).decode(errors="replace")
        if not any(n in said for n in case.named):
            problems.append(f"the message does not name {case.named[0]!r}")
    # Nothing written on failure; on success only the command's own outputs.
    allowed = outputs if result.returncode in (0, 1) else ()
    changed = sorted(
        p for p in set(before) | set(after) if before.get(p) != after.get(p) and not _under(p, allowed)
    )
    if changed:
        problems.append(f"written or changed: {', '.join(changed[:5])}")
    if result.returncode in (0, 1):
        problems += _output_problems(tmp_path, tuple(o for o in outputs if (tmp_path / o).exists()))
    assert not problems, f"{'; '.join(problems)}\n{shown}"


def test_xfail_and_expected_tables_name_only_cases_that_exist() -> None:
    cases = {f"{slot.id}/{kind}" for slot in SLOTS for kind in slot.kinds}
    assert set(XFAIL) <= cases
    assert set(EXPECTED) <= cases
