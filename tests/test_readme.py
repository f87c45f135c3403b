"""The README is part of the interface: its help excerpts must match the real CLI."""

from __future__ import annotations

from tools.readme_help import README, render


def test_readme_help_blocks_match_the_cli() -> None:
    current = README.read_text("utf-8")
    assert "<!-- help: catalog show -->" in current
    assert render(current) == current, "README help excerpts are stale: run `python -m tools.readme_help`"


def test_readme_documents_every_exit_code() -> None:
    from securable.cli import INTERNAL_ERROR
    from securable.cli.exitcodes import ExitCode

    text = README.read_text("utf-8")
    codes = [v for k, v in vars(ExitCode).items() if k.isupper()]
    assert len(codes) == 3
    for code in [*codes, INTERNAL_ERROR]:
        assert f"\n| {int(code)} |" in text


def test_readme_names_the_two_commands_and_ci_calls_one() -> None:
    text = README.read_text("utf-8")
    assert "make demo" in text
    assert "make test" in text
    ci = (README.parent / ".ci" / "run").read_text("utf-8")
    assert "make test" in ci


def test_readme_python_examples_run() -> None:
    text = README.read_text("utf-8")
    blocks = [b.split("```", 1)[0] for b in text.split("```python\n")[1:]]
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
