"""The package manifest: the SHA-256 of every file, signed with Ed25519 (NISTIR 8259 4.1, Q4).

A customer who holds the manufacturer's public key can check that a package is exactly what the
manufacturer published: no file changed, none missing, none added.

``manifest.json`` (UTF-8 JSON, two-space indent, keys in this order, one trailing newline)::

    {
      "format": "securable-manifest/1",
      "product": {"name": "Acme HomeCam 2", "version": "2.0"},
      "date": "2025-09-01",
      "algorithm": {"digest": "sha256", "signature": "ed25519"},
      "key_fingerprint": "sha256:9f86d0…",
      "files": [{"path": "docs/guide.html", "sha256": "e3b0c4…", "size": 1234}, …]
    }

* ``files`` lists every file of the package except ``manifest.json`` and ``manifest.sig``, sorted
  by path (POSIX, relative, no ``.``/``..`` parts); ``size`` is in bytes, ``sha256`` lowercase hex.
* ``key_fingerprint`` is ``sha256:`` and the hex SHA-256 of the raw 32-byte Ed25519 public key, so a
  customer can tell which key signed (``securable keygen`` prints the same fingerprint; keys are
  made and read by :mod:`securable.package.keys`).
* ``manifest.sig`` is the base64 Ed25519 signature of the exact bytes of ``manifest.json``, plus a
  newline. Ed25519 signatures are deterministic, so rebuilding a package gives the same signature.
  :func:`verify` takes nothing else: exactly 88 characters of canonical base64 (the spelling
  :func:`base64.b64encode` gives, padding bits zero) and one newline. Anything appended, whitespace
  inside, another spelling of the same bytes is "not in canonical form": a signature file is no
  place to carry other data.
* An unsigned package has ``"algorithm": {"digest": "sha256", "signature": null}`` and
  ``"key_fingerprint": null`` and no ``manifest.sig``; :func:`verify` reports it as unsigned and
  fails, because nothing ties it to the manufacturer.

:func:`verify` hashes a file only when its size is the one the manifest records (a file of another
size has changed, and a huge or sparse one would only stall the check), reports empty folders that
the manifest cannot list as added, and gives every path in its report ready to print: bytes that
are not UTF-8 in a file name are shown as ``\\xNN`` escapes (:func:`display_path`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import stat
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from securable.package.keys import fingerprint
from securable.textsafety import terminal_path

FORMAT = "securable-manifest/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
RESERVED = frozenset({MANIFEST, SIGNATURE})
MAX_MANIFEST_BYTES = 16 * 1024 * 1024  # a package of 100,000 files needs ~12 MiB; more is an attack
_HEX = frozenset("0123456789abcdef")
SIGNATURE_BYTES = 89  # base64 of a 64-byte Ed25519 signature (88 characters) and a newline
# Never follow a link when opening, and never block on a pipe planted where a file should be.
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


# --- paths ---------------------------------------------------------------------------------------


# ``path`` ready to print or put in JSON: undecodable bytes of a file name become ``\\xNN``, as do
# lone surrogates and control characters (the one terminal sanitiser, securable.textsafety).
display_path = terminal_path


def unsafe_reason(path: object) -> str | None:
    """Why ``path`` may not name a file inside a package, or None if it may.

    Used both on what generators produce and on what a (possibly tampered) manifest lists, so a
    manifest can never make :func:`verify` read outside the package folder.
    """
    if not isinstance(path, str) or not path:
        return "not a file path"
    if "\\" in path or "\x00" in path:
        return "backslashes and NUL characters are not allowed in package paths"
    if any("\ud800" <= char <= "\udfff" for char in path):
        # JSON can spell lone surrogates ("\ud800"); no file name the builder writes holds one.
        return "not valid Unicode text (a lone surrogate)"
    if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        return "absolute paths are not allowed"
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "empty, '.' and '..' path parts are not allowed (the path would leave the package)"
    return None


# --- writing -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Signed:
    """The two files that make a package checkable: manifest bytes and (if signed) the signature."""

    manifest: bytes
    signature: bytes | None
    key_fingerprint: str | None


def make_manifest(
    files: dict[str, bytes],
    *,
    product_name: str | None,
    product_version: str | None,
    date: str,
    key: Ed25519PrivateKey | None,
) -> Signed:
    """The manifest of ``files`` (package path -> content), signed with ``key`` when given."""
    key_fp = fingerprint(key.public_key()) if key is not None else None
    document = {
        "format": FORMAT,
        "product": {"name": product_name, "version": product_version},
        "date": date,
        "algorithm": {"digest": "sha256", "signature": "ed25519" if key is not None else None},
        "key_fingerprint": key_fp,
        "files": [
            {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for path, data in sorted(files.items())
        ],
    }
    manifest = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    signature = None if key is None else base64.b64encode(key.sign(manifest)) + b"\n"
    return Signed(manifest, signature, key_fp)


# --- verifying -----------------------------------------------------------------------------------

# Outcome kinds, in the order a report lists them. Each is a reason the package cannot be trusted.
KINDS = (
    "no-manifest",  # manifest.json is missing or unreadable
    "malformed-manifest",  # not JSON, or not this format
    "unsigned",  # the manifest says the package was never signed
    "missing-signature",  # signed package whose manifest.sig is gone
    "bad-signature",  # manifest.json or manifest.sig changed after signing
    "wrong-key",  # signed, but by another key than the one given
    "unsafe-path",  # the manifest names a path outside the package (tampering)
    "symlink",  # a link (or a device, a pipe) inside the package; packages hold only plain files
    "changed",
    "missing",
    "added",
)


@dataclass(frozen=True, slots=True)
class Problem:
    kind: str  # one of KINDS
    message: str  # plain words, ready to print
    path: str | None = None  # the package path concerned, if any


@dataclass(frozen=True, slots=True)
class VerifyReport:
    directory: Path
    signature: str  # "valid", "invalid", "wrong-key", "unsigned", "missing" or "unknown"
    key_fingerprint: str  # of the key the customer gave
    signed_by: str | None  # the fingerprint recorded in the manifest
    product_name: str | None
    product_version: str | None
    date: str | None
    files_checked: int
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return self.signature == "valid" and not self.problems

    def to_json(self) -> dict[str, Any]:
        return {
            "package": display_path(str(self.directory)),
            "ok": self.ok,
            "signature": self.signature,
            "key_fingerprint": self.key_fingerprint,
            "signed_by": self.signed_by,
            "product": {"name": self.product_name, "version": self.product_version},
            "date": self.date,
            "files_checked": self.files_checked,
            "problems": [{"kind": p.kind, "path": p.path, "message": p.message} for p in self.problems],
        }


@dataclass(frozen=True, slots=True)
class _Entry:
    path: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class _Manifest:
    product_name: str | None
    product_version: str | None
    date: str | None
    key_fingerprint: str | None
    entries: tuple[_Entry, ...]


def verify(directory: Path, public_key: Ed25519PublicKey) -> VerifyReport:
    """Check ``directory`` against its manifest and signature; never raises for a bad package.

    A missing folder is an :class:`InputError` (the customer typed a wrong path); everything about
    the package's content is reported as a :class:`Problem`. The signature is checked over the raw
    manifest bytes before anything in the manifest is believed; file checks still run on an
    untrusted manifest, because knowing *which* files differ helps, but the report fails anyway.
    """
    from securable.errors import InputError
    from securable.inputfile import MISSING, kind, require_folder, shown

    if kind(directory) == MISSING:  # perhaps an interrupted build left the old package beside it
        raise InputError("no such folder", hint=_missing_hint(directory), location=shown(directory))
    require_folder(directory, "folder", "give the folder made by `securable package`")
    given_fp = fingerprint(public_key)
    problems: list[Problem] = []
    raw = _read_manifest(directory, problems)
    parsed = _parse_manifest(raw, problems) if raw is not None else None
    signature = _check_signature(directory, raw, parsed, public_key, problems)
    checked = _check_files(directory, parsed.entries, problems) if parsed is not None else 0
    order = {kind: i for i, kind in enumerate(KINDS)}
    return VerifyReport(
        directory=directory,
        signature=signature,
        key_fingerprint=given_fp,
        # What the manifest says is shown as it is, but escaped like paths: a tampered manifest may
        # hold lone surrogates ("\ud800" in JSON) that no terminal or JSON encoder takes.
        signed_by=_shown(parsed.key_fingerprint) if parsed else None,
        product_name=_shown(parsed.product_name) if parsed else None,
        product_version=_shown(parsed.product_version) if parsed else None,
        date=_shown(parsed.date) if parsed else None,
        files_checked=checked,
        problems=tuple(
            sorted(
                (Problem(p.kind, display_path(p.message), _shown(p.path)) for p in problems),
                key=lambda p: (order[p.kind], p.path or ""),
            )
        ),
    )


def listed_paths(directory: Path) -> set[str] | None:
    """The safe file paths the manifest in ``directory`` lists (signature unchecked), or None when
    there is no readable manifest of this format: what a rebuild of the folder may replace."""
    problems: list[Problem] = []
    raw = _read_manifest(directory, problems)
    parsed = _parse_manifest(raw, problems) if raw is not None else None
    if parsed is None:
        return None
    return {e.path for e in parsed.entries if unsafe_reason(e.path) is None and e.path not in RESERVED}


def _missing_hint(directory: Path) -> str:
    # Only where renaming two folders in one step is impossible can a build killed between its
    # two renames leave the previous package beside the folder; the next build puts it back.
    parent, prefix = directory.absolute().parent, f".{directory.name}.old-"
    with suppress(OSError):
        for name in sorted(os.listdir(parent)):
            if name.startswith(prefix) and (parent / name / MANIFEST).is_file():
                return (
                    f"an interrupted build left the previous package in {parent / name}; run "
                    "`securable package` again to put it back, or verify that folder"
                )
    return "give the folder made by `securable package`"


def _shown(value: str | None) -> str | None:
    return display_path(value) if value else value


def _read_manifest(directory: Path, problems: list[Problem]) -> bytes | None:
    try:
        data = _read_regular(directory / MANIFEST, MAX_MANIFEST_BYTES + 1)
    except FileNotFoundError:
        problems.append(
            Problem("no-manifest", f"{MANIFEST} is missing: not a Securable package, or it was deleted")
        )
        return None
    except OSError as err:
        problems.append(Problem("no-manifest", f"cannot read {MANIFEST}: {err.strerror or err}"))
        return None
    if len(data) > MAX_MANIFEST_BYTES:
        problems.append(Problem("malformed-manifest", f"{MANIFEST} is larger than any real manifest"))
        return None
    return data


def _parse_manifest(raw: bytes, problems: list[Problem]) -> _Manifest | None:
    from securable.jsonread import JSONProblem, parse

    try:
        return _manifest_from(parse(raw, MANIFEST))
    except JSONProblem as err:
        problems.append(Problem("malformed-manifest", f"{err.location}: {err.message}"))
    except _Malformed as err:
        problems.append(Problem("malformed-manifest", f"{MANIFEST}: {err}"))
    return None


class _Malformed(Exception):
    pass


def _manifest_from(doc: object) -> _Manifest:
    if not isinstance(doc, dict):
        raise _Malformed("the top level is not an object")
    if doc.get("format") != FORMAT:
        raise _Malformed(f"format is {doc.get('format')!r}, expected {FORMAT!r}")
    product = doc.get("product")
    if not isinstance(product, dict):
        raise _Malformed("'product' is not an object")
    algorithm = doc.get("algorithm")
    if not isinstance(algorithm, dict) or algorithm.get("digest") != "sha256":
        raise _Malformed("'algorithm' must name the sha256 digest")
    if algorithm.get("signature") not in ("ed25519", None):
        raise _Malformed(f"unknown signature algorithm {algorithm.get('signature')!r}")
    key_fp = doc.get("key_fingerprint")
    if (key_fp is None) != (algorithm.get("signature") is None):
        raise _Malformed("'key_fingerprint' and 'algorithm.signature' disagree on whether it is signed")
    files = doc.get("files")
    if not isinstance(files, list):
        raise _Malformed("'files' is not a list")
    entries = []
    for number, item in enumerate(files, 1):
        if not (
            isinstance(item, dict)
            and isinstance(item.get("path"), str)
            and isinstance(item.get("sha256"), str)
            and len(item["sha256"]) == 64
            and set(item["sha256"]) <= _HEX
            and type(item.get("size")) is int
            and item["size"] >= 0
        ):
            raise _Malformed(f"file entry {number} needs a path, a lowercase hex sha256 and a size")
        entries.append(_Entry(item["path"], item["sha256"], item["size"]))
    return _Manifest(
        product_name=_str_or_none(product.get("name")),
        product_version=_str_or_none(product.get("version")),
        date=_str_or_none(doc.get("date")),
        key_fingerprint=_str_or_none(key_fp),
        entries=tuple(entries),
    )


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _check_signature(
    directory: Path,
    raw: bytes | None,
    parsed: _Manifest | None,
    public_key: Ed25519PublicKey,
    problems: list[Problem],
) -> str:
    given_fp = fingerprint(public_key)
    if raw is None:
        return "unknown"
    try:
        sig_text = _read_regular(directory / SIGNATURE, SIGNATURE_BYTES + 1)
    except FileNotFoundError:
        if parsed is not None and parsed.key_fingerprint is None:
            problems.append(
                Problem(
                    "unsigned",
                    "the package is unsigned: its files match nothing the manufacturer vouched for",
                )
            )
            return "unsigned"
        problems.append(Problem("missing-signature", f"{SIGNATURE} is missing", SIGNATURE))
        return "missing"
    except OSError as err:
        problems.append(Problem("bad-signature", f"cannot read {SIGNATURE}: {err.strerror or err}"))
        return "invalid"
    signature = canonical_signature(sig_text)
    if signature is None:
        problems.append(
            Problem(
                "bad-signature",
                "signature file is not in canonical form (one base64 Ed25519 signature and a newline, "
                "nothing else)",
            )
        )
        return "invalid"
    try:
        public_key.verify(signature, raw)
    except InvalidSignature:
        signer = parsed.key_fingerprint if parsed else None
        if signer and signer != given_fp:
            problems.append(
                Problem(
                    "wrong-key",
                    f"the package says it was signed by key {signer}, not by the key given "
                    f"({given_fp}); get the manufacturer's public key for this product",
                )
            )
            return "wrong-key"
        problems.append(
            Problem(
                "bad-signature",
                f"the signature does not match {MANIFEST}: the manifest or its signature was "
                "changed after signing",
            )
        )
        return "invalid"
    if parsed is not None and parsed.key_fingerprint != given_fp:
        # A valid signature whose manifest names another key: signed by this key, but the record is
        # wrong. Unlikely outside tests, but still not a manifest to stand behind.
        problems.append(Problem("malformed-manifest", "key_fingerprint does not name the signing key"))
    return "valid"


def canonical_signature(data: bytes) -> bytes | None:
    """The 64 signature bytes of ``data`` if it is exactly what :func:`make_manifest` writes, else None."""
    if len(data) != SIGNATURE_BYTES or not data.endswith(b"\n"):
        return None
    text = data[:-1]
    try:
        signature = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    # The round trip refuses other spellings of the same bytes (non-zero padding bits).
    return signature if len(signature) == 64 and base64.b64encode(signature) == text else None


def _check_files(directory: Path, entries: tuple[_Entry, ...], problems: list[Problem]) -> int:
    """Compare listed files with the folder; return how many listed files were checked."""
    listed: dict[str, _Entry] = {}
    for entry in entries:
        reason = unsafe_reason(entry.path)
        if reason is None and entry.path in RESERVED:
            reason = f"{entry.path} cannot list itself"
        if reason is not None:
            problems.append(Problem("unsafe-path", f"refused {entry.path!r}: {reason}", entry.path))
        elif entry.path in listed:
            problems.append(Problem("malformed-manifest", "listed twice", entry.path))
        else:
            listed[entry.path] = entry
    present, links, empty = _scan(directory)
    for path in links:
        problems.append(Problem("symlink", "a link or special file; packages hold only plain files", path))
    for path, entry in listed.items():
        if path in links:
            continue
        problem = _check_one(directory, entry)
        if problem is not None:
            problems.append(problem)
    for path in sorted(present - listed.keys() - RESERVED):
        problems.append(Problem("added", "added: not in the manifest", path))
    # An empty folder is added unless it held listed files (those are reported missing already).
    holding = {parent for path in listed for parent in _parents(path)}
    for path in empty:
        if path not in holding:
            problems.append(Problem("added", "added: an empty folder, not in the manifest", path + "/"))
    return len(listed)


def _parents(path: str) -> list[str]:
    """``a/b/c.txt`` -> ``a``, ``a/b``."""
    parts = path.split("/")[:-1]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def _check_one(directory: Path, entry: _Entry) -> Problem | None:
    target = directory.joinpath(*entry.path.split("/"))
    # Walk the parents with lstat so a linked folder cannot lead the check outside the package.
    current = directory
    for part in entry.path.split("/")[:-1]:
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            return Problem("missing", "missing", entry.path)
        except OSError as err:  # a name too long, a folder we may not enter: not what was signed
            return Problem("missing", f"cannot be reached: {err.strerror or err}", entry.path)
        if stat.S_ISLNK(mode):
            return Problem("symlink", "inside a symbolic link; packages never contain links", entry.path)
        if not stat.S_ISDIR(mode):
            return Problem("missing", "missing (a file stands where its folder should be)", entry.path)
    try:
        digest, size = _hash_file(target, entry.size)
    except FileNotFoundError:
        return Problem("missing", "missing", entry.path)
    except IsADirectoryError:
        return Problem("changed", "changed: now a folder, not a file", entry.path)
    except OSError as err:
        return Problem("changed", f"cannot be read: {err.strerror or err}", entry.path)
    if size != entry.size or digest != entry.sha256:
        return Problem("changed", f"changed: {size} bytes now, {entry.size} when signed", entry.path)
    return None


def _scan(directory: Path) -> tuple[set[str], list[str], list[str]]:
    """Every regular file (as a package path), every link or special file, and every empty folder
    in ``directory``."""
    files: set[str] = set()
    odd: list[str] = []
    empty: list[str] = []
    for root, dirs, names in os.walk(directory, followlinks=False):
        rel = Path(root).relative_to(directory).as_posix()
        prefix = "" if rel == "." else rel + "/"
        if not dirs and not names and prefix:
            empty.append(rel)
        for name in sorted(dirs):
            if os.path.islink(os.path.join(root, name)):
                odd.append(prefix + name)
        for name in names:
            mode = os.lstat(os.path.join(root, name)).st_mode
            if stat.S_ISREG(mode):
                files.add(prefix + name)
            else:
                odd.append(prefix + name)  # links and special files alike
    return files, sorted(odd), sorted(empty)


def _read_regular(path: Path, limit: int) -> bytes:
    fd = os.open(path, os.O_RDONLY | _NO_FOLLOW)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(f"{path.name} is not a regular file")
        return handle.read(limit)


def _hash_file(path: Path, expected_size: int) -> tuple[str, int]:
    """(SHA-256, size) of the file at ``path``; the digest is empty, and nothing is read, when its
    size is not ``expected_size``: it has changed either way."""
    fd = os.open(path, os.O_RDONLY | _NO_FOLLOW)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{path.name} is not a regular file")
        if info.st_size != expected_size:
            return "", info.st_size
        digest = hashlib.file_digest(handle, "sha256")
        return digest.hexdigest(), handle.tell()
