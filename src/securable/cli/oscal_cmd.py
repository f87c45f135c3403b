"""``securable oscal validate FILE``."""

from __future__ import annotations

from securable.cli.exitcodes import ExitCode
from securable.cli.render import emit

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from securable.cli.arguments import ValidateArgs


def validate(args: ValidateArgs) -> int:
    from securable import api
    from securable.oscal.validation_report import render

    result = api.validate(args.file, model=args.model)
    emit(render(result.report, args.format))
    return ExitCode.OK if result.report.ok else ExitCode.FINDINGS
