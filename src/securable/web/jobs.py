"""The one interface for background work: ``enqueue(job, **args)``.

With SQLite (the demo, one process) a job runs inline, right after the transaction that asked for
it commits, so it sees what that transaction wrote and its failure cannot undo it. With PostgreSQL
it goes to a procrastinate queue in the same database, deferred inside the caller's transaction
(queued exactly when the change commits), and ``manage.py procrastinate worker`` runs it.

A job is a name from :data:`JOBS` (the function it runs) and JSON-able arguments; jobs record
their own outcome (a failed build marks its release failed), so a worker never retries blindly.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

# Job name -> the function that does it (imported when the job runs: no import cycle, no cost).
JOBS: dict[str, str] = {
    "release.build": "securable.web.products.releases.build_release",
    "operations.reminders": "securable.web.operations.review_services.run_reminders",
    "operations.device_job": "securable.web.operations.job_services.run_device_job",
}
TASK = "securable.job"  # the one procrastinate task; it runs the named job (securable.web.queue)
QUEUE = "securable"


def uses_queue() -> bool:
    """Whether jobs go to the procrastinate queue (PostgreSQL) rather than run inline (SQLite)."""
    return "procrastinate.contrib.django" in settings.INSTALLED_APPS


def enqueue(job: str, **args: Any) -> None:
    if job not in JOBS:
        raise KeyError(f"unknown job {job!r}")  # a typo in code, never a silent no-op
    if uses_queue():
        from procrastinate.contrib.django import app

        app.configure_task(name=TASK, queue=QUEUE).defer(job=job, args=args)
    else:
        transaction.on_commit(lambda: run(job, args))


def run(job: str, args: dict[str, Any]) -> None:
    """Do one job now (the inline path, and the worker's task)."""
    import_string(JOBS[job])(**args)
