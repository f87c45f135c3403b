"""``securable package``, ``keygen`` and ``verify`` (wired up in ``securable.cli.spec``)."""

from __future__ import annotations

import sys
from pathlib import Path

from securable.cli.exitcodes import ExitCode
from securable.cli.render import emit
from securable.textsafety import terminal

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from securable.cli.arguments import KeygenArgs, PackageArgs, VerifyArgs


def package(args: PackageArgs) -> int:
    import os

    from securable.cli.dates import clock_date, pinned_date
    from securable.cli.render import width
    from securable.package.build import build_package, gap_line
    from securable.package.openpgp import PASSPHRASE_ENV
    from securable.rendering.progress import ProgressLine

    if not args.allow_incomplete:
        _refuse_unwritten(Path(args.product))
    # A build takes seconds, mostly PDF layout: say how far it is, on a terminal only; the line is
    # gone before anything else (warnings, errors, the summary) is printed.
    with ProgressLine(sys.stderr, width=width(), prefix="securable: package ") as progress:
        result = build_package(
            Path(args.product),
            Path(args.output),
            key=Path(args.key) if args.key else None,
            vex=Path(args.vex) if args.vex else None,
            pdf=not args.no_pdf,
            paper=args.paper,
            strict=args.strict,
            date=pinned_date(args.date),  # --date or SOURCE_DATE_EPOCH: a reproducible build
            today=clock_date(),  # the package date otherwise, and always the day expiry is judged on
            progress=progress,
            openpgp_key=Path(args.openpgp_key) if args.openpgp_key else None,
            # from the environment, never the command line, where other users' `ps` would show it
            openpgp_passphrase=os.environ.get(PASSPHRASE_ENV) if args.openpgp_key else None,
        )
    for warning in result.warnings:
        print(terminal(f"securable: warning: {warning}"), file=sys.stderr)  # product text
    signed = f"signed by key {result.key_fingerprint}" if result.key_fingerprint else "NOT signed: no --key"
    emit(f"Wrote {len(result.files)} files to {result.directory}/ ({signed}), dated {result.date}.\n")
    if result.openpgp_fingerprint:
        emit(f"security.txt is clearsigned with OpenPGP key {result.openpgp_fingerprint}.\n")
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


def keygen(args: KeygenArgs) -> int:
    from securable.package.keys import keygen as make_keys

    private, public = Path(args.private), Path(args.public)
    fp = make_keys(private, public, force=args.force)
    emit(
        f"Private key: {private} (mode 0600; keep it secret and out of packages and version control)\n"
        f"Public key:  {public} (give it to customers so they can run `securable verify`)\n"
        f"Fingerprint: {fp}\n"
    )
    return ExitCode.OK


def verify(args: VerifyArgs) -> int:
    from securable import api
    from securable.package.verify_report import render

    result = api.verify(args.package, args.key)
    if args.format == "table":
        from securable.cli.render import emit_styled
        from securable.rendering.style import verify_report

        emit_styled(render(result.report, args.format), verify_report)
    else:
        emit(render(result.report, args.format))
    return ExitCode.OK if result.report.ok else ExitCode.FINDINGS
