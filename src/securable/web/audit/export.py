"""An organization's audit chain as JSON Lines, the format ``securable audit verify`` checks."""

from __future__ import annotations

import json
from collections.abc import Iterator

from securable.audit.chain import dumps_record
from securable.web.audit.models import AuditEvent
from securable.web.orgs.models import Organization


def export_lines(organization: Organization) -> Iterator[str]:
    """Every event in order, with the hashes as stored (never recomputed: that is what is checked)."""
    org_id = str(organization.public_id)
    rows = (
        AuditEvent.objects.for_org(organization)
        .order_by("seq")
        .values_list("seq", "prev_hash", "hash", "payload")
        .iterator(chunk_size=2000)
    )
    for seq, prev, digest, payload in rows:
        yield dumps_record(
            {"organization": org_id, "seq": seq, "prev": prev, "hash": digest, "event": json.loads(payload)}
        )
