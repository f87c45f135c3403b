"""Property: whatever is done to a signed package, ``securable verify`` says so, and never crashes.

Random mutations of a built package (flipped, appended, truncated, renamed, added, deleted or linked
files, empty folders, edited manifest entries with or without a new valid signature, lone
surrogates included, a garbled signature file) always give exit 1 or 2 with a message, and exit 0
only when the mutations changed nothing. Derandomized; ``SECURABLE_FUZZ_EXAMPLES`` sets how many
examples (a small number by default, so ``make test`` stays quick; a fuzz run can ask for more).
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from securable.cli import main
from securable.package.keys import keygen, load_private_key
from securable.package.manifest import MANIFEST, SIGNATURE, make_manifest

EXAMPLES = int(os.environ.get("SECURABLE_FUZZ_EXAMPLES", "40"))
FILES = {
    "index.html": b"<!DOCTYPE html><title>Package</title>",
    "docs/guide.html": b"<title>Guide</title>" * 20,
    "docs/guide.pdf": b"%PDF-1.7\n" + bytes(range(256)),
    "machine/security.txt": b"Contact: mailto:security@example.com\n",
    "machine/oscal/component-definition.json": b"{}",
}
ALL = sorted([*FILES, MANIFEST, SIGNATURE])
NASTY = [
    "\ud800",
    "docs/\udc80.html",
    "../outside",
    "/etc/passwd",
    "a\x00b",
    "docs",
    "docs/guide.html",
    "",
    "x" * 300 + "/y",
    "C:/boot.ini",
    "manifest.json",
]

# Renamed and added files get names no manifest edit can produce, so two mutations can never
# together make another valid package (a rename matched by a re-signed entry).
names = st.text(alphabet="abcz09.-_/", min_size=1, max_size=12)
entry_paths = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(categories=["L", "N", "P", "Cs", "Cc"]), max_size=20).filter(
        lambda s: not s.startswith(("renamed-", "added-"))
    ),
)
file_index = st.integers(0, len(ALL) - 1)
mutations = st.one_of(
    st.tuples(st.just("flip"), file_index, st.integers(0, 10_000), st.integers(1, 255)),
    st.tuples(st.just("append"), file_index, st.binary(min_size=1, max_size=40)),
    st.tuples(st.just("truncate"), file_index, st.integers(0, 400)),
    st.tuples(st.just("rename"), file_index, names),
    st.tuples(st.just("delete"), file_index),
    st.tuples(st.just("add"), names, st.binary(max_size=20)),
    st.tuples(st.just("mkdir"), names),
    st.tuples(st.just("symlink"), file_index, file_index),
    st.tuples(
        st.just("entry"),
        st.integers(0, len(FILES) - 1),
        st.sampled_from(["path", "sha256", "size"]),
        st.one_of(entry_paths, st.integers(-5, 10**20), st.none()),
        st.booleans(),
    ),
    st.tuples(st.just("signature"), st.binary(max_size=120)),
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A signed package, its private and its public key."""
    root = tmp_path_factory.mktemp("fuzz")
    private, public = root / "private.pem", root / "public.pem"
    keygen(private, public)
    folder = root / "pkg"
    signed = make_manifest(
        FILES,
        product_name="Acme HomeCam 2",
        product_version="2.0",
        date="2025-09-01",
        key=load_private_key(private),
    )
    assert signed.signature is not None
    for path, data in {**FILES, MANIFEST: signed.manifest, SIGNATURE: signed.signature}.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    return folder, private, public


def snapshot(folder: Path) -> dict[str, Any]:
    """Everything verify could see: each entry's kind, and a file's bytes or a link's target."""
    seen: dict[str, Any] = {}
    for root, dirs, files in os.walk(folder):
        for name in [*dirs, *files]:
            path = os.path.join(root, name)
            key = os.path.relpath(path, folder)
            if os.path.islink(path):
                seen[key] = ("link", os.readlink(path))
            elif os.path.isdir(path):
                seen[key] = ("folder",)
            else:
                seen[key] = ("file", Path(path).read_bytes())
    return seen


def _target(folder: Path, index: int) -> Path:
    return folder / ALL[index]


def mutate(folder: Path, private: Path, mutation: tuple[Any, ...]) -> None:
    kind, *args = mutation
    with contextlib.suppress(OSError):  # e.g. the file was deleted or renamed by an earlier mutation
        if kind == "flip":
            target = _target(folder, args[0])
            data = bytearray(target.read_bytes())
            if data:
                data[args[1] % len(data)] ^= args[2]
                target.write_bytes(bytes(data))
        elif kind == "append":
            with _target(folder, args[0]).open("ab") as handle:
                handle.write(args[1])
        elif kind == "truncate":
            os.truncate(_target(folder, args[0]), args[1])
        elif kind == "rename":
            new = folder / f"renamed-{args[1]}"
            new.parent.mkdir(parents=True, exist_ok=True)
            _target(folder, args[0]).rename(new)
        elif kind == "delete":
            _target(folder, args[0]).unlink()
        elif kind == "add":
            new = folder / f"added-{args[0]}"
            new.parent.mkdir(parents=True, exist_ok=True)
            new.write_bytes(args[1])
        elif kind == "mkdir":
            (folder / f"added-{args[0]}").mkdir(parents=True)
        elif kind == "symlink":
            target = _target(folder, args[0])
            target.unlink()
            target.symlink_to(_target(folder, args[1]))
        elif kind == "entry":
            edit_entry(folder, private, *args[:3], resign=args[3])
        elif kind == "signature":
            (folder / SIGNATURE).write_bytes(args[0])


def edit_entry(folder: Path, private: Path, index: int, field: str, value: object, *, resign: bool) -> None:
    raw = (folder / MANIFEST).read_bytes()
    try:
        document = json.loads(raw)
        document["files"][index][field] = value
    except (ValueError, LookupError, TypeError):
        return  # an earlier mutation broke the manifest already
    raw = (json.dumps(document, ensure_ascii=True, indent=2) + "\n").encode()
    (folder / MANIFEST).write_bytes(raw)
    if resign:
        signature = base64.b64encode(load_private_key(private).sign(raw)) + b"\n"
        (folder / SIGNATURE).write_bytes(signature)


@contextlib.contextmanager
def copy_of(folder: Path) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "pkg"
        shutil.copytree(folder, copy, symlinks=True)
        yield copy


@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(mutations, min_size=1, max_size=3))
def test_verify_reports_every_mutation_and_never_crashes(
    template: tuple[Path, Path, Path], changes: list[tuple[Any, ...]]
) -> None:
    folder, private, public = template
    with copy_of(folder) as copy:
        before = snapshot(copy)
        for change in changes:
            mutate(copy, private, change)
        unchanged = snapshot(copy) == before
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["verify", str(copy), "--key", str(public)])
    text = out.getvalue() + err.getvalue()
    assert "internal error" not in text, text
    assert "Traceback" not in text, text
    if unchanged:
        assert code == 0, text
    else:
        assert code in (1, 2), text
        assert "FAILED" in text or "error:" in text, text
