"""Input files: what a path names, said plainly, and reading one without hanging or reading forever.

Every reader of a user's file (product description, SBOM, VEX, keys, profiles, vendors' OSCAL files)
asks :func:`kind` what the path is before opening it, so that a folder, a named pipe, a device, a
symbolic link loop or a path longer than the system allows is refused with a message that names it,
rather than reported as "not found" or crashing. :func:`read_regular` opens only regular files, with
``O_NONBLOCK`` so that a file swapped for a named pipe between the check and the open cannot block,
and reads at most one byte past its limit.
"""

from __future__ import annotations

import errno
import os
import stat

from securable.errors import InputError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from pathlib import Path

FILE = "file"
MISSING = "missing"
FOLDER = "folder"
PIPE = "named pipe"
DEVICE = "device"
SOCKET = "socket"
LOOP = "symbolic link loop"
TOO_LONG = "path too long"
NOT_A_FOLDER = "not a folder"  # a part of the path before the last is a file
DENIED = "permission denied"
INVALID = "invalid path"  # a NUL character
UNREADABLE = "unreadable"  # any other error of the system

_SHOWN = 160  # characters of a path shown in a message; a 5000-character path helps no one


def shown(path: str | os.PathLike[str]) -> str:
    """``path`` for a message: long ones cut in the middle, with their length."""
    text = os.fspath(path)
    if len(text) <= _SHOWN:
        return text
    half = _SHOWN // 2
    return f"{text[:half]}…{text[-half:]} ({len(text):,} characters)"


def kind(path: str | os.PathLike[str]) -> str:
    """What ``path`` names, following symbolic links: one of the constants of this module."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return MISSING
    except NotADirectoryError:
        return NOT_A_FOLDER
    except PermissionError:
        return DENIED
    except ValueError:  # "embedded null byte"
        return INVALID
    except OSError as err:
        return {errno.ELOOP: LOOP, errno.ENAMETOOLONG: TOO_LONG}.get(err.errno or 0, UNREADABLE)
    if stat.S_ISREG(mode):
        return FILE
    if stat.S_ISDIR(mode):
        return FOLDER
    if stat.S_ISFIFO(mode):
        return PIPE
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return DEVICE
    return SOCKET if stat.S_ISSOCK(mode) else UNREADABLE


def _a(what: str) -> str:
    return f"an {what}" if what[:1] in "aeiouAEIOU" or what.startswith("SBOM") else f"a {what}"


def problem(found: str, what: str) -> tuple[str, str]:
    """(message, hint) for a ``what`` ("VEX file") that is ``found`` instead of a regular file; the
    message is meant to follow the path ("PATH: is a folder, not a VEX file")."""
    a_what = _a(what)
    messages = {
        MISSING: (f"no such {what}", "check the path"),
        FOLDER: (f"is a folder, not {a_what}", f"give the path of the {what} itself"),
        PIPE: (f"is a named pipe, not {a_what}", "save the content to a regular file and give that path"),
        DEVICE: (f"is a device, not {a_what}", f"give the path of a regular {what}"),
        SOCKET: (f"is a socket, not {a_what}", f"give the path of a regular {what}"),
        LOOP: (
            "symbolic link loop (the links point at each other and never reach a file)",
            "fix or remove the link so that it points at the file",
        ),
        TOO_LONG: (
            "path too long for this system",
            "use shorter folder and file names, or a path relative to the current folder",
        ),
        NOT_A_FOLDER: ("a part of this path is a file, not a folder", "check the path"),
        DENIED: ("permission denied", "check the file's permissions"),
        INVALID: ("not a usable path (it holds a NUL character)", "check the path"),
    }
    return messages.get(found, (f"cannot read the {what}", "check the path"))


def require_file(path: Path, what: str, hint: str | None = None) -> None:
    """Raise :class:`InputError` unless ``path`` is a regular file (links followed).

    ``hint`` replaces the default hint when the file is missing (e.g. how to make one)."""
    found = kind(path)
    if found != FILE:
        message, default = problem(found, what)
        hint = hint if hint and found == MISSING else default
        raise InputError(message, hint=hint, location=shown(path))


def usable(path: str | os.PathLike[str], what: str) -> str:
    """The kind of ``path``, after refusing one no file can be read from or written at and on which
    ``Path.resolve()`` or ``Path.exists()`` raise: a link loop, a path too long, a NUL character.
    For outputs and for inputs that may be a file or a folder; the caller handles the rest."""
    found = kind(path)
    if found in (LOOP, TOO_LONG, INVALID):
        message, hint = problem(found, what)
        raise InputError(message, hint=hint, location=shown(path))
    return found


def require_folder(path: Path, what: str, hint: str) -> None:
    """Raise :class:`InputError` unless ``path`` is a folder (links followed)."""
    found = kind(path)
    if found == FOLDER:
        return
    if found in (MISSING, FILE):
        message = f"no such {what}" if found == MISSING else f"is a file, not {_a(what)}"
        raise InputError(message, hint=hint, location=shown(path))
    message, default = problem(found, what)
    raise InputError(message, hint=default, location=shown(path))


def read_regular(path: Path, limit: int, what: str, hint: str | None = None) -> bytes:
    """At most ``limit + 1`` bytes of the regular file at ``path`` (the caller refuses more than
    ``limit``); :class:`InputError` when it is anything but a readable regular file."""
    from securable.fileio import note_input

    require_file(path, what, hint)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        note_input(path)  # whatever a command reads, it must never write over (see securable.fileio)
    except OSError as err:  # e.g. no read permission
        message = f"cannot read the {what}: {err.strerror or err}"
        raise InputError(message, hint="check the path and permissions", location=shown(path)) from err
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # swapped since the check above
            message = "is not a regular file (it changed while being opened)"
            raise InputError(message, hint=f"give the path of the {what}", location=shown(path))
        try:
            return handle.read(limit + 1)
        except OSError as err:
            raise InputError(f"cannot read the {what}: {err.strerror or err}", location=shown(path)) from err


def utf8_problem(raw: bytes) -> str | None:
    """Where ``raw`` stops being UTF-8 ("byte 0xff at line 3, column 7"), or None when it is UTF-8."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        return f"byte 0x{raw[err.start]:02x} at line {line}, column {column}"
    return None


