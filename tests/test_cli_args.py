"""The small argument parser behind the CLI."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from securable.cli.args import HelpRequested, Opt, command_help, parse
from securable.errors import UsageError
from securable.rendering.layout import wrap

OPTS = (
    Opt("id", metavar="ID", help="what to show"),
    Opt("--format", choices=("table", "json"), default="table"),
    Opt("--catalog", metavar="C", repeat=True),
    Opt("--limit", metavar="N", type=int, default=25),
    Opt("--strict", flag=True),
    Opt("-o", "--output", metavar="FILE"),
)


def p(*argv: str) -> dict[str, object]:
    return vars(parse("securable x", OPTS, argv, help_text="HELP"))


def test_defaults_and_positional() -> None:
    assert p("DI-1") == {
        "id": "DI-1",
        "format": "table",
        "catalog": None,
        "limit": 25,
        "strict": False,
        "output": None,
    }


def test_every_option_form() -> None:
    got = p("--format=json", "DI-1", "--catalog", "a", "--catalog=b", "--limit", "3", "--strict", "-o", "f")
    assert got == {
        "id": "DI-1",
        "format": "json",
        "catalog": ["a", "b"],
        "limit": 3,
        "strict": True,
        "output": "f",
    }


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ((), "missing ID"),
        (("a", "b"), "unexpected argument 'b'"),
        (("a", "--format", "xml"), "invalid choice 'xml'"),
        (("a", "--limit", "many"), "not a whole number"),
        (("a", "--limit"), "needs a value"),
        (("a", "--nope"), "unknown option '--nope'"),
        (("a", "--strict=yes"), "takes no value"),
    ],
)
def test_bad_arguments_are_usage_errors(argv: tuple[str, ...], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        p(*argv)


def test_required_option() -> None:
    opts = (Opt("--format", choices=("a", "b"), required=True),)
    with pytest.raises(UsageError, match="missing --format"):
        parse("x", opts, [], help_text="")
    assert vars(parse("x", opts, ["--format", "b"], help_text="")) == {"format": "b"}


def test_help_anywhere_wins() -> None:
    with pytest.raises(HelpRequested) as caught:
        p("--format", "json", "-h")
    assert caught.value.text == "HELP"


def test_close_option_names_are_suggested() -> None:
    with pytest.raises(UsageError) as caught:
        p("a", "--form", "json")
    assert caught.value.hint == "did you mean --format?"


def test_help_text_lists_every_option_with_choices_and_defaults() -> None:
    text = command_help("securable x", "does x", OPTS)
    assert text.startswith("usage: securable x [options] ID\n")
    for fragment in (
        "ID",
        "--format FORMAT",
        "table (default), json",
        "--catalog C",
        "(repeatable)",
        "-o, --output",
    ):
        assert fragment in text


@given(st.lists(st.text(alphabet="abc ", min_size=1, max_size=12), max_size=30), st.integers(10, 80))
def test_wrap_keeps_every_word_and_respects_width(words: list[str], room: int) -> None:
    text = " ".join(words)
    lines = wrap(text, room)
    assert " ".join(lines).split() == text.split()
    assert all(len(line) <= room or " " not in line for line in lines)


def test_a_repeatable_positional_takes_every_remaining_word() -> None:
    opts = (Opt("vendor", metavar="VENDOR", repeat=True), Opt("--key", metavar="K", repeat=True))
    args = vars(parse("x", opts, ["a", "--key", "k1", "b", "c"], help_text=""))
    assert args == {"vendor": ["a", "b", "c"], "key": ["k1"]}
    with pytest.raises(UsageError, match="missing VENDOR"):
        parse("x", opts, ["--key", "k"], help_text="")
    assert command_help("x", "y", opts).startswith("usage: x [options] VENDOR...")


def test_double_dash_ends_the_options() -> None:
    args = vars(parse("x", OPTS, ["--format", "json", "--", "--help"], help_text="HELP"))
    assert args["id"] == "--help"
    assert args["format"] == "json"


def test_a_search_for_a_word_starting_with_a_dash(capsys: pytest.CaptureFixture[str]) -> None:
    from securable.cli import main

    assert main(["catalog", "search", "--format", "json", "--", "-h"]) == 0
    assert capsys.readouterr().out.startswith("[")
    assert main(["--debug", "catalog", "search", "--", "--debug"]) == 0


def test_every_command_has_a_typed_argument_class_naming_exactly_its_options() -> None:
    from securable.cli.args import Args
    from securable.cli.spec import COMMANDS

    classes = set()
    for command in COMMANDS:
        assert issubclass(command.args, Args), command.path
        assert command.args is not Args, command.path
        assert set(command.args.__annotations__) == {o.dest for o in command.opts}, command.path
        classes.add(command.args)
    assert len(classes) == len(COMMANDS)  # no two commands share one


def test_the_handler_receives_its_commands_class(monkeypatch: pytest.MonkeyPatch) -> None:
    from securable.cli import check_cmd
    from securable.cli.arguments import CheckArgs

    seen: list[object] = []

    def check(args: object) -> int:
        seen.append(args)
        return 0

    monkeypatch.setattr(check_cmd, "check", check)
    from securable.cli import main

    assert main(["check", "x.yaml", "--fail-on", "none"]) == 0
    (args,) = seen
    assert isinstance(args, CheckArgs)
    assert (args.product, args.fail_on, args.baseline, args.date) == ("x.yaml", "none", None, None)
