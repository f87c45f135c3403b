"""The ``securable`` command: a thin shell over the Python API.

``main(argv)`` parses arguments, calls one command function and is the single place where errors
become messages and exit codes. Command modules are imported only when their command runs, so
``securable --help`` stays as fast as a bare interpreter start.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from securable import __version__
from securable.errors import ExitCode, SecurableError, UsageError

INTERNAL_ERROR = 3  # a bug in Securable, not in the input; documented in the README
FORMATS_SHOW = ("table", "json")


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so usage errors go through the one error path."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message, hint=f"see `{self.prog} --help`")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="securable",
        description="NIST IoT device cybersecurity guidance (NISTIR 8259, SP 800-213A) as data and code.",
    )
    parser.add_argument("--version", action="version", version=f"securable {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for unexpected errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    catalog = commands.add_parser("catalog", help="browse, search and export the shipped catalogs")
    catalog_cmds = catalog.add_subparsers(dest="catalog_command", metavar="SUBCOMMAND", parser_class=_Parser)

    list_ = catalog_cmds.add_parser("list", help="list the shipped catalogs and baselines")
    list_.add_argument("--format", choices=FORMATS_SHOW, default="table")

    show = catalog_cmds.add_parser(
        "show", help="show one record: text, place in the hierarchy, mappings, provenance"
    )
    show.add_argument("id", metavar="ID", help="a record ID, bare (DI-1.2) or qualified (sp800-213a:DI-1.2)")
    show.add_argument("--catalog", metavar="C", help="look only in this catalog")
    show.add_argument("--format", choices=FORMATS_SHOW, default="table")

    search = catalog_cmds.add_parser("search", help="find records whose ID, title or text contain every word")
    search.add_argument("text", metavar="TEXT")
    search.add_argument("--catalog", metavar="C", action="append", help="limit to a catalog (repeatable)")
    search.add_argument("--limit", type=int, default=25, help="show at most this many hits (0: all)")
    search.add_argument("--format", choices=FORMATS_SHOW, default="table")

    export = catalog_cmds.add_parser("export", help="export a catalog as OSCAL, JSON, CSV or Markdown")
    export.add_argument("catalog", metavar="CATALOG")
    export.add_argument(
        "--format", choices=("oscal", "oscal-mapping", "json", "csv", "markdown"), required=True
    )
    export.add_argument(
        "--baseline",
        metavar="NAME",
        help="with --format oscal on sp800-53r5: export the LOW, MODERATE, HIGH or PRIVACY baseline profile",
    )
    export.add_argument(
        "--target",
        choices=("sp800-53r5", "csf-1.1"),
        default="sp800-53r5",
        help="with --format oscal-mapping: which mapping to export",
    )
    export.add_argument("-o", "--output", metavar="FILE", help="write here (atomically) instead of stdout")

    oscal = commands.add_parser("oscal", help="work with OSCAL documents")
    oscal_cmds = oscal.add_subparsers(dest="oscal_command", metavar="SUBCOMMAND", parser_class=_Parser)
    validate = oscal_cmds.add_parser(
        "validate", help="validate an OSCAL 1.2.1 JSON document against NIST's schema"
    )
    validate.add_argument("file", metavar="FILE")
    validate.add_argument(
        "--model",
        choices=(
            "catalog",
            "profile",
            "component-definition",
            "mapping-collection",
            "system-security-plan",
            "assessment-plan",
            "assessment-results",
            "plan-of-action-and-milestones",
        ),
        help="require this model (default: detected from the document)",
    )
    validate.add_argument("--format", choices=FORMATS_SHOW, default="table")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list
    parser = build_parser()
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
    if args.command == "catalog":
        from securable.cli import catalog_cmd

        return catalog_cmd.run(args)
    if args.command == "oscal":
        from securable.cli import oscal_cmd

        return oscal_cmd.run(args)
    parser.print_help()
    return ExitCode.OK


def run() -> NoReturn:
    """Console-script entry point."""
    sys.exit(main())
