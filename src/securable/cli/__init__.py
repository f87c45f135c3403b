"""The ``securable`` command: a thin shell over the Python API.

``main(argv)`` parses arguments, calls one command function and is the single place where errors
become messages and exit codes. Command modules are imported only when their command runs, so
``securable --help`` stays as fast as a bare interpreter start.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from securable import __version__
from securable.cli.spec import COMMANDS, GROUPS
from securable.errors import ExitCode, SecurableError, UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import NoReturn

INTERNAL_ERROR = 3  # a bug in Securable, not in the input; documented in the README


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so usage errors go through the one error path."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message, hint=f"see `{self.prog} --help`")


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser for ``argv``: every command is listed, but only the one named gets its arguments."""
    words = tuple(a for a in argv if not a.startswith("-"))
    parser = _Parser(
        prog="securable",
        description="NIST IoT device cybersecurity guidance (NISTIR 8259, SP 800-213A) as data and code.",
    )
    parser.add_argument("--version", action="version", version=f"securable {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for unexpected errors")
    top = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    groups: dict[str, argparse._SubParsersAction[_Parser]] = {}
    for name, help_ in GROUPS.items():
        group = top.add_parser(name, help=help_)
        group.set_defaults(_group=name)
        groups[name] = group.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", parser_class=_Parser)
    for command in COMMANDS:
        *group_path, name = command.path
        where = groups[group_path[0]] if group_path else top
        sub = where.add_parser(name, help=command.help)
        if words[: len(command.path)] == command.path:
            command.configure(sub)
            sub.set_defaults(_handler=command.handler)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list
    parser = build_parser(args_list)
    try:
        try:
            args = parser.parse_args(args_list)
        except SystemExit as done:  # --help and --version end parsing; report their status, don't exit
            return int(done.code or 0)
        return int(_dispatch(parser, args))
    except SecurableError as err:
        print(f"securable: error: {err.render()}", file=sys.stderr)
        return int(err.exit_code)
    except KeyboardInterrupt:
        print("securable: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0  # the reader (e.g. `| head`) went away; nothing is wrong
    except Exception as err:  # the last line of defence: users see a message, --debug shows the traceback
        if debug:
            raise
        print(
            f"securable: internal error: {type(err).__name__}: {err}\n"
            "  hint: this is a bug in Securable; rerun with --debug and report the traceback",
            file=sys.stderr,
        )
        return INTERNAL_ERROR


def _dispatch(parser: argparse.ArgumentParser, args: argparse.Namespace) -> ExitCode:
    handler = getattr(args, "_handler", None)
    if handler is None:
        group = getattr(args, "_group", None)
        if group is None:
            parser.print_help()
            return ExitCode.OK
        names = ", ".join(c.path[1] for c in COMMANDS if c.path[0] == group)
        raise UsageError(f"choose a subcommand: {names}", hint=f"see `securable {group} --help`")
    module_name, _, function = handler.partition(":")
    module = importlib.import_module(module_name)
    return ExitCode(getattr(module, function)(args))


def run() -> NoReturn:
    """Console-script entry point."""
    sys.exit(main())
