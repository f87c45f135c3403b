"""``securable oscal validate FILE``."""

from __future__ import annotations

from pathlib import Path

from securable.cli.exitcodes import ExitCode
from securable.cli.render import emit, emit_json

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from securable.cli.args import Args


def validate(args: Args) -> int:
    from securable.oscal.validate import validate_file

    report = validate_file(Path(args.file), model=args.model)
    if args.format == "json":
        emit_json(
            {
                "file": str(report.path),
                "model": report.model,
                "valid": report.ok,
                "problems": [{"path": p.path, "message": p.message} for p in report.problems],
            }
        )
    elif report.ok:
        emit(f"{report.path}: valid OSCAL {report.model} (schema 1.2.1)\n")
    else:
        count = len(report.problems)
        noun = "problem" if count == 1 else "problems"
        emit(f"{report.path}: {count} {noun} against the OSCAL 1.2.1 {report.model} schema\n")
        for problem in report.problems:
            emit(f"  {problem.path}: {problem.message}\n")
    return ExitCode.OK if report.ok else ExitCode.FINDINGS
