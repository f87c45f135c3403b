"""A result cache for ``securable check``, so re-checking an unchanged file costs almost nothing.

A check is a pure function of its inputs: the product file, the files it refers to (its SBOM), the
profile files, the options, the date, the terminal width for table output, and Securable itself
(code and shipped data). The cache keeps the rendered report and the exit code under a key made
from all of those, the way linters cache results. A cold check pays for pydantic, the YAML reader
and the catalogs (about 200 ms); a cached one needs none of them.

Where: ``$SECURABLE_CACHE_DIR``, else ``$XDG_CACHE_HOME/securable/check``, else
``~/.cache/securable/check``. ``SECURABLE_NO_CACHE=1`` turns it off. A damaged or stale entry is
simply a miss; failures to write the cache never fail the check.
"""

from __future__ import annotations

import hashlib
import marshal
import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Sequence

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_FORMAT = 1


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


def file_hash(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return "missing"


def request_key(parts: Sequence[str], files: Sequence[str]) -> str:
    """The key of one request: its options plus the content of the files named on the command line."""
    digest = hashlib.sha256(f"securable-check-cache/{_FORMAT}\n{_code_fingerprint()}\n".encode())
    for part in parts:
        digest.update(f"{part}\n".encode())
    for path in files:
        digest.update(f"{os.path.abspath(path)}={file_hash(path)}\n".encode())
    return digest.hexdigest()


def lookup(key: str) -> tuple[str, int, list[str]] | None:
    """The cached (report, exit code, warnings), if present and every file the check read is
    unchanged."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(os.path.join(folder, key), "rb") as handle:
            entry = marshal.loads(handle.read())
        text, code, deps = entry["text"], entry["code"], entry["deps"]
        if entry["format"] != _FORMAT or any(file_hash(p) != h for p, h in deps):
            return None
        return str(text), int(code), [str(w) for w in entry.get("warnings", ())]
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        return None


def store(key: str, text: str, code: int, deps: Sequence[str], warnings: Sequence[str] = ()) -> None:
    """Remember a result; ``deps`` are the files the check read beyond the request's own files."""
    folder = cache_dir()
    if folder is None:
        return
    entry = {
        "format": _FORMAT,
        "text": text,
        "code": code,
        "deps": [(p, file_hash(p)) for p in deps],
        "warnings": list(warnings),
    }
    try:
        os.makedirs(folder, exist_ok=True)
        tmp = os.path.join(folder, f".{key}.{os.getpid()}.tmp")
        with open(tmp, "wb") as handle:
            handle.write(marshal.dumps(entry))
        os.replace(tmp, os.path.join(folder, key))
    except OSError:
        pass  # a read-only or full disk costs speed next time, never the check itself
