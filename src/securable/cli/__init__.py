"""The ``securable`` command: a thin shell over the Python API.

``main(argv)`` parses arguments, calls one command function and is the single place where errors
become messages and exit codes. Command modules are imported only when their command runs, and
the parser is our own small one (``securable.cli.args``), so ``securable --help`` costs little
more than starting Python.
"""

from __future__ import annotations

import importlib
import sys

from securable import __version__
from securable.cli.args import HelpRequested, Opt, command_help, group_help, parse
from securable.cli.exitcodes import ExitCode, exit_code
from securable.cli.spec import COMMANDS, DESCRIPTION, GROUPS, WORKFLOW, Command
from securable.errors import SecurableError, UsageError
from securable.fileio import CommandInputs
from securable.textsafety import terminal

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import NoReturn

INTERNAL_ERROR = 3  # a bug in Securable, not in the input; documented in the README
TOP_OPTIONS = (
    Opt("--version", flag=True, help="print the version and exit"),
    Opt("--debug", flag=True, help="show tracebacks for unexpected errors"),
)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    # --debug may stand anywhere among the options, but not after "--" (there it is a plain word).
    end = args_list.index("--") if "--" in args_list else len(args_list)
    debug = "--debug" in args_list[:end]
    try:
        with CommandInputs():  # what the command reads, so that no output overwrites it
            return _run([a for a in args_list[:end] if a != "--debug"] + args_list[end:])
    except HelpRequested as requested:
        sys.stdout.write(requested.text)
        return ExitCode.OK
    except SecurableError as err:
        print(f"securable: error: {terminal(err.render())}", file=sys.stderr)
        return exit_code(err)
    except KeyboardInterrupt:
        print("securable: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return ExitCode.OK  # the reader (e.g. `| head`) went away; nothing is wrong
    except Exception as err:  # the last line of defence: users see a message, --debug shows the traceback
        if debug:
            raise
        print(
            f"securable: internal error: {type(err).__name__}: {terminal(str(err))}\n"
            "  hint: this is a bug in Securable; rerun with --debug and report the traceback",
            file=sys.stderr,
        )
        return INTERNAL_ERROR


def help_for(words: Sequence[str]) -> str:
    """The help text of the command or group named by ``words`` (empty: the whole tool)."""
    path = tuple(words)
    if not path:
        entries = [(name, text) for name, text in GROUPS.items()]
        top = [c for c in COMMANDS if len(c.path) == 1]
        top.sort(key=lambda c: WORKFLOW.index(c.path[0]) if c.path[0] in WORKFLOW else len(WORKFLOW))
        entries += [(c.path[0], c.help) for c in top]
        return group_help("securable", DESCRIPTION, entries, TOP_OPTIONS)
    if len(path) == 1 and path[0] in GROUPS:
        entries = [(c.path[1], c.help) for c in COMMANDS if c.path[0] == path[0] and len(c.path) == 2]
        return group_help(f"securable {path[0]}", GROUPS[path[0]], entries)
    command = _command(path)
    return command_help("securable " + " ".join(command.path), command.help, command.opts)


def _command(path: tuple[str, ...]) -> Command:
    for command in COMMANDS:
        if command.path == path:
            return command
    *group, name = path
    known = [c.path[-1] for c in COMMANDS if list(c.path[:-1]) == group] or list(GROUPS)
    where = "securable " + " ".join(group) if group else "securable"
    raise UsageError(
        f"invalid choice {name!r} for `{where}`",
        hint=f"choose one of {', '.join(known)} (see `{where} --help`)",
    )


def _run(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        raise HelpRequested(help_for(()))
    if argv[0] == "--version":
        print(f"securable {__version__}")
        return ExitCode.OK
    if argv[0].startswith("-"):
        raise UsageError(f"unknown option {argv[0]!r}", hint="see `securable --help`")
    if argv[0] in GROUPS:
        if len(argv) == 1:
            names = ", ".join(c.path[1] for c in COMMANDS if c.path[0] == argv[0])
            raise UsageError(f"choose a subcommand: {names}", hint=f"see `securable {argv[0]} --help`")
        if argv[1] in ("-h", "--help"):
            raise HelpRequested(help_for(argv[:1]))
        command, rest = _command((argv[0], argv[1])), argv[2:]
    else:
        command, rest = _command((argv[0],)), argv[1:]
    prog = "securable " + " ".join(command.path)
    options = rest[: rest.index("--")] if "--" in rest else rest
    if "-h" in options or "--help" in options:
        raise HelpRequested(command_help(prog, command.help, command.opts))
    args = parse(prog, command.opts, rest, help_text="", into=command.args)
    module_name, _, function = command.handler.partition(":")
    return int(getattr(importlib.import_module(module_name), function)(args))


def run() -> NoReturn:
    """Console-script entry point."""
    sys.exit(main())
