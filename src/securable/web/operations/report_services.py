"""Reports for auditors: the organization's audit chain, read as exported, through the core's
report builder (``securable.operations.report``). Reading only: no event is written."""

from __future__ import annotations

import json

from securable.operations import report as rp
from securable.web.audit.export import export_lines
from securable.web.audit.models import Person
from securable.web.orgs.models import Organization
from securable.web.service import Actor, authorize


def build_report(actor: Actor, organization: Organization, scope: rp.Scope) -> rp.Report:
    authorize(actor, organization, "audit.view")
    # The very lines an auditor gets from `audit-export`, so the range the report states is the
    # range `securable audit verify` checks.
    built = rp.build((json.loads(line) for line in export_lines(organization)), scope)
    names = {
        str(public_id): name or str(public_id)
        for public_id, name in Person.objects.filter(public_id__in=rp.actors(built), erased=None).values_list(
            "public_id", "name"
        )
    }
    return rp.named(built, names)
