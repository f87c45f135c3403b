"""``securable web audit-checkpoint --key PRIVATE``: sign today's head of every organization's chain."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from securable.web.audit.checkpoints import make_checkpoints


class Command(BaseCommand):
    help = "Sign the head of every organization's audit chain for today (run once a day)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--key", required=True, help="the Ed25519 private key (PEM), kept outside the database"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from securable.package.keys import load_private_key

        made = make_checkpoints(load_private_key(Path(options["key"])), timezone.now().date())
        self.stdout.write(f"{made} checkpoint{'s' if made != 1 else ''} signed\n")
