"""A small argument parser for the command tree in ``securable.cli.spec``.

Why not argparse: importing it (with ``re``, ``enum`` and ``gettext``) and formatting its help take
longer than the rest of ``securable --help`` and most of ``securable catalog show``; the issue
tracker asks for both within 2x a bare interpreter start. The grammar here is deliberately small:
positionals, ``--name VALUE`` / ``--name=VALUE`` options, flags, repeatable options, choices,
integer values, required options, ``-h/--help``, and ``--`` to end the options. Everything it
rejects raises ``UsageError``.
"""

from __future__ import annotations

import os

from securable.errors import UsageError
from securable.rendering.layout import wrap

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any


class Opt:
    """One argument: a positional (``name`` without dashes) or an option (``--name``, aliases)."""

    __slots__ = (
        "choices",
        "default",
        "dest",
        "flag",
        "help",
        "metavar",
        "names",
        "repeat",
        "required",
        "type",
    )

    def __init__(
        self,
        *names: str,
        help: str = "",
        metavar: str | None = None,
        choices: Sequence[str] | None = None,
        default: Any = None,
        flag: bool = False,
        repeat: bool = False,
        required: bool = False,
        type: type[int] | type[str] = str,
    ) -> None:
        self.names = names
        self.help = help
        self.choices = tuple(choices) if choices else None
        self.flag = flag
        self.repeat = repeat
        self.required = required
        self.type = type
        self.default = False if flag and default is None else default
        long = next((n for n in names if n.startswith("--")), names[0])
        self.dest = long.lstrip("-").replace("-", "_")
        self.metavar = metavar or (self.dest.upper() if self.positional or not flag else "")

    @property
    def positional(self) -> bool:
        return not self.names[0].startswith("-")

    def convert(self, value: str, command: str) -> object:
        if self.choices is not None and value not in self.choices:
            raise UsageError(
                f"{self.label}: invalid choice {value!r}",
                hint=f"choose one of {', '.join(self.choices)} (see `{command} --help`)",
            )
        if not value and self.metavar.upper() in _PATH_METAVARS:
            # An empty path names no file: `-o ''` would otherwise fall back to standard output.
            raise UsageError(f"{self.label}: the path is empty", hint=f"give a {self.metavar} path")
        if self.type is int:
            try:
                return int(value)
            except ValueError:
                raise UsageError(f"{self.label}: {value!r} is not a whole number") from None
        return value

    @property
    def label(self) -> str:
        return self.metavar if self.positional else "/".join(self.names)


# Metavars of arguments that are paths (see securable.cli.spec); an empty value is refused.
_PATH_METAVARS = frozenset(("FILE", "DIR", "PRODUCT", "PRIVATE", "PUBLIC", "PROFILE", "VENDOR"))


class Args:
    """Parsed arguments, read as attributes (``args.format``); each command has a typed subclass
    (``securable.cli.arguments``)."""

    def __init__(self, values: dict[str, object]) -> None:
        self.__dict__.update(values)


