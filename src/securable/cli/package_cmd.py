"""``securable package``, ``keygen`` and ``verify`` (wired up in ``securable.cli.spec``)."""

from __future__ import annotations

from pathlib import Path

from securable.cli.exitcodes import ExitCode
from securable.cli.render import emit

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from securable.cli.arguments import KeygenArgs, PackageArgs, VerifyArgs


def package(args: PackageArgs) -> int:
    from securable.cli.dates import pinned_date, run_date
    from securable.package.build import build_package, gap_line

    result = build_package(
        Path(args.product),
        Path(args.output),
        key=Path(args.key) if args.key else None,
        vex=Path(args.vex) if args.vex else None,
        pdf=not args.no_pdf,
        strict=args.strict,
        date=pinned_date(),
        today=run_date(),
    )
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
    emit(render(result.report, args.format))
    return ExitCode.OK if result.report.ok else ExitCode.FINDINGS
