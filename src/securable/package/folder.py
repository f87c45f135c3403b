"""The package folder on disk: one build at a time, nothing of the user's lost, never half a package.

* **Lock.** A build holds ``fcntl.flock`` on ``.NAME.lock`` beside the folder ``NAME`` from start to
  end; a second build of the same folder is refused at once (it would otherwise remove the first
  one's temporary folder). The lock file is removed when the build ends; a build killed with its
  lock leaves the file, which holds no lock (the kernel drops it with the process) and is removed by
  the next build.
* **Only our files are replaced.** An existing folder is replaced only if it is empty or holds a
  Securable package whose manifest lists every file in it. A file the user added to an old package
  folder (or an empty folder, a link) is never deleted: the build is refused and names them.
* **Swap.** The new package is written into ``.NAME.new-*`` beside the folder and exchanged with
  the old one in one step (Linux ``renameat2(RENAME_EXCHANGE)``), so ``NAME`` is never missing;
  where that is not available, two renames leave a window of microseconds in which the old package
  is complete under ``.NAME.old-*``. The next build, under the lock, first puts such an old package
  back if ``NAME`` is missing, then removes every ``.NAME.new-*`` and ``.NAME.old-*`` left over.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from securable.errors import InputError
from securable.package.manifest import FORMAT, MANIFEST, RESERVED, listed_paths

MAX_NAMED = 10  # unlisted files named in the refusal; the rest are counted


def lock_path(out: Path) -> Path:
    return out.parent / f".{out.name}.lock"


@contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold the build lock of ``out_dir`` (module docstring); :class:`InputError` if another build has it."""
    import fcntl

    out = out_dir.absolute()
    lock = lock_path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(f"cannot write {out_dir}: {err.strerror or err}") from err
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o666)
        except OSError as err:
            raise InputError(f"cannot create the lock file {lock}: {err.strerror or err}") from err
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise InputError(
                f"another build of {out_dir} is running (it holds {lock})",
                hint="wait for it to finish; two builds of one folder would destroy each other's work",
            ) from None
        # The holder before us may have removed the file after we opened it: then our lock is on a
        # file nobody else can find, and a third build could lock a new one. Start over on the new one.
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(lock, follow_symlinks=False))
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        recover(out)
        yield
    finally:
        with suppress(OSError):
            os.unlink(lock)  # before unlocking, so no one can lock this file once we let go
        os.close(fd)


def _leftovers(out: Path) -> list[Path]:
    prefixes = (f".{out.name}.new-", f".{out.name}.old-")
    try:
        names = os.listdir(out.parent)
    except OSError:
        return []
    return sorted(out.parent / name for name in names if name.startswith(prefixes))


def recover(out: Path) -> None:
    """Undo what an interrupted build left (module docstring); call only with the lock held."""
    leftovers = _leftovers(out)
    if not os.path.lexists(out):
        # Killed between the two renames: the newest complete old package goes back in place.
        olds = [p for p in leftovers if p.name.startswith(f".{out.name}.old-") and is_package(p)]
        if olds:
            previous = max(olds, key=lambda p: p.stat().st_mtime_ns)
            os.rename(previous, out)
            leftovers.remove(previous)
    for path in leftovers:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


def check_replaceable(out_dir: Path) -> None:
    """Refuse to replace a folder that holds anything but an old package's own files."""
    out = out_dir.absolute()
    if not out.is_dir() or not any(out.iterdir()):
        return
    if not is_package(out):
        raise InputError(
            f"{out_dir} is not empty and holds no Securable package; refusing to replace it",
            hint="choose a new or empty folder for the package",
        )
    listed = listed_paths(out)
    unlisted = _unlisted(out, listed or set())
    if unlisted:
        named = [f"  - {name}" for name in unlisted[:MAX_NAMED]]
        if len(unlisted) > MAX_NAMED:
            named.append(f"  - ... and {len(unlisted) - MAX_NAMED} more")
        raise InputError(
            f"{out_dir} holds {len(unlisted)} file{'s' if len(unlisted) != 1 else ''} that the old "
            "package's manifest does not list; a rebuild would delete "
            f"{'them' if len(unlisted) != 1 else 'it'}:\n" + "\n".join(named),
            hint="move them out of the folder (or build into a new folder); the rebuild replaces "
            "the whole folder",
        )


def _unlisted(out: Path, listed: set[str]) -> list[str]:
    """Everything in ``out`` the manifest does not account for: files, links, empty folders."""
    holding = {"/".join(p.split("/")[: i + 1]) for p in listed for i in range(p.count("/"))}
    found: list[str] = []
    for root, dirs, names in os.walk(out, followlinks=False):
        rel = Path(root).relative_to(out).as_posix()
        prefix = "" if rel == "." else rel + "/"
        if prefix and not dirs and not names and rel not in holding:
            found.append(prefix)
        for name in dirs:
            if os.path.islink(os.path.join(root, name)):
                found.append(prefix + name)
        for name in names:
            path = prefix + name
            regular = stat.S_ISREG(os.lstat(os.path.join(root, name)).st_mode)
            if not regular or (path not in listed and path not in RESERVED):
                found.append(path)
    return sorted(found)


def is_package(folder: Path) -> bool:
    try:
        with (folder / MANIFEST).open("rb") as handle:
            head = handle.read(200)
    except OSError:
        return False
    return f'"format": "{FORMAT}"'.encode() in head


def write_tree(out_dir: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` as the new content of ``out_dir``, all or nothing (module docstring)."""
    out = out_dir.absolute()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    except OSError as err:
        raise InputError(f"cannot write {out_dir}: {err.strerror or err}") from err
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes a private folder; a package is to be shared
        made: set[Path] = {tmp}
        for path, data in sorted(files.items()):
            target = tmp.joinpath(*path.split("/"))
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(data)
        check_replaceable(out_dir)  # again: the user may have added files while we generated
        _swap_in(tmp, out)
    except OSError as err:  # a full disk or lost permission: say so; the old package is intact
        raise InputError(f"cannot write the package {out_dir}: {err.strerror or err}") from err
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _swap_in(new: Path, out: Path) -> None:
    if not os.path.lexists(out):
        os.rename(new, out)
        return
    if _exchange(new, out):  # out is the new package now, and new holds the old one
        shutil.rmtree(new, ignore_errors=True)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    old.rmdir()
    os.rename(out, old)
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step; False where the system or file system cannot."""
    import ctypes
    import errno

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False  # not supported here: fall back to two renames
    raise OSError(code, os.strerror(code), str(b))
