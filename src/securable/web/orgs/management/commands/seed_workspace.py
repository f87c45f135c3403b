"""``manage seed_workspace``: fill a throw-away database with a large made-up workspace (benchmarks)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Fill an empty, throw-away database with 50 organizations, 10,000 products of 3 versions and "
        "50,000 audit events (times --scale); refuses a database that holds an organization."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=1.0, help="multiply every count (default 1)")
        parser.add_argument("--password", required=True, help="the password of every seeded account")
        parser.add_argument(
            "--credentials", help="write each organization's slug, owner address and CI token here (JSON)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from pathlib import Path

        from securable.fileio import write_files
        from securable.web.orgs.seeding import Size, seed

        size = Size.scaled(options["scale"])
        seeded = seed(size, options["password"])
        if options["credentials"]:
            rows = [{"org": o, "email": e, "token": t} for o, e, t in seeded.organizations]
            path = Path(options["credentials"])
            # Tokens are secrets: the file is private (0600) like a key.
            write_files([(path, (json.dumps(rows, indent=1) + "\n").encode())], private=[path])
        self.stdout.write(
            f"seeded {size.organizations} organizations, {size.products} products x {size.versions} "
            f"versions, {size.events} audit events"
        )
