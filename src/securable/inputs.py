"""Reading input files with a size cap, never waiting for a pipe that nobody writes to.

Every file a user names is read at most once, and never more than its cap plus one byte (the one
more shows that the file is too big without reading the rest): ``/dev/zero`` or a huge file costs
one cap's worth of memory, not all of it. Files are opened without blocking, so a named pipe with no
writer is refused at once as empty instead of stalling the command; once open, reading waits for
data as usual, so ``securable check <(cat securable.yaml)`` reads what ``cat`` writes.

Nothing beyond ``os``, ``stat`` and ``errno`` is imported: a cached ``securable check`` reads its
inputs through this module, and that path must stay cheap to start.
"""

from __future__ import annotations

import errno
import os
import stat

from securable.errors import InputError
from securable.fileio import note_input

MAX_YAML_BYTES = 1024 * 1024  # 1 MiB: far more than any product description or profile needs

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import TypeAlias

    PathLike: TypeAlias = "str | os.PathLike[str]"


def read_capped(path: PathLike, limit: int, *, regular_only: bool = False) -> bytes:
    """At most ``limit + 1`` bytes of ``path``; raises :class:`OSError` as ``open`` would.

    A folder raises :class:`IsADirectoryError`. With ``regular_only``, anything but a regular file
    (a device, a pipe, a socket) raises :class:`OSError` before a byte is read: for files whose
    content was recorded earlier and is only compared, where a device or pipe is never right.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    note_input(os.fspath(path))  # whatever a command reads, it must never write over (see securable.fileio)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), os.fspath(path))
        if regular_only and not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, "not a regular file", os.fspath(path))
        os.set_blocking(fd, True)  # open without waiting for a writer, then read as usual
        chunks: list[bytes] = []
        wanted = limit + 1
        while wanted > 0:  # a pipe gives what its writer wrote so far: read until EOF or the cap
            chunk = os.read(fd, min(wanted, 1024 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            wanted -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_input(path: PathLike, limit: int, *, what: str, hint: str) -> bytes:
    """At most ``limit + 1`` bytes of an input file the user named, with clean errors.

    ``what`` names the kind of file in messages ("file", "profile file"); ``hint`` says how to get
    one. The caller checks the length, so it can say what the limit is for.
    """
    name = os.fspath(path)
    try:
        content = read_capped(path, limit)
        if not content and stat.S_ISFIFO(os.stat(path).st_mode):
            raise InputError(
                f"{name}: nothing was written to this pipe",
                hint="start what writes to a named pipe before Securable reads it, or give a regular file",
            )
    except FileNotFoundError as err:
        raise InputError(f"{name}: no such {what}", hint=hint) from err
    except IsADirectoryError as err:
        raise InputError(f"{name} is a folder", hint=f"give the path of the {what} itself") from err
    except OSError as err:
        from securable.inputfile import LOOP, TOO_LONG, problem, shown

        found = {errno.ELOOP: LOOP, errno.ENAMETOOLONG: TOO_LONG}.get(err.errno or 0)
        if found is not None:  # say what the path is, as every other input does
            message, fix = problem(found, what)
            raise InputError(message, hint=fix, location=shown(name)) from err
        raise InputError(f"cannot read {shown(name)}: {err.strerror or err}") from err
    return content


def check_size(size: int, filename: str) -> None:
    """Refuse a YAML input over :data:`MAX_YAML_BYTES`."""
    if size > MAX_YAML_BYTES:
        raise InputError(
            f"{filename} is larger than {MAX_YAML_BYTES // 1024 // 1024} MiB",
            hint="a product description is a few hundred lines; move long texts to linked documents",
        )


def read_yaml_bytes(path: PathLike, *, what: str, hint: str) -> bytes:
    """The bytes of a YAML input file (a product description, a profile), refused when over 1 MiB."""
    raw = read_input(path, MAX_YAML_BYTES, what=what, hint=hint)
    check_size(len(raw), os.fspath(path))
    return raw


def read_product_file(path: PathLike) -> bytes:
    """The bytes of a product description (``securable.yaml``)."""
    return read_yaml_bytes(path, what="file", hint="create one with `securable init --template`")


def read_profile_file(path: PathLike) -> bytes:
    """The bytes of a profile file (``securable check --profile``)."""
    return read_yaml_bytes(path, what="profile file", hint="see docs/profiles.md for the format")
