"""The procrastinate task behind ``securable.web.jobs`` (PostgreSQL only; imported by the worker
through PROCRASTINATE_IMPORT_PATHS, never by the web app on SQLite)."""

from __future__ import annotations

from typing import Any

from django.db import connections
from procrastinate.contrib.django import app

from securable.web import jobs


@app.task(name=jobs.TASK, queue=jobs.QUEUE)
def run_job(job: str, args: dict[str, Any]) -> None:
    try:
        jobs.run(job, args)
    finally:
        # The worker runs jobs in threads of its own, and Django keeps a connection per thread
        # (CONN_MAX_AGE): closed after each job, so no idle connection outlives it.
        connections.close_all()
