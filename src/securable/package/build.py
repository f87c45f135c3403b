"""Build the customer package: run every generator, then write all files and the signed manifest.

Three promises, each kept here:

* **Deterministic.** Nothing here reads the clock or the environment: the package date is ``date``
  if given (the CLI passes ``--date`` or ``SOURCE_DATE_EPOCH``'s day), else ``today`` (the CLI's
  day in UTC). It is the day the package speaks for, not the release date: a security.txt must not
  expire before customers read it, and the assessment must judge support periods as of now.
  Reproducible builds pin it with ``--date`` or ``SOURCE_DATE_EPOCH``. Manifest and Ed25519
  signature are deterministic too, so the same input and date give byte-identical packages.
* **Atomic, and nothing else lost.** Everything is written into a temporary folder beside
  ``out_dir`` and swapped in, under a lock; an existing folder is replaced only if it is empty or
  holds an old package and nothing the old manifest does not list. No input of the build (product
  description, SBOM, VEX file, key) may lie inside ``out_dir``. See :mod:`securable.package.folder`.
* **Honest about gaps.** What the description leaves unstated is collected from every generator;
  the documents say so plainly, :class:`PackageResult` lists it, and ``strict`` refuses to write.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from securable.errors import InputError, ValidationFailed
from securable.package.context import Gap, PackageContext, Part
from securable.package.documents.index_page import INDEX, render_index
from securable.package.manifest import MANIFEST, RESERVED, SIGNATURE, make_manifest, unsafe_reason

if TYPE_CHECKING:
    from securable.assess.report import Assessment
    from securable.package.documents.paper import Paper
    from securable.package.progress import Progress, Steps
    from securable.product import LoadedProduct

Generator = Callable[[PackageContext], Part]

SECURITY_TXT = ".well-known/security.txt"  # securable.package.machine.securitytxt.PATH

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

# What each generator does, in the words of the progress line.
STEP_NAMES = {
    "build_documents": "writing the customer documents",
    "build_factsheet": "writing the fact sheet",
    "build_oscal_component": "writing the OSCAL component definition",
    "build_securitytxt": "writing security.txt",
    "build_mud": "writing the MUD file",
    "build_sbom": "checking the SBOM and VEX",
    "build_productjson": "writing product.json",
}


@dataclass(frozen=True, slots=True)
class PackageResult:
    directory: Path
    files: tuple[str, ...]  # every file written, as package paths, sorted (manifest included)
    gaps: tuple[Gap, ...]
    date: date
    key_fingerprint: str | None  # None: unsigned
    warnings: tuple[str, ...] = ()  # for the manufacturer: e.g. VEX statements about other products
    openpgp_fingerprint: str | None = None  # the key that clearsigned security.txt, if any

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
    paper: Paper | None = None,
    generators: Iterable[Generator] | None = None,
    progress: Progress | None = None,
    openpgp_key: Path | None = None,
    openpgp_passphrase: str | None = None,
) -> PackageResult:
    """Build the package of ``product_path`` into ``out_dir``; see the module docstring.

    ``date`` fixes the package date; else it is ``today``, which also judges security.txt expiry
    (the CLI passes the clock's UTC day). ``paper`` fixes the PDFs' paper size; else it follows the
    product's markets (:mod:`securable.package.documents.paper`).

    Raises :class:`InputError` for bad input, :class:`GapsFound` with ``strict`` and gaps; in both
    cases nothing is written. ``generators`` replaces :data:`GENERATORS` (tests). ``progress`` is
    told each step as it starts (:mod:`securable.package.progress`). ``openpgp_key`` (a secret key
    file, unlocked with ``openpgp_passphrase``) clearsigns security.txt (:mod:`securable.package.openpgp`).
    """

    from securable.fileio import CommandInputs
    from securable.package import folder

    _check_places(product_path, out_dir, key, vex, openpgp_key)
    # The build's own record of what it reads, so that the API is as safe as the command line.
    with CommandInputs(), folder.locked(out_dir):
        return _build(
            product_path,
            out_dir,
            key=key,
            vex=vex,
            pdf=pdf,
            strict=strict,
            date=date,
            today=today,
            paper=paper,
            generators=generators,
            progress=progress,
            openpgp_key=openpgp_key,
            openpgp_passphrase=openpgp_passphrase,
        )


def _build(
    product_path: Path,
    out_dir: Path,
    *,
    key: Path | None,
    vex: Path | None,
    pdf: bool,
    strict: bool,
    date: date | None,
    today: date,
    paper: Paper | None,
    generators: Iterable[Generator] | None,
    progress: Progress | None = None,
    openpgp_key: Path | None = None,
    openpgp_passphrase: str | None = None,
) -> PackageResult:
    from dataclasses import replace

    from securable.fileio import inputs_inside
    from securable.package.folder import check_replaceable, is_package, write_tree
    from securable.package.keys import load_private_key
    from securable.package.progress import CountingRenderings, Steps

    chosen = default_generators(pdf) if generators is None else list(generators)
    steps = Steps(progress, total=len(chosen) + 2)  # the assessment, each generator, the writing
    steps.next("assessing the product description")
    ctx = make_context(product_path, vex=vex, date=date, today=today, paper=paper)
    previous = out_dir if pdf and out_dir.is_dir() and is_package(out_dir) else None
    signing_key = load_private_key(key) if key is not None else None
    signed_fp = None
    if signing_key is not None:
        from securable.package.keys import fingerprint

        signed_fp = fingerprint(signing_key.public_key())
    # The documents publish the fingerprint, so customers can check the key they are given.
    ctx = replace(ctx, renderings=CountingRenderings(previous, steps), key_fingerprint=signed_fp)
    pgp = None
    if openpgp_key is not None:  # read before any work, like the manifest key: a bad key fails fast
        from securable.package.openpgp import load_signing_key

        pgp = load_signing_key(openpgp_key, openpgp_passphrase)
    inside = inputs_inside(out_dir)  # what the product description led to, e.g. its SBOM
    if inside:
        raise InputError(
            f"refusing to write {out_dir}: it holds an input of this command ({inside[0]})",
            hint="a package folder is replaced on every build; keep inputs elsewhere",
        )
    check_replaceable(out_dir)
    info, when = ctx.product.product, ctx.date
    warnings: list[str] = []
    files, part_gaps = run_generators(ctx, chosen, warnings, steps)
    gaps = _unique(part_gaps)
    warnings += expiry_warnings(files.get(SECURITY_TXT), today)
    if pgp is not None and SECURITY_TXT in files:
        from securable.package.openpgp import clearsign

        files[SECURITY_TXT] = clearsign(pgp, files[SECURITY_TXT])
    elif pgp is not None:
        warnings.append(f"an OpenPGP key was given, but there is no {SECURITY_TXT} to sign (see the gaps)")
    if strict and gaps:
        raise GapsFound(gaps)
    steps.next("signing and writing the files")
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
    return PackageResult(
        out_dir,
        tuple(sorted(files)),
        gaps,
        when,
        signed.key_fingerprint,
        tuple(dict.fromkeys(warnings)),
        pgp.fingerprint if pgp is not None and SECURITY_TXT in files else None,
    )


def expiry_warnings(security_txt: bytes | None, today: date) -> list[str]:
    """A warning when the security.txt's ``Expires`` has passed or is near on ``today`` (the real
    day: a package dated earlier with ``--date`` or ``SOURCE_DATE_EPOCH`` may be published late)."""
    from securable.package.machine.securitytxt import expiry_problem

    problem = expiry_problem(security_txt, today) if security_txt is not None else None
    if problem is None:
        return []
    return [
        f"{SECURITY_TXT} {problem}: RFC 9116 clients ignore an expired file; build the package with a "
        "later date (no --date or SOURCE_DATE_EPOCH: today) before publishing it"
    ]


def make_context(
    product_path: Path,
    *,
    vex: Path | None = None,
    date: date | None = None,
    today: date,
    paper: Paper | None = None,
) -> PackageContext:
    """Load the product and assess it as of the package date (``date`` if pinned, else ``today``);
    the PDFs are on ``paper``, else on the paper of the product's markets."""
    from securable.product import load_document

    loaded = load_document(product_path)
    when = date if date is not None else today
    info = loaded.product.product
    ctx = PackageContext(
        product=loaded.product,
        product_path=product_path,
        date=when,
        documentation_url=(info.documentation_url if info else None) or "",
        vex_path=vex,
        assessment=_assessment(loaded, when),
        paper=paper,
    )
    return ctx


