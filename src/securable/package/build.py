"""Build the customer package: run every generator, then write all files and the signed manifest.

Three promises, each kept here:

* **Deterministic.** Nothing here reads the clock or the environment; the package date is ``date``
  if given (the CLI passes ``SOURCE_DATE_EPOCH``'s day), else the product's ``release_date``. Only
  when neither exists is ``today`` used, and that is reported as a gap because the package then
  changes from day to day. Manifest and Ed25519 signature are
  deterministic too, so the same input gives byte-identical packages that review well as diffs.
* **Atomic.** Everything is written into a temporary folder beside ``out_dir``, which is then
  swapped in: the old package is renamed away, the new one renamed in, the old one deleted. Any
  failure before the swap removes the temporary folder and leaves the previous package as it was.
* **Honest about gaps.** What the description leaves unstated is collected from every generator;
  the documents say so plainly, :class:`PackageResult` lists it, and ``strict`` refuses to write.

To guard against deleting the wrong folder, an existing ``out_dir`` is replaced only if it is
empty or holds a Securable package (a ``manifest.json`` of our format).
"""

from __future__ import annotations

import importlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from securable.errors import InputError, ValidationFailed
from securable.package.context import Gap, PackageContext, Part
from securable.package.documents.index_page import INDEX, render_index
from securable.package.manifest import FORMAT, MANIFEST, RESERVED, SIGNATURE, make_manifest, unsafe_reason

if TYPE_CHECKING:
    from securable.assess.report import Assessment
    from securable.product import LoadedProduct, Product

Generator = Callable[[PackageContext], Part]

# Every part of the package: (module, function, whether it takes the ``pdf`` flag). Imported only
# when a package is built. The order is the order in which gaps are reported.
GENERATORS: tuple[tuple[str, str, bool], ...] = (
    ("securable.package.documents.audiences", "build_documents", True),
    ("securable.package.documents.factsheet", "build_factsheet", True),
    ("securable.package.machine.oscal_component", "build_oscal_component", False),
    ("securable.package.machine.securitytxt", "build_securitytxt", False),
    ("securable.package.machine.mud", "build_mud", False),
    ("securable.package.machine.sbom", "build_sbom", False),
    ("securable.package.machine.productjson", "build_productjson", False),
)


@dataclass(frozen=True, slots=True)
class PackageResult:
    directory: Path
    files: tuple[str, ...]  # every file written, as package paths, sorted (manifest included)
    gaps: tuple[Gap, ...]
    date: date
    key_fingerprint: str | None  # None: unsigned

    @property
    def index(self) -> Path:
        return self.directory / INDEX


class GapsFound(ValidationFailed):
    """``strict`` was asked for and the description leaves customer topics unstated (a finding)."""

    def __init__(self, gaps: Sequence[Gap]) -> None:
        count = f"{len(gaps)} topic{'s' if len(gaps) != 1 else ''}"
        super().__init__(
            f"not written: the product description leaves {count} unstated (--strict)",
            [gap_line(g) for g in gaps],
        )
        self.hint = "answer them in the product description, or build without --strict"
        self.gaps = tuple(gaps)

    def render(self) -> str:
        lines = [self.message, *(f"  - {gap_line(g)}" for g in self.gaps)]
        return "\n".join([*lines, f"  hint: {self.hint}"])


def gap_line(gap: Gap) -> str:
    """One gap as a line of plain text: ``topic: message (Q4.2.2-1)``."""
    questions = f" ({', '.join(gap.questions)})" if gap.questions else ""
    return f"{gap.topic}: {gap.message}{questions}"


def default_generators(pdf: bool) -> list[Generator]:
    generators: list[Generator] = []
    for module_name, function, takes_pdf in GENERATORS:
        function_ = getattr(importlib.import_module(module_name), function)
        generators.append(partial(function_, pdf=pdf) if takes_pdf else function_)
    return generators


def build_package(
    product_path: Path,
    out_dir: Path,
    *,
    key: Path | None = None,
    vex: Path | None = None,
    pdf: bool = True,
    strict: bool = False,
    date: date | None = None,
    today: date,
    generators: Iterable[Generator] | None = None,
) -> PackageResult:
    """Build the package of ``product_path`` into ``out_dir``; see the module docstring.

    ``date`` fixes the package date; ``today`` is used only when neither it nor the product's
    release date is there.

    Raises :class:`InputError` for bad input, :class:`GapsFound` with ``strict`` and gaps; in both
    cases nothing is written. ``generators`` replaces :data:`GENERATORS` (tests).
    """
    from securable.package.keys import load_private_key

    _check_places(product_path, out_dir, key, vex)
    ctx, date_gaps = make_context(product_path, vex=vex, date=date, today=today)
    signing_key = load_private_key(key) if key is not None else None
    info, when = ctx.product.product, ctx.date
    files, part_gaps = run_generators(ctx, default_generators(pdf) if generators is None else generators)
    gaps = _unique([*date_gaps, *part_gaps])
    if strict and gaps:
        raise GapsFound(gaps)
    signed_fp = None
    if signing_key is not None:
        from securable.package.keys import fingerprint

        signed_fp = fingerprint(signing_key.public_key())
    files[INDEX] = render_index(ctx, files, gaps, signed_fp)
    signed = make_manifest(
        files,
        product_name=info.name if info else None,
        product_version=info.version if info else None,
        date=when.isoformat(),
        key=signing_key,
    )
    files[MANIFEST] = signed.manifest
    if signed.signature is not None:
        files[SIGNATURE] = signed.signature
    write_tree(out_dir, files)
    return PackageResult(out_dir, tuple(sorted(files)), gaps, when, signed.key_fingerprint)


