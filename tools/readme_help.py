"""Keep the README's ``--help`` excerpts equal to the real output.

``python -m tools.readme_help`` rewrites every block between ``<!-- help: CMD -->`` and
``<!-- end help -->``; tests/test_readme.py fails when they drift.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from securable.cli import help_for

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"(<!-- help: ?(?P<cmd>[^>]*?) ?-->\n)(?P<body>.*?)(<!-- end help -->)", re.S)
WIDTH = "100"


def help_text(command: str) -> str:
    os.environ["COLUMNS"] = WIDTH  # help wraps to the terminal; pin the width so the README is stable
    return help_for(command.split())


def render(readme: str) -> str:
    def fill(match: re.Match[str]) -> str:
        cmd = match["cmd"].strip()
        return f"{match[1]}```text\n$ securable {cmd} --help\n{help_text(cmd)}```\n{match[4]}".replace(
            "$ securable  --help", "$ securable --help"
        )

    return BLOCK.sub(fill, readme)


if __name__ == "__main__":
    README.write_text(render(README.read_text("utf-8")), "utf-8")
    sys.exit(0)