def run_generators(
    ctx: PackageContext,
    generators: Iterable[Generator],
    warnings: list[str] | None = None,
    steps: Steps | None = None,
) -> tuple[dict[str, bytes], list[Gap]]:
    """Every generator's files, merged, and their gaps in order (their warnings are added to
    ``warnings``, each generator is a step of ``steps``); a generator bug raises here."""
    files: dict[str, bytes] = {}
    gaps: list[Gap] = []
    for generate in generators:
        if steps is not None:
            steps.next(STEP_NAMES.get(generator_name(generate), generator_name(generate)))
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
        if warnings is not None:
            warnings.extend(part.warnings)
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


def _check_places(
    product_path: Path, out_dir: Path, key: Path | None, vex: Path | None, openpgp_key: Path | None = None
) -> None:
    """Refuse inputs that are not regular files, and output folders whose replacement would destroy
    something other than a package."""
    from securable.inputfile import FILE, FOLDER, MISSING, kind, problem, require_file, shown
    from securable.package.keys import KEYGEN_HINT

    require_file(product_path, "file", "create one with `securable init --template`")
    if vex is not None:
        require_file(vex, "VEX file", "give a CycloneDX VEX, OpenVEX or CSAF JSON file")
    if key is not None:
        require_file(key, "key file", KEYGEN_HINT)
    if openpgp_key is not None:
        require_file(openpgp_key, "OpenPGP key file", "give the OpenPGP secret key that signs security.txt")
    found = kind(out_dir)
    if found not in (FILE, FOLDER, MISSING):  # a link loop, a path too long: resolve() below fails
        message, fix = problem(found, "package folder")
        raise InputError(message, hint=fix, location=shown(out_dir))
    out = out_dir.absolute()
    if out.resolve().parent == out.resolve():
        raise InputError(f"{out_dir}: refusing to use the root folder as the package folder")
    if out.is_symlink():
        raise InputError(f"{out_dir} is a symbolic link", hint="give the folder it points to")
    if out.exists() and not out.is_dir():
        raise InputError(f"{out_dir} exists and is not a folder")
    inputs = [("the product description", product_path), ("the VEX file", vex), ("the private key", key)]
    inputs.append(("the OpenPGP key", openpgp_key))
    for label, path in inputs:
        if path is not None and path.absolute().resolve().is_relative_to(out.resolve()):
            raise InputError(
                f"{label} {path} is inside the package folder {out_dir}",
                hint="a package folder is replaced on every build; keep inputs and keys elsewhere"
                + (" (never ship the private key)" if path is key or path is openpgp_key else ""),
            )
    if vex is not None and not vex.is_file():
        raise InputError(f"{vex}: no such VEX file")
