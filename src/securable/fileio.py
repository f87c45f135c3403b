"""Writing output files so that a failure never leaves half a file behind.

A regular file (or a new one) is replaced in one step: write a temp file beside it, then rename.
What is not a regular file is written in place, because renaming over it would destroy it: a
device such as ``/dev/null`` or ``/dev/stdout``, or a named pipe. A symbolic link is followed, so
the file it points to is replaced and the link stays. Failures become :class:`InputError`.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from securable.errors import InputError


def _umask() -> int:
    # os.umask can only be read by setting it; this is a single-threaded CLI, so the brief change is safe.
    current = os.umask(0)
    os.umask(current)
    return current


def write_text_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step; the old file stays intact if anything fails."""
    try:
        _write(path, text)
    except InputError:
        raise
    except OSError as err:
        from securable.inputfile import shown

        raise InputError(
            f"cannot write {shown(path)}: {err.strerror or err}", hint="check the path and permissions"
        ) from err


def _write(path: Path, text: str) -> None:
    target = Path(os.path.realpath(path))  # follow symlinks: replace what they point to, keep the link
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise InputError(f"cannot write {path}: it is a folder", hint="give a file name")
    if mode is not None and not stat.S_ISREG(mode):  # a device or pipe: renaming over it would destroy it
        with open(target, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        return
    directory = target.parent
    if not directory.is_dir():
        raise InputError(f"cannot write {path}: folder {path.parent} does not exist", hint="create it first")
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".sec-", suffix=".tmp")  # short: long names stay legal
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes files private: keep an existing file's mode, else honour the user's umask.
        os.chmod(tmp, stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
