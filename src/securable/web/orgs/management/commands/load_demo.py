"""``manage load_demo EXAMPLES [--out OUT]``: the demo workspace (see ``securable.web.orgs.demo``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Load the example products and a filled example agency, with two demo accounts (new passwords)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("examples", help="the examples folder of a Securable checkout")
        parser.add_argument(
            "--out", help="where `make demo` left the signed packages (packages/, keys/); else built here"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from securable.web.orgs.demo import load

        out = Path(options["out"]) if options.get("out") else None
        for line in load(Path(options["examples"]), out).lines():
            self.stdout.write(line)
