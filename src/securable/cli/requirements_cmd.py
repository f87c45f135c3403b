"""``securable requirements`` and ``securable oscal resolve``: the agency side (wired up in ``cli.spec``).

Both live here because both are front ends of :mod:`securable.agency`: ``oscal resolve`` writes the
resolved catalog of any OSCAL profile; ``requirements`` goes on from the resolved controls (or a
shipped SP 800-53B baseline) to the device requirements.

Tailoring is written ``--add ID=REASON`` / ``--drop ID=REASON``: one argument keeps each reason
with its record (two repeatable options could not be paired reliably), and record IDs never
contain ``=``. Adds are applied before drops.
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
    from securable.cli.arguments import RequirementsArgs, ResolveArgs


def requirements(args: RequirementsArgs) -> int:
    from securable import api
    from securable.agency.requirements.derive import parse_tailoring

    if bool(args.baseline) == bool(args.profile):
        raise UsageError(
            "give either --baseline NAME or --profile FILE",
            hint="e.g. `securable requirements --baseline moderate` (see `securable requirements --help`)",
        )
    if args.catalog and not args.profile:
        raise UsageError("--catalog goes with --profile")
    tailoring = parse_tailoring("add", args.add or ()) + parse_tailoring("drop", args.drop or ())
    result = api.requirements(
        baseline=args.baseline, profile=args.profile, catalog=args.catalog, tailoring=tailoring
    )
    _warn(result.warnings)
    _write(result.report(args.format, api.RenderOptions(width=width())), args.output)
    return ExitCode.OK


def resolve(args: ResolveArgs) -> int:
    import json

    from securable import api

    result = api.resolve(args.profile, catalog=args.catalog)
    _warn(result.resolved.warnings)
    # Compact by default, like NIST's published *-min.json resolved catalogs: indenting a 2 MiB
    # catalog takes Python's pure-Python encoder several times longer than the whole resolution.
    indent = 2 if args.pretty else None
    separators = None if args.pretty else (",", ":")
    document = result.resolved.document
    _write(json.dumps(document, ensure_ascii=False, indent=indent, separators=separators) + "\n", args.output)
    return ExitCode.OK


def _warn(warnings: tuple[str, ...]) -> None:
    for warning in warnings:
        print(terminal(f"securable: warning: {warning}"), file=sys.stderr)  # product text


def _write(text: str, output: str | None) -> None:
    if output:
        from securable.fileio import write_text_atomic

        write_text_atomic(Path(output), text)
    else:
        emit(text)
