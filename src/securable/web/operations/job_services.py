"""Bulk changes of the device register as background jobs (issue 14 §2).

Asking stores the job and its "queued" event in one transaction and enqueues it
(``securable.web.jobs``); the job runs as the member who asked, re-authorized when it runs, and
writes devices through the same checks and audit events as a change made on the page. A job
records its own outcome, so a worker never retries it blindly.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from securable.errors import InputError, SecurableError
from securable.operations import register
from securable.web import jobs
from securable.web.audit.record import append
from securable.web.orgs.models import Organization
from securable.web.service import Actor, Forbidden, authorize

from . import services as s
from .job_models import DeviceJob

log = logging.getLogger(__name__)
MAX_SELECTED = 1000  # devices in one status change: one page of the register and more


def _error(row: int, column: str, message: str, hint: str = "") -> dict[str, Any]:
    return {"row": row, "column": column, "message": message, "hint": hint}


def queue_import(
    actor: Actor, organization: Organization, content: bytes, filename: str, why: str = ""
) -> DeviceJob:
    """Store a confirmed import; the job checks every row again when it runs, then stores all or none."""
    if len(content) > register.MAX_BYTES:
        raise InputError("choose a CSV or XLSX file of at most 5 MiB")
    with transaction.atomic():
        authorize(actor, organization, "device.manage")
        job = DeviceJob(
            organization=organization,
            kind=DeviceJob.Kind.IMPORT,
            requested_by=actor.user,
            credential=actor.credential[:100],
            token_role=actor.token_role,
            why=why[:1000],
            filename=filename[:200],
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
        )
        job.save(force_insert=True)
        append(
            actor,
            organization,
            "device.import.queue",
            target=("device-job", str(job.pk)),
            after={"file": job.filename, "sha256": job.sha256},
            why=why,
        )
        jobs.enqueue("operations.device_job", job_id=job.pk)
    return job


def queue_status(
    actor: Actor, organization: Organization, asset_tags: list[str], status: str, why: str = ""
) -> DeviceJob:
    """Set one status on the selected devices; each device is changed (or refused) on its own."""
    if status not in register.STATUSES:
        raise InputError(f"unknown status {status[:40]!r}", hint="use: " + ", ".join(register.STATUSES))
    tags = list(dict.fromkeys(t[:200] for t in asset_tags if t))
    if not tags:
        raise InputError("select at least one device")
    if len(tags) > MAX_SELECTED:
        raise InputError(f"select at most {MAX_SELECTED} devices at once")
    with transaction.atomic():
        authorize(actor, organization, "device.manage")
        job = DeviceJob(
            organization=organization,
            kind=DeviceJob.Kind.STATUS,
            requested_by=actor.user,
            credential=actor.credential[:100],
            token_role=actor.token_role,
            why=why[:1000],
            status=status,
            asset_tags=json.dumps(tags),
            total=len(tags),
        )
        job.save(force_insert=True)
        append(
            actor,
            organization,
            "device.status.queue",
            target=("device-job", str(job.pk)),
            after={"status": status, "devices": len(tags)},
            why=why,
        )
        jobs.enqueue("operations.device_job", job_id=job.pk)
    return job


def run_device_job(job_id: int) -> None:
    """The job: claim it (queued -> running), do it, record done or failed with counts and errors."""
    with transaction.atomic():
        job = DeviceJob._base_manager.select_for_update().filter(pk=job_id).first()
        if job is None or job.state != DeviceJob.State.QUEUED:
            return  # gone, or claimed by an earlier run of the same job
        job.state = DeviceJob.State.RUNNING
        job.started = timezone.now()
        job.save(update_fields=["state", "started"])
    organization = Organization.objects.get(pk=job.organization_id)
    user = get_user_model()._default_manager.get(pk=job.requested_by_id)
    token_org = organization.pk if job.token_role is not None else None
    actor = Actor(user=user, credential=job.credential, token_role=job.token_role, token_org=token_org)
    try:
        if job.kind == DeviceJob.Kind.IMPORT:
            _import(actor, organization, job)
        else:
            _status(actor, organization, job)
    except SecurableError as err:
        _finish(job, DeviceJob.State.FAILED, [_error(0, "", err.message, err.hint or "")])
    except Exception:  # a bug: the job says so instead of staying "running" forever
        log.exception("device job %s failed", job_id)
        _finish(
            job, DeviceJob.State.FAILED, [_error(0, "", "the job failed unexpectedly; see the server log")]
        )


def _finish(job: DeviceJob, state: str, errors: list[dict[str, Any]], changed: int = 0) -> None:
    job.state = state
    job.errors = json.dumps(errors[:1000])
    job.changed = changed
    job.finished = timezone.now()
    job.content = None if state == DeviceJob.State.DONE else job.content  # applied: the event keeps its hash
    job.save(update_fields=["state", "errors", "changed", "finished", "total", "content"])


def _import(actor: Actor, organization: Organization, job: DeviceJob) -> None:
    command = s.ImportDevices(bytes(job.content or b""), job.filename, dry_run=False, why=job.why)
    # One transaction for the devices, their event and the job's outcome: "done" means stored.
    with transaction.atomic():
        # The service re-authorizes in the transaction that writes: a member demoted since
        # asking writes nothing, and the rows are checked again against the register as it is now.
        result = s.import_devices(actor, organization, command)
        job.total = result.devices
        if result.errors:
            errors = [_error(e.row, e.column, e.what, e.fix) for e in result.errors]
            _finish(job, DeviceJob.State.FAILED, errors)
        else:
            _finish(job, DeviceJob.State.DONE, [], changed=result.devices)


def _status(actor: Actor, organization: Organization, job: DeviceJob) -> None:
    authorize(actor, organization, "device.manage")  # refused at once, not once per device
    errors: list[dict[str, Any]] = []
    changed = 0
    for number, tag in enumerate(job.tags(), start=1):
        try:
            s.set_status(actor, organization, tag, job.status, job.why)
        except Forbidden as err:
            # Revoked while the job ran: stop, and say how far it got (earlier devices are changed).
            errors.append(_error(number, tag, err.message, err.hint or ""))
            _finish(job, DeviceJob.State.FAILED, errors, changed=changed)
            return
        except SecurableError as err:
            errors.append(_error(number, tag, err.message, err.hint or ""))
        else:
            changed += 1
    _finish(job, DeviceJob.State.DONE, errors, changed=changed)
