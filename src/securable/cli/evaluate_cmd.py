"""``securable evaluate``: vendors against an agency's requirements (wired up in ``securable.cli.spec``).

Vendors and keys are paired by name::

    securable evaluate --requirements moderate.json aerolume=pkgs/en400 northwind=cd.json \\
        --key aerolume=keys/aerolume.pem

* ``VENDOR`` is ``[NAME=]PATH``: a package folder made by ``securable package``, or an OSCAL
  component definition (JSON). Without ``NAME=`` the vendor is called after the folder (for a
  file, its name without ``.json``; for ``machine/oscal/component-definition.json`` inside a
  package, the package folder's). A PATH that exists is always taken whole, even with a ``=``.
* ``--key NAME=PUBLIC.pem`` verifies the package of vendor ``NAME`` against its signed manifest
  before it is read. A package given without a key is evaluated and reported as not verified.

Exit codes: 0 when every vendor was evaluated; 1 when a vendor's files failed verification or
validation (the report covers the other vendors all the same); 2 for bad input from the agency: the
requirements profile, a key file, or the command line (a key for an unknown vendor or for a single
file, two vendors with one name).
"""

from __future__ import annotations

import sys
from pathlib import Path

from securable.cli.exitcodes import ExitCode
from securable.cli.render import emit, width
from securable.errors import UsageError
from securable.textsafety import terminal

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Sequence

    from securable.agency.evaluation.evaluate import Evaluation
    from securable.agency.evaluation.vendors import VendorSource
    from securable.cli.arguments import EvaluateArgs

_IN_PACKAGE = ("machine", "oscal", "component-definition.json")


def evaluate(args: EvaluateArgs) -> int:
    from dataclasses import replace

    from securable import api
    from securable.cli.dates import run_date

    day = run_date(args.date)  # a bad --date is a usage error before any vendor is read
    if args.format == "xlsx" and not args.output and sys.stdout.isatty():
        raise UsageError(
            "--format xlsx writes a binary workbook", hint="write it to a file: -o requirements.xlsx"
        )
    given = list(args.vendor or ())
    sources = vendor_sources(given, args.key or ())
    vendors = [api.VendorInput(s.name, s.path, s.key) for s in sources]
    result = api.evaluate(args.requirements, vendors)
    # The report names its day; the library never reads the clock, so the command says which.
    evaluation = replace(result.evaluation, date=day.isoformat())
    for warning in result.warnings:
        print(terminal(f"securable: warning: {warning}"), file=sys.stderr)
    for vendor in evaluation.failed:
        assert vendor.error is not None
        message = f"securable: vendor {vendor.name} was not evaluated: {vendor.error.message}"
        print(terminal(message), file=sys.stderr)
    code = ExitCode.FINDINGS if evaluation.failed else ExitCode.OK
    if args.format == "xlsx":
        _write_binary(evaluation, args.output)
        return code
    from securable.agency.evaluation.report import render

    text = render(evaluation, args.format, api.RenderOptions(width=width()))
    if args.format == "table":  # for terminals, also when written to a file and shown later
        text = terminal(text)
    if args.output:
        from securable.fileio import write_text_atomic

        write_text_atomic(Path(args.output), text)
    else:
        emit(text)
    # Vendors that failed verification or validation are findings; the report covers the others.
    return code


def _write_binary(evaluation: Evaluation, output: str | None) -> None:
    """The XLSX workbook to ``output``, or to standard output when that is not a terminal."""
    from securable.agency.evaluation.report import render_bytes

    if output is None and sys.stdout.isatty():
        raise UsageError(
            "--format xlsx writes a binary workbook", hint="write it to a file: -o requirements.xlsx"
        )
    data = render_bytes(evaluation, "xlsx")
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    from securable.fileio import write_files

    write_files([(Path(output), data)])


def vendor_sources(values: Sequence[str], keys: Sequence[str]) -> list[VendorSource]:
    """The vendors named on the command line, each with its key file, if one was given."""
    from securable.agency.evaluation.vendors import VendorSource

    named: dict[str, Path] = {}
    for value in values:
        name, path = _split(value)
        if name in named:
            raise UsageError(
                f"two vendors are called {name!r}",
                hint="name them: NAME=PATH (e.g. vendor-a=pkg/ vendor-b=pkg2/)",
            )
        named[name] = path
    paired: dict[str, Path] = {}
    for value in keys:
        name, eq, key = value.partition("=")
        if not eq or not name or not key:
            raise UsageError(f"--key {value!r}: expected NAME=PUBLIC.pem", hint="NAME is the vendor's name")
        if name not in named:
            raise UsageError(
                f"--key {value!r}: no vendor is called {name!r}",
                hint=f"the vendors are: {', '.join(named)}",
            )
        if name in paired:
            raise UsageError(f"--key: two keys for vendor {name!r}")
        if named[name].is_file():
            raise UsageError(
                f"--key {value!r}: {named[name]} is a single file, which has no signed manifest",
                hint="give the package folder made by `securable package` to verify it",
            )
        paired[name] = Path(key)
    return [VendorSource(name, path, paired.get(name)) for name, path in named.items()]


def _split(value: str) -> tuple[str, Path]:
    from securable.inputfile import FILE, FOLDER, kind

    if kind(value) not in (FILE, FOLDER) and "=" in value:
        name, _, rest = value.partition("=")
        if not name.strip() or not rest:
            raise UsageError(f"{value!r}: expected NAME=PATH or PATH")
        return name.strip(), _usable(Path(rest))
    path = _usable(Path(value))
    if path.parts[-3:] == _IN_PACKAGE and len(path.resolve().parts) > 3:
        return path.resolve().parents[2].name, path
    if path.suffix.lower() == ".json":
        return path.stem, path
    return (path.resolve().name or value), path


def _usable(path: Path) -> Path:
    """``path`` when it is a file, a folder or nothing yet (a missing vendor is reported as one);
    an :class:`InputError` when it is a link loop, a path too long, a pipe or a device."""
    from securable.errors import InputError
    from securable.inputfile import FILE, FOLDER, MISSING, kind, problem, shown

    found = kind(path)
    if found not in (FILE, FOLDER, MISSING):
        message, fix = problem(found, "vendor package or OSCAL file")
        raise InputError(message, hint=fix, location=shown(path))
    return path
