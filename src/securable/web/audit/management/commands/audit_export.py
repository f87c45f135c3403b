"""``securable web audit-export ORG`` (or ``manage audit_export``): an organization's chain as JSON Lines."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from securable.web.audit.export import export_lines
from securable.web.orgs.models import Organization


class Command(BaseCommand):
    help = "Write an organization's audit chain as JSON Lines (check it with `securable audit verify`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organization", help="the organization's short name (slug)")
        parser.add_argument("-o", "--output", help="write here (atomically) instead of to standard output")
        parser.add_argument(
            "--checkpoints", help="also write the signed checkpoints to this file (JSON Lines)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        org = Organization.objects.filter(slug=options["organization"]).first()
        if org is None:
            raise CommandError(f"no organization {options['organization']!r}")
        if options["checkpoints"]:
            from pathlib import Path

            from securable.fileio import write_files
            from securable.web.audit.checkpoints import checkpoint_lines

            write_files([(Path(options["checkpoints"]), "".join(checkpoint_lines(org)).encode("utf-8"))])
        if options["output"]:
            from pathlib import Path

            from securable.fileio import write_files

            write_files([(Path(options["output"]), "".join(export_lines(org)).encode("utf-8"))])
        else:
            for line in export_lines(org):
                sys.stdout.write(line)