# A \uD800-\uDBFF escape not followed by a \uDC00-\uDFFF one, or one of those not preceded by the first.
_LONE_ESCAPE = (
    rb"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    rb"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


def lone_surrogate(raw: bytes, data: object) -> str | None:
    """Where the JSON text ``raw`` (parsed into ``data``) escapes half of a UTF-16 pair on its own
    ("\\ud800 at line 3, column 7"), or None. Such a string is no Unicode text: it cannot be written
    as UTF-8, so a document holding one cannot be copied into any output."""
    import re

    hit = re.search(_LONE_ESCAPE, raw)
    if hit is None or not _has_surrogate(data):  # the escape may sit in text, e.g. "\\ud800"
        return None
    line = raw.count(b"\n", 0, hit.start()) + 1
    column = hit.start() - (raw.rfind(b"\n", 0, hit.start()) + 1) + 1
    return f"{hit.group().decode('ascii')} at line {line}, column {column}"


def _has_surrogate(data: object) -> bool:
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if any("\ud800" <= char <= "\udfff" for char in item):
                return True
        elif isinstance(item, dict):
            pending += list(item.keys()) + list(item.values())
        elif isinstance(item, list):
            pending += item
    return False


def refusal(err: OSError, path: str | os.PathLike[str]) -> InputError | None:
    """The InputError for an OSError about the path itself (a link loop, a name too long), else None."""
    found = {errno.ELOOP: LOOP, errno.ENAMETOOLONG: TOO_LONG}.get(err.errno or 0)
    if found is None:
        return None
    message, hint = problem(found, "file")
    return InputError(message, hint=hint, location=shown(path))


def real(path: Path) -> Path:
    """``path`` with links and ``..`` resolved; a link loop or over-long name is an InputError.

    ``Path.resolve()`` raises RuntimeError for a link loop on Python 3.11, OSError for the rest."""
    try:
        return path.resolve()
    except RuntimeError as err:
        message, hint = problem(LOOP, "file")
        raise InputError(message, hint=hint, location=shown(path)) from err
    except OSError as err:
        refused = refusal(err, path)
        raise (refused or InputError(f"cannot use the path: {err.strerror}", location=shown(path))) from err


def is_file(path: Path) -> bool:
    """Whether ``path`` is a regular file (links followed); a link loop or over-long name is an
    InputError, where ``Path.is_file()`` would answer False ("not found") or raise."""
    found = kind(path)
    if found in (LOOP, TOO_LONG):
        message, hint = problem(found, "file")
        raise InputError(message, hint=hint, location=shown(path))
    return found == FILE
