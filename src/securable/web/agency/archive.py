"""Unpacking a vendor's package upload (a zip of the package folder) without trusting it.

A zip is a list of names and sizes chosen by whoever made it. Before anything is written, every entry
is checked: a relative path that stays inside the target folder (no ``..``, no absolute path, no
drive letter, no backslash), a regular file or a folder (never a symbolic link or a device), not
encrypted, and not named twice. The number of entries and the total size are bounded, and the sizes
are counted while decompressing rather than taken from the headers, so a zip bomb stops at the cap.
Files are created exclusively, so nothing already in the folder is ever overwritten or followed.
"""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path, PurePosixPath

from securable.errors import InputError

MAX_ARCHIVE = 20 * 1024 * 1024  # the upload itself
MAX_ENTRIES = 2000
MAX_TOTAL = 100 * 1024 * 1024  # all files once unpacked
MAX_NAME = 1024
_CHUNK = 64 * 1024
_HINT = "upload a zip of the package folder that `securable package` wrote"


def unpack(data: bytes, into: Path, *, label: str = "the upload") -> Path:
    """Unpack ``data`` into the empty folder ``into``; returns the package folder inside it.

    A zip whose entries all sit in one top folder (as ``zip -r pkg.zip pkg/`` makes) has that folder
    as its package; otherwise the zip's root is the package. Raises :class:`InputError` for anything
    unsafe or over a limit, naming the entry.
    """
    if len(data) > MAX_ARCHIVE:
        raise InputError(f"{label} is larger than {MAX_ARCHIVE // 2**20} MiB", hint=_HINT)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as err:
        raise InputError(f"{label} is not a zip file", hint=_HINT) from err
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise InputError(f"{label} has more than {MAX_ENTRIES} entries", hint=_HINT)
        paths = [_checked(entry, label) for entry in entries]
        seen: set[str] = set()
        for entry, parts in zip(entries, paths, strict=True):
            key = "/".join(parts).casefold()  # a case-insensitive disk would merge these
            if key in seen:
                raise InputError(f"{label}: {entry.filename!r} appears twice", hint=_HINT)
            seen.add(key)
        if sum(e.file_size for e in entries) > MAX_TOTAL:
            raise InputError(f"{label} unpacks to more than {MAX_TOTAL // 2**20} MiB", hint=_HINT)
        budget = MAX_TOTAL
        for entry, parts in zip(entries, paths, strict=True):
            target = into.joinpath(*parts)
            try:
                if entry.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                budget = _copy(archive, entry, target, budget, label)
            except (OSError, zipfile.BadZipFile, EOFError) as err:
                raise InputError(f"{label}: cannot unpack {entry.filename!r}: {err}", hint=_HINT) from err
    tops = {parts[0] for parts in paths}
    single = next(iter(tops)) if len(tops) == 1 else None
    if single is not None and (into / single).is_dir():
        return into / single
    return into


def _checked(entry: zipfile.ZipInfo, label: str) -> tuple[str, ...]:
    name = entry.filename
    problem = ""
    mode = entry.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if not name or len(name) > MAX_NAME or "\x00" in name:
        problem = "has an empty, over-long or NUL-bearing name"
    elif "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        problem = "is not a relative path inside the package"
    elif entry.flag_bits & 0x1:
        problem = "is encrypted"
    elif kind == stat.S_IFLNK:
        problem = "is a symbolic link"
    elif kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        problem = "is not a regular file or folder"
    if problem:
        raise InputError(f"{label}: entry {name[:200]!r} {problem}", hint=_HINT)
    parts = PurePosixPath(name).parts
    # PurePosixPath drops "." and empty parts, never ".."; a name made only of those is refused too.
    if not parts or any(p in ("..", ".") for p in parts) or any(p != p.strip() or not p for p in parts):
        raise InputError(
            f"{label}: entry {name[:200]!r} is not a relative path inside the package", hint=_HINT
        )
    return tuple(parts)


def _copy(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, target: Path, budget: int, label: str) -> int:
    """Decompress one entry, counting the bytes actually produced against what is left of the cap."""
    with archive.open(entry) as source, target.open("xb") as out:
        while chunk := source.read(_CHUNK):
            budget -= len(chunk)
            if budget < 0:
                raise InputError(f"{label} unpacks to more than {MAX_TOTAL // 2**20} MiB", hint=_HINT)
            out.write(chunk)
    return budget
