"""``securable questions`` and ``securable init`` (wired up in ``securable.cli.spec``)."""

from __future__ import annotations

from securable.cli.exitcodes import ExitCode
from securable.cli.render import emit, width
from securable.errors import InputError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from securable.cli.arguments import InitArgs, QuestionsArgs


def questions(args: QuestionsArgs) -> int:
    """Which questions the file answers, leaves open or marks not applicable. Open questions are
    information, not failure: the exit code is 0 whatever their number."""
    from pathlib import Path

    from securable.product import load_product, question_status
    from securable.product.questions_report import QuestionsReport, render
    from securable.rendering.formats import RenderOptions

    states = question_status(load_product(Path(args.product)))
    report = QuestionsReport(args.product, states, args.status)
    emit(render(report, args.format, RenderOptions(width=width())))
    return ExitCode.OK


def init(args: InitArgs) -> int:
    """Write a product description: the commented template, or through the questionnaire."""
    from pathlib import Path

    path = Path(args.file)
    if args.template:
        return _write_template(path, force=args.force)
    from securable.product.questionnaire import run

    run(path, ask=_terminal_ask(), say=print, force=args.force)
    return ExitCode.OK  # stopping early is no failure: the answers are saved for the next run


def _write_template(path: Path, *, force: bool) -> int:
    from securable.fileio import write_text_atomic
    from securable.inputfile import usable
    from securable.product.template import template_yaml

    usable(path, "file to write")
    if path.is_dir():
        raise InputError(
            f"{path} is a folder", hint="give the path of the file to write, e.g. securable.yaml"
        )
    if path.exists() and not force:
        raise InputError(f"{path} already exists", hint="add --force to overwrite it, or give another FILE")
    write_text_atomic(path, template_yaml())
    emit(
        f"wrote {path}: every field with a comment citing its question, all answers empty\n"
        f"fill it in, then see what is left with `securable questions {path}`\n"
    )
    return ExitCode.OK


def _terminal_ask() -> Callable[[str], str]:
    import sys

    if sys.stdin.isatty():
        import contextlib

        with contextlib.suppress(ImportError):  # not on every platform; plain input() still works
            import readline  # noqa: F401  (line editing and history for input())
    return input
