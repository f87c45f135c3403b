"""A result cache for ``securable check``, so re-checking an unchanged file costs almost nothing.

A check is a pure function of its inputs: the product file, the files it refers to (its SBOM), the
profile files, the options, the date, the terminal width for table output, and Securable itself
(code and shipped data). The cache keeps the rendered report and the exit code under a key made
from all of those, the way linters cache results. A cold check pays for pydantic, the YAML reader
and the catalogs (about 200 ms); a cached one needs none of them.

The key is made from the bytes the check reads (each input read once, with its size limit), never
from a second read of the files. An entry is a flat record (no nesting, so nothing in it can be
made to cost much to read); anything wrong with it (damaged, too big, not a regular file, naming
a dependency that is a device or a pipe) makes it a miss.

Where: ``$SECURABLE_CACHE_DIR``, else ``$XDG_CACHE_HOME/securable/check``, else
``~/.cache/securable/check``. ``SECURABLE_NO_CACHE=1`` turns it off. Failures to write the cache
never fail the check.
"""

from __future__ import annotations

import hashlib
import os

from securable.inputs import read_capped

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_MAGIC = b"securable-check-cache/3"
MAX_ENTRY_BYTES = 16 * 1024 * 1024  # a report is far smaller; a bigger entry is not kept, nor read
MAX_DEP_BYTES = 32 * 1024 * 1024  # as much as a check reads of a dependency (the SBOM limit)
MAX_DEPS = 16  # a check depends on one SBOM at most; an entry naming more is not ours
MAX_WARNINGS = 64  # a check warns of a few things (an expiring security.txt); more is not ours


def cache_dir() -> str | None:
    if os.environ.get("SECURABLE_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get("SECURABLE_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "securable", "check")


def _code_fingerprint() -> str:
    """Every file of the installed package by path, size and modification time.

    Cheap (a directory walk), and it changes with any upgrade or local edit, code or data.
    """
    digest = hashlib.sha256()
    for top, dirs, files in os.walk(_PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            status = os.stat(os.path.join(top, name))
            digest.update(f"{top}/{name}:{status.st_size}:{status.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def request_key(parts: Sequence[str], inputs: Sequence[tuple[str, bytes]]) -> str:
    """The key of one request: its options plus the content read of each file named on the command line."""
    digest = hashlib.sha256(_MAGIC + b"\n" + f"{_code_fingerprint()}\n".encode())
    for part in parts:
        digest.update(f"{part}\n".encode(errors="surrogatepass"))
    for path, content in inputs:
        digest.update(os.fsencode(os.path.abspath(path)) + b"=")
        digest.update(f"{hashlib.sha256(content).hexdigest()}\n".encode())
    return digest.hexdigest()


def _current_digest(path: str) -> str | None:
    """The digest of a dependency as it is now; None if it is not a regular file or is too big."""
    try:
        content = read_capped(path, MAX_DEP_BYTES, regular_only=True)
    except (OSError, ValueError):  # ValueError: a NUL in a damaged entry's path
        return None
    return hashlib.sha256(content).hexdigest() if len(content) <= MAX_DEP_BYTES else None


def lookup(key: str) -> tuple[str, int, list[str]] | None:
    """The cached (report, exit code, warnings), if present and every file the check read is
    unchanged."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        data = read_capped(os.path.join(folder, key), MAX_ENTRY_BYTES, regular_only=True)
    except OSError:
        return None
    if len(data) > MAX_ENTRY_BYTES:
        return None
    entry = _parse(data)
    if entry is None:
        return None
    text, code, deps, warnings = entry
    if any(_current_digest(path) != digest for path, digest in deps):
        return None
    return text, code, warnings


def _parse(data: bytes) -> tuple[str, int, list[tuple[str, str]], list[str]] | None:
    """(report, exit code, [(dependency, digest)], warnings) from an entry, or None if it is not a
    good one.

    An entry is ``magic NUL code NUL deps NUL warnings NUL (path NUL digest NUL)*deps (warning
    NUL)*warnings report``: NUL cannot occur in a path and is dropped from warnings; the report,
    last, is taken whole. Flat, so a damaged or planted entry costs one split, never a deep parse.
    """
    head = data.split(b"\0", 4)
    if len(head) != 5 or head[0] != _MAGIC or not all(h.isdigit() and len(h) <= 3 for h in head[1:4]):
        return None
    count, notes = int(head[2]), int(head[3])
    if count > MAX_DEPS or notes > MAX_WARNINGS:
        return None
    fields = head[4].split(b"\0", 2 * count + notes)
    if len(fields) != 2 * count + notes + 1:
        return None
    try:
        text = fields[-1].decode("utf-8", "surrogatepass")
        digests = [fields[i + 1].decode("ascii") for i in range(0, 2 * count, 2)]
        warnings = [fields[2 * count + i].decode("utf-8", "surrogatepass") for i in range(notes)]
    except UnicodeDecodeError:
        return None
    paths = [os.fsdecode(fields[i]) for i in range(0, 2 * count, 2)]
    return text, int(head[1]), list(zip(paths, digests, strict=True)), warnings


def store(key: str, text: str, code: int, deps: Mapping[str, str], warnings: Sequence[str] = ()) -> None:
    """Remember a result; ``deps`` are the files the check read beyond the request's own files, each
    with the SHA-256 of the bytes read; ``warnings`` are repeated on a hit."""
    folder = cache_dir()
    if folder is None or len(deps) > MAX_DEPS or len(warnings) > MAX_WARNINGS:
        return
    record = [_MAGIC, str(code).encode(), str(len(deps)).encode(), str(len(warnings)).encode()]
    for path, digest in deps.items():
        record += [os.fsencode(path), digest.encode("ascii")]
    record += [w.replace("\0", "").encode("utf-8", "surrogatepass") for w in warnings]
    data = b"\0".join([*record, text.encode("utf-8", "surrogatepass")])
    if len(data) > MAX_ENTRY_BYTES:
        return  # it would be refused when read back
    try:
        os.makedirs(folder, exist_ok=True)
        tmp = os.path.join(folder, f".{key}.{os.getpid()}.tmp")
        with open(tmp, "wb") as handle:
            handle.write(data)
        os.replace(tmp, os.path.join(folder, key))
    except OSError:
        pass  # a read-only or full disk costs speed next time, never the check itself
