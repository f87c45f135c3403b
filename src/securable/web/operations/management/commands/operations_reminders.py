"""``securable web manage -- operations_reminders``: open scheduled reviews and remind assignees of
overdue ones, for every organization (or one); run it daily from cron.

Each organization is one ``operations.reminders`` job: inline on SQLite, queued on PostgreSQL (a
worker runs it). Running it twice on one day reminds nobody twice.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from securable.web.jobs import enqueue
from securable.web.orgs.models import Organization


class Command(BaseCommand):
    help = "Open scheduled reviews and remind the assignees of overdue ones (daily, from cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organization", nargs="?", help="only this organization (its slug)")
        parser.add_argument("--today", default="", help="the day to act as (YYYY-MM-DD; default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        from datetime import date

        today = options["today"]
        if today:
            try:
                date.fromisoformat(today)
            except ValueError as err:
                raise CommandError("--today: write the day as YYYY-MM-DD") from err
        orgs = Organization.objects.order_by("pk")
        if options["organization"]:
            orgs = orgs.filter(slug=options["organization"])
            if not orgs.exists():
                raise CommandError(f"no organization {options['organization']!r}")
        count = 0
        for pk in orgs.values_list("pk", flat=True):
            enqueue("operations.reminders", organization=pk, today=today)
            count += 1
        self.stdout.write(f"reminders: {count} organization{'s' if count != 1 else ''}\n")
