"""``manage load_demo EXAMPLES``: the demo workspace (see ``securable.web.orgs.demo``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Load the example products and an example agency, with a demo account (a new password each run)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("examples", help="the examples folder of a Securable checkout")

    def handle(self, *args: Any, **options: Any) -> None:
        from securable.web.orgs.demo import load

        done = load(Path(options["examples"]))
        self.stdout.write(f"Demo sign-in: {done.email} / {done.password} ({done.products} example products)")
