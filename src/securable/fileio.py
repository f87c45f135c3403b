"""Writing output files so that a failure never leaves half a file behind, and never over an input.

A regular file (or a new one) is replaced in one step: write a temp file beside it, then rename.
What is not a regular file is written in place, because renaming over it would destroy it: a
device such as ``/dev/null`` or ``/dev/stdout``, or a named pipe. A symbolic link is followed, so
the file it points to is replaced and the link stays. Failures become :class:`InputError`.

**Inputs are never outputs.** While a command runs (:class:`CommandInputs`, opened by the CLI for
every command), each reader notes the files and folders it reads (:func:`note_input`), and every
write here refuses a target that is one of them: the same path after following links, or the same
file through a hard link (device and inode), or a file inside a folder read as a whole (a vendor's
package). Because the readers note what they read, a file found through another one (the catalog a
profile imports, the SBOM a product description names) is protected as well as one typed on the
command line. Outside a command (the Python API) nothing is noted and nothing is refused.
"""

from __future__ import annotations

import os
import stat

from securable.errors import InputError, UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:  # pathlib is not imported at run time: the CLI imports this module at start-up
    from collections.abc import Iterable
    from pathlib import Path


class _Input:
    __slots__ = ("identity", "real", "shown", "tree")

    def __init__(self, shown: str, real: str, identity: tuple[int, int] | None, tree: bool) -> None:
        self.shown = shown  # as the command was given it, for the message
        self.real = real
        self.identity = identity  # (st_dev, st_ino) of a regular file, to catch hard links
        self.tree = tree  # a folder read as a whole: nothing inside it may be written either


# The inputs of each running command, innermost last; empty: no command runs, nothing is recorded.
_running: list[list[_Input]] = []


class CommandInputs:
    """``with CommandInputs():`` records what the command reads, so its outputs can be checked."""

    def __enter__(self) -> CommandInputs:
        _running.append([])
        return self

    def __exit__(self, *exc: object) -> None:
        _running.pop()


def note_input(path: Path | str, *, tree: bool = False) -> None:
    """Record that the running command reads ``path`` (with ``tree``: everything in that folder).

    Devices and pipes are not recorded: reading ``/dev/stdin`` and writing ``/dev/stdout`` may well
    be the same terminal, and writing to them never destroys anything.
    """
    if not _running:
        return
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return  # the reader reports a missing or unreadable file itself
    if not (stat.S_ISREG(info.st_mode) or (tree and stat.S_ISDIR(info.st_mode))):
        return
    identity = (info.st_dev, info.st_ino) if stat.S_ISREG(info.st_mode) else None
    _running[-1].append(_Input(str(path), os.path.realpath(path), identity, tree))


def input_clash(path: Path | str) -> str | None:
    """The input (as given) that writing ``path`` would overwrite or change, or None."""
    if not _running:
        return None
    real = os.path.realpath(path)
    try:
        info = os.stat(real)
        identity = (info.st_dev, info.st_ino) if stat.S_ISREG(info.st_mode) else None
    except OSError:
        identity = None
    for known in _running[-1]:
        if real == known.real or (identity is not None and identity == known.identity):
            return known.shown
        if known.tree and real.startswith(known.real.rstrip(os.sep) + os.sep):
            return known.shown
    return None


def inputs_inside(folder: Path | str) -> list[str]:
    """The inputs (as given) that lie in ``folder`` or are it: replacing the folder would lose them."""
    if not _running:
        return []
    real = os.path.realpath(folder).rstrip(os.sep)
    return [k.shown for k in _running[-1] if k.real == real or k.real.startswith(real + os.sep)]


def refuse_input(path: Path | str) -> None:
    """Raise :class:`UsageError` (exit 2) when ``path`` is an input of the running command."""
    clash = input_clash(path)
    if clash is not None:
        raise UsageError(
            f"refusing to write {path}: it is an input of this command ({clash})",
            hint="choose another output file",
        )


def _umask() -> int:
    # os.umask can only be read by setting it; this is a single-threaded CLI, so the brief change is safe.
    current = os.umask(0)
    os.umask(current)
    return current


def write_text_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step; the old file stays intact if anything fails.

    A lone surrogate (a byte of a file name that is not UTF-8, as Python keeps it) is written as
    its ``\\udcff`` escape: visible, valid UTF-8, and still valid in a JSON string."""
    write_files([(path, text.encode("utf-8", "backslashreplace"))])


def write_files(targets: Iterable[tuple[Path, bytes]], *, private: Iterable[Path] = ()) -> None:
    """Write every ``(path, data)`` as :func:`write_text_atomic` does, all checked and staged before any
    is put in place, so a target that cannot be written leaves every other one as it was.

    A path in ``private`` is a secret: it is created mode 0600 from the start and never written to a
    device, pipe or terminal (where it could be read, or lost), which is refused instead.
    """
    secret = {os.path.realpath(p) for p in private}
    staged: list[_Staged] = []
    try:
        for path, data in targets:
            refuse_input(path)
            staged.append(_stage(path, data, private=os.path.realpath(path) in secret))
        for item in staged:
            item.commit()
    except OSError as err:
        from securable.inputfile import shown

        raise InputError(
            f"cannot write {shown(err.filename) if err.filename else 'the output'}: {err.strerror or err}",
            hint="check the path and permissions",
        ) from err
    finally:
        for item in staged:
            item.discard()


class _Staged:
    """A file ready to be put in place: a temp file beside a regular target, or the data for a device."""

    def __init__(self, shown: Path, target: str, data: bytes, tmp: str | None) -> None:
        self.shown, self.target, self.data, self.tmp = shown, target, data, tmp

    def commit(self) -> None:
        try:
            if self.tmp is None:  # a device or pipe: renaming over it would destroy it
                with open(self.target, "wb") as handle:
                    handle.write(self.data)
                return
            os.replace(self.tmp, self.target)
            self.tmp = None
        except OSError as err:
            err.filename = str(self.shown)
            raise

    def discard(self) -> None:
        if self.tmp is not None:
            _unlink(self.tmp)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        return


def _stage(path: Path, data: bytes, *, private: bool) -> _Staged:
    import tempfile

    target = os.path.realpath(path)  # follow symlinks: replace what they point to, keep the link
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as err:
        err.filename = str(path)
        raise
    if mode is not None and stat.S_ISDIR(mode):
        raise InputError(f"cannot write {path}: it is a folder", hint="give a file name")
    if mode is not None and not stat.S_ISREG(mode):
        if private:
            raise InputError(
                f"refusing to write a private key to {path}: it is a device, pipe or terminal, not a file",
                hint="give the name of a regular file, kept where only you can read it",
            )
        return _Staged(path, target, data, None)
    directory = os.path.dirname(target)
    if not os.path.isdir(directory):
        raise InputError(
            f"cannot write {path}: folder {os.path.dirname(path) or '.'} does not exist",
            hint="create it first",
        )
    try:
        # mkstemp creates the file 0600, so a private key is never readable by others, not even for
        # a moment; a short prefix keeps long target names legal.
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".sec-", suffix=".tmp")
    except OSError as err:
        err.filename = str(path)
        raise
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # Keep an existing file's mode, else honour the user's umask; a secret stays 0600.
        if private:
            os.chmod(tmp, 0o600)
        else:
            os.chmod(tmp, stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask())
    except BaseException:
        _unlink(tmp)
        raise
    return _Staged(path, target, data, tmp)