def make_context(
    product_path: Path, *, vex: Path | None = None, date: date | None = None, today: date
) -> tuple[PackageContext, list[Gap]]:
    """Load the product and assess it; the gaps are about the context itself (no release date)."""
    from securable.product import load_document

    loaded = load_document(product_path)
    when, gaps = _package_date(loaded.product, date, today)
    info = loaded.product.product
    ctx = PackageContext(
        product=loaded.product,
        product_path=product_path,
        date=when,
        documentation_url=(info.documentation_url if info else None) or "",
        vex_path=vex,
        assessment=_assessment(loaded, when),
    )
    return ctx, gaps


def run_generators(
    ctx: PackageContext, generators: Iterable[Generator]
) -> tuple[dict[str, bytes], list[Gap]]:
    """Every generator's files, merged, and their gaps in order; a generator bug raises here."""
    files: dict[str, bytes] = {}
    gaps: list[Gap] = []
    for generate in generators:
        part = generate(ctx)
        for path, data in part.files.items():
            reason = unsafe_reason(path)
            if reason is None and (path in RESERVED or path == INDEX):
                reason = "the builder writes this file itself"
            if reason is not None or not isinstance(data, bytes):
                raise ValueError(
                    f"{generator_name(generate)} made an invalid file {path!r}: {reason or 'not bytes'}"
                )
            if path in files:
                raise ValueError(
                    f"{generator_name(generate)} writes {path!r}, which another generator wrote already"
                )
            files[path] = data
        gaps.extend(part.gaps)
    return files, gaps


def generator_name(generate: Generator) -> str:
    target = generate.func if isinstance(generate, partial) else generate
    return str(getattr(target, "__qualname__", target))


def _unique(gaps: Iterable[Gap]) -> tuple[Gap, ...]:
    # Several generators may meet the same missing answer; the customer needs to read it once.
    seen: set[tuple[str, str]] = set()
    out = []
    for gap in gaps:
        if (gap.topic, gap.message) not in seen:
            seen.add((gap.topic, gap.message))
            out.append(gap)
    return tuple(out)


def _package_date(product: Product, given: date | None, today: date) -> tuple[date, list[Gap]]:
    if given is not None:
        return given, []
    released = product.product.release_date if product.product else None
    if released is not None:
        return released, []
    return today, [
        Gap(
            "release date",
            "The release date is not stated, so this package is dated the day it was built "
            f"({today.isoformat()}).",
            path=("product", "release_date"),
        )
    ]


def _assessment(loaded: LoadedProduct, when: date) -> Assessment:
    """The ``securable check`` assessment (default baselines) as of the package date.

    It is made for the product file's bare name, so the package does not depend on where the file
    sat on the manufacturer's disk (and does not reveal it).
    """
    from dataclasses import replace

    from securable.assess import DEFAULT_BASELINES
    from securable.assess.report import build_assessment
    from securable.assess.requirements import baseline_target

    targets = [baseline_target(name) for name in DEFAULT_BASELINES]
    return build_assessment(replace(loaded, path=Path(loaded.path.name)), targets, today=when)


def _check_places(product_path: Path, out_dir: Path, key: Path | None, vex: Path | None) -> None:
    """Refuse output folders whose replacement would destroy something other than a package."""
    out = out_dir.absolute()
    if out.resolve().parent == out.resolve():
        raise InputError(f"{out_dir}: refusing to use the root folder as the package folder")
    if out.is_symlink():
        raise InputError(f"{out_dir} is a symbolic link", hint="give the folder it points to")
    if out.exists() and not out.is_dir():
        raise InputError(f"{out_dir} exists and is not a folder")
    inputs = [("the product description", product_path), ("the VEX file", vex), ("the private key", key)]
    for label, path in inputs:
        if path is not None and path.absolute().resolve().is_relative_to(out.resolve()):
            raise InputError(
                f"{label} {path} is inside the package folder {out_dir}",
                hint="a package folder is replaced on every build; keep inputs and keys elsewhere"
                + (" (never ship the private key)" if path is key else ""),
            )
    if vex is not None and not vex.is_file():
        raise InputError(f"{vex}: no such VEX file")
    if out.is_dir() and any(out.iterdir()) and not _is_package(out):
        raise InputError(
            f"{out_dir} is not empty and holds no Securable package; refusing to replace it",
            hint="choose a new or empty folder for the package",
        )


def _is_package(folder: Path) -> bool:
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
    # POSIX has no portable "exchange two folders"; two renames leave a window of microseconds in
    # which out/ is absent. A crash in it leaves the old package complete, as .NAME.old-*.
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    old.rmdir()
    os.rename(out, old)
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)