class HelpRequested(Exception):
    """``-h``/``--help`` was given; ``text`` is what to print."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def parse(
    prog: str, opts: Sequence[Opt], argv: Sequence[str], *, help_text: str, into: type[Args] = Args
) -> Args:
    """Parse ``argv`` against ``opts`` into an ``into`` instance.

    ``help_text`` is raised as :class:`HelpRequested` on -h.
    """
    by_name = {name: opt for opt in opts if not opt.positional for name in opt.names}
    positionals = [opt for opt in opts if opt.positional]
    values: dict[str, object] = {o.dest: ([] if o.repeat else o.default) for o in opts}
    seen: set[str] = set()
    rest = list(argv)
    options_done = False  # after "--", every word is positional, even "-x" or "--help"
    while rest:
        word = rest.pop(0)
        if word == "--" and not options_done:
            options_done = True
            continue
        if word in ("-h", "--help") and not options_done:
            raise HelpRequested(help_text)
        if word.startswith("-") and word != "-" and not options_done:
            name, eq, inline = word.partition("=")
            opt = by_name.get(name)
            if opt is None:
                raise UsageError(f"unknown option {name!r}", hint=_suggest(name, list(by_name), prog))
            if opt.flag:
                if eq:
                    raise UsageError(f"{name} takes no value")
                values[opt.dest] = True
                continue
            if not eq:
                if not rest:
                    raise UsageError(f"{name} needs a value ({opt.metavar})", hint=f"see `{prog} --help`")
                inline = rest.pop(0)
            value = opt.convert(inline, prog)
            if opt.repeat:
                values[opt.dest].append(value)  # type: ignore[attr-defined]
            else:
                values[opt.dest] = value
            seen.add(opt.dest)
        elif positionals:
            opt = positionals[0]
            value = opt.convert(word, prog)
            if opt.repeat:  # a repeatable positional takes every positional word from here on
                values[opt.dest].append(value)  # type: ignore[attr-defined]
            else:
                positionals.pop(0)
                values[opt.dest] = value
            seen.add(opt.dest)
        else:
            raise UsageError(f"unexpected argument {word!r}", hint=f"see `{prog} --help`")
    missing = [o.label for o in positionals if o.default is None and not values[o.dest]] + [
        o.label for o in opts if o.required and not o.positional and o.dest not in seen
    ]
    if missing:
        raise UsageError(f"missing {', '.join(missing)}", hint=f"see `{prog} --help`")
    for opt in opts:
        if opt.repeat and not values[opt.dest]:
            values[opt.dest] = opt.default
    return into(values)


def _suggest(name: str, known: list[str], prog: str) -> str:
    close = [k for k in known if k.startswith(name) or name.startswith(k)]
    return f"did you mean {' or '.join(close)}?" if close else f"see `{prog} --help`"


# ---- help text ------------------------------------------------------------------------------------


def help_width() -> int:
    """The width help text wraps to: ``COLUMNS`` (60 to 120), else 100, never the terminal's size.

    Narrower than reports allow (:func:`securable.cli.render.width`) because long help lines read
    badly, and deliberately blind to the terminal so help, and the README excerpts made from it,
    do not change with the window.
    """
    try:
        return max(60, min(int(os.environ.get("COLUMNS", "")), 120))
    except ValueError:
        return 100


def two_columns(rows: Sequence[tuple[str, str]]) -> list[str]:
    left = min(max((len(k) for k, _ in rows), default=0), 28) + 2
    room = max(30, help_width() - left - 2)
    out = []
    for key, text in rows:
        lines = wrap(text, room)
        if len(key) + 2 > left:
            out.append(f"  {key}")
            out.extend(" " * (left + 2) + line for line in lines if line)
        else:
            out.append(f"  {key.ljust(left)}{lines[0]}".rstrip())
            out.extend(" " * (left + 2) + line for line in lines[1:])
    return out


def describe(opt: Opt) -> tuple[str, str]:
    if opt.positional:
        key = opt.metavar
    else:
        key = ", ".join(opt.names) + (f" {opt.metavar}" if not opt.flag else "")
    text = opt.help
    if opt.choices:
        text += (": " if text else "") + ", ".join(
            f"{c} (default)" if c == opt.default else c for c in opt.choices
        )
    if opt.required:
        text += " (required)"
    if opt.repeat:
        text += " (repeatable)"
    return key, text


def usage(prog: str, opts: Sequence[Opt]) -> str:
    parts = [prog]
    parts += [f"{o.names[0]} {o.metavar}" for o in opts if o.required and not o.positional]
    if any(not o.positional and not o.required for o in opts):
        parts.append("[options]")
    for o in (o for o in opts if o.positional):
        name = f"{o.metavar}..." if o.repeat else o.metavar
        parts.append(name if o.default is None else f"[{name}]")
    return "usage: " + " ".join(parts)


def command_help(prog: str, summary: str, opts: Sequence[Opt]) -> str:
    lines = [usage(prog, opts), "", *wrap(summary, help_width())]
    positional = [describe(o) for o in opts if o.positional]
    optional = [describe(o) for o in opts if not o.positional] + [("-h, --help", "show this help")]
    if positional:
        lines += ["", "arguments:", *two_columns(positional)]
    lines += ["", "options:", *two_columns(optional)]
    return "\n".join(lines) + "\n"


def group_help(prog: str, summary: str, entries: Sequence[tuple[str, str]], extra: Sequence[Opt] = ()) -> str:
    lines = [f"usage: {prog} {'[options] ' if extra else ''}COMMAND ...", "", *wrap(summary, help_width())]
    lines += ["", "commands:", *two_columns(entries)]
    lines += ["", "options:", *two_columns([*(describe(o) for o in extra), ("-h, --help", "show this help")])]
    return "\n".join(lines) + "\n"
