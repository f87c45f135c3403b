"""Input paths the operating system refuses to follow: symbolic link loops and over-long names.

``pathlib`` reports these in ways that mislead: ``Path.is_file()`` answers False for a link loop (so
a resolver says "cannot find" a file that is there), ``Path.resolve()`` raises RuntimeError for one,
and ENAMETOOLONG escapes ``is_file()`` as a bare OSError. Each helper here turns them into an
InputError that names the path and says what is wrong with it.
"""

from __future__ import annotations

import errno
import stat
from pathlib import Path

from securable.errors import InputError

_SHOWN = 80  # characters of an over-long path kept in a message


def shown(path: Path | str) -> str:
    """The path for a message: an over-long one keeps its start and end and says how long it is."""
    text = str(path)
    if len(text) <= _SHOWN:
        return text
    return f"{text[:50]}…{text[-25:]} ({len(text):,} characters)"


def refusal(err: OSError, path: Path | str) -> InputError | None:
    """The InputError for an OSError that is about the path itself (a loop, a name too long), else None."""
    if err.errno == errno.ELOOP:
        return InputError(
            "symbolic link loop: the path never reaches a file",
            hint="point to the file itself, not to a link that leads back to itself",
            location=shown(path),
        )
    if err.errno == errno.ENAMETOOLONG:
        return InputError(
            "path too long: the system refuses a name this long",
            hint="file names are limited to 255 bytes per component (and paths to about 4,096)",
            location=shown(path),
        )
    return None


def real(path: Path) -> Path:
    """``path`` with links and ``..`` resolved; a link loop or over-long name is an InputError."""
    try:
        return path.resolve()
    except RuntimeError as err:  # Python 3.11 reports a link loop met while resolving this way
        raise InputError(
            "symbolic link loop: the path never reaches a file",
            hint="point to the file itself, not to a link that leads back to itself",
            location=shown(path),
        ) from err
    except OSError as err:
        raise (
            refusal(err, path) or InputError(f"cannot use the path: {err.strerror}", location=shown(path))
        ) from err


def is_file(path: Path) -> bool:
    """Whether ``path`` is a regular file (links followed); a link loop or over-long name is an InputError."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError as err:
        refused = refusal(err, path)
        if refused is not None:
            raise refused from err
        return False
