"""Bulk changes of the device register run as background jobs (``securable.web.jobs``): a
confirmed import of a CSV/XLSX file, or one status set on many devices. The row keeps what the job
needs to run as the member who asked (re-authorized when it runs) and what the page shows."""

from __future__ import annotations

import json

from django.conf import settings
from django.db import models
from django.utils import timezone

from securable.web.orgs.models import Organization
from securable.web.scoping import ScopedManager


class DeviceJob(models.Model):
    class Kind(models.TextChoices):
        IMPORT = "import"
        STATUS = "status"

    class State(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    state = models.CharField(max_length=20, choices=State.choices, default=State.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    credential = models.CharField(max_length=100)  # as the request's actor: the job acts with it
    token_role = models.CharField(max_length=20, null=True)
    why = models.CharField(max_length=1000, blank=True)
    filename = models.CharField(max_length=200, blank=True)  # import
    content = models.BinaryField(null=True)  # import: the file as uploaded, parsed when the job runs
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=20, blank=True)  # status: the status to set
    asset_tags = models.TextField(default="[]")  # status: JSON list of the devices selected
    total = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    errors = models.TextField(default="[]")  # JSON list of {row, column, message, hint}
    created = models.DateTimeField(default=timezone.now)
    started = models.DateTimeField(null=True)
    finished = models.DateTimeField(null=True)

    objects = ScopedManager()

    class Meta:
        indexes = [models.Index(fields=["organization", "-created"], name="devicejob_org_created")]

    def tags(self) -> list[str]:
        return [str(t) for t in json.loads(self.asset_tags)]

    def error_list(self) -> list[dict[str, str]]:
        return [{k: str(v) for k, v in e.items()} for e in json.loads(self.errors)]

    @property
    def finished_state(self) -> bool:
        return self.state in {self.State.DONE, self.State.FAILED}
