"""``securable package``, ``keygen`` and ``verify`` (wired up in ``securable.cli.spec``)."""

from __future__ import annotations

import sys
from pathlib import Path

from securable.cli.render import emit, emit_json
from securable.errors import ExitCode

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from securable.cli.args import Args


def package(args: Args) -> int:
    from securable.dates import run_date
    from securable.package.build import build_package, gap_line

    if not args.allow_incomplete:
        _refuse_unwritten(Path(args.product))
    result = build_package(
        Path(args.product),
        Path(args.output),
        key=Path(args.key) if args.key else None,
        vex=Path(args.vex) if args.vex else None,
        pdf=not args.no_pdf,
        strict=args.strict,
        date=run_date(args.date) if args.date is not None else None,
    )
    for warning in result.warnings:
        print(f"securable: warning: {warning}", file=sys.stderr)
    signed = f"signed by key {result.key_fingerprint}" if result.key_fingerprint else "NOT signed: no --key"
    emit(f"Wrote {len(result.files)} files to {result.directory}/ ({signed}), dated {result.date}.\n")
    emit(f"Open {result.index}\n")
    if result.gaps:
        count = len(result.gaps)
        emit(
            f"\nThe product description leaves {count} topic{'s' if count != 1 else ''} unstated; "
            "the documents tell customers so:\n"
        )
        emit("".join(f"  - {gap_line(g)}\n" for g in result.gaps))
    return ExitCode.OK


def _refuse_unwritten(product: Path) -> None:
    """A blank or template-only description would give customers a package about "the device",
    supported until nobody knows when: the same reasons that make `check` report QST-003 and QST-004
    as high findings stop the build here."""
    from securable.assess.rules.questions import missing_essentials, mostly_open
    from securable.errors import InputError
    from securable.product import load_product, question_status

    loaded = load_product(product)
    problems = [f"it leaves out {what}" for what, _ in missing_essentials(loaded)]
    found = mostly_open(question_status(loaded))
    if found is not None:
        problems.append(f"{found[0]} of the {found[1]} NISTIR 8259 questions that apply are open")
    if problems:
        raise InputError(
            f"{product}: the description is not ready for customers: " + "; ".join(problems),
            hint="finish it (`securable check` lists what is missing), or pass --allow-incomplete to "
            "build a package anyway",
        )


def keygen(args: Args) -> int:
    from securable.package.keys import keygen as make_keys

    private, public = Path(args.private), Path(args.public)
    fp = make_keys(private, public, force=args.force)
    emit(
        f"Private key: {private} (mode 0600; keep it secret and out of packages and version control)\n"
        f"Public key:  {public} (give it to customers so they can run `securable verify`)\n"
        f"Fingerprint: {fp}\n"
    )
    return ExitCode.OK


def verify(args: Args) -> int:
    from securable.package.keys import load_public_key
    from securable.package.manifest import display_path
    from securable.package.manifest import verify as check

    report = check(Path(args.package), load_public_key(Path(args.key)))
    if args.format == "json":
        emit_json(report.to_json())
        return ExitCode.OK if report.ok else ExitCode.FINDINGS
    # Paths are printed escaped: a file name that is not UTF-8 must not crash the report.
    where = display_path(str(report.directory))
    what = " ".join(display_path(w) for w in (report.product_name, report.product_version) if w)
    what = f"{what}, " if what else ""
    if report.ok:
        emit(
            f"OK: {where}: {what}{report.files_checked} files match the manifest "
            f"signed by {report.key_fingerprint}\n"
        )
        return ExitCode.OK
    count = len(report.problems)
    emit(f"FAILED: {where}: {what}{count} problem{'s' if count != 1 else ''}\n")
    for problem in report.problems:
        at = f"{problem.path}: " if problem.path and not problem.message.startswith("refused") else ""
        emit(f"  {problem.kind:<18} {at}{problem.message}\n")
    return ExitCode.FINDINGS
