"""A maintenance record to JSON and back, so the workspace stores the state machine's own value."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from securable.errors import InputError
from securable.operations.maintenance import (
    Attestation,
    By,
    Performed,
    Record,
    RemoteSession,
    State,
    Step,
    Verification,
    Where,
)


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse(value: Any) -> datetime:
    return datetime.fromisoformat(str(value))


def to_json(record: Record) -> dict[str, Any]:
    return {
        "device_type": record.device_type,
        "where": record.where.value,
        "by": record.by.value,
        "reason": record.reason,
        "requester": record.requester,
        "technician": record.technician,
        "requested": _time(record.requested),
        "state": record.state.value,
        "approver": record.approver,
        "attestation": None
        if record.attestation is None
        else {
            "method": record.attestation.method,
            "by": record.attestation.by,
            "when": _time(record.attestation.when),
            "evidence_name": record.attestation.evidence_name,
            "evidence_sha256": record.attestation.evidence_sha256,
        },
        "shipped": _time(record.shipped),
        "received": _time(record.received),
        "performed": [
            {
                "technician": p.technician,
                "escort": p.escort,
                "when": _time(p.when),
                "what": p.what,
                "tools": list(p.tools),
                "session": None
                if p.session is None
                else {
                    "tool": p.session.tool,
                    "started": _time(p.session.started),
                    "ended": _time(p.session.ended),
                    "connection": p.session.connection,
                },
            }
            for p in record.performed
        ],
        "verifications": [
            {"results": dict(v.results), "note": v.note, "by": v.by, "when": _time(v.when)}
            for v in record.verifications
        ],
        "corrects": record.corrects,
        "history": [
            {"name": s.name, "by": s.by, "when": _time(s.when), "state": s.state.value, "note": s.note}
            for s in record.history
        ],
    }


def from_json(data: dict[str, Any]) -> Record:
    try:
        att = data["attestation"]
        return Record(
            device_type=str(data["device_type"]),
            where=Where(data["where"]),
            by=By(data["by"]),
            reason=str(data["reason"]),
            requester=str(data["requester"]),
            technician=str(data["technician"]),
            requested=_parse(data["requested"]),
            state=State(data["state"]),
            approver=str(data["approver"]),
            attestation=None
            if att is None
            else Attestation(
                str(att["method"]),
                str(att["by"]),
                _parse(att["when"]),
                str(att["evidence_name"]),
                str(att["evidence_sha256"]),
            ),
            shipped=_parse(data["shipped"]) if data["shipped"] else None,
            received=_parse(data["received"]) if data["received"] else None,
            performed=tuple(
                Performed(
                    str(p["technician"]),
                    str(p["escort"]),
                    _parse(p["when"]),
                    str(p["what"]),
                    tuple(str(t) for t in p["tools"]),
                    None
                    if p["session"] is None
                    else RemoteSession(
                        str(p["session"]["tool"]),
                        _parse(p["session"]["started"]),
                        _parse(p["session"]["ended"]),
                        str(p["session"]["connection"]),
                    ),
                )
                for p in data["performed"]
            ),
            verifications=tuple(
                Verification(
                    {str(k): bool(v) for k, v in v["results"].items()},
                    str(v["note"]),
                    str(v["by"]),
                    _parse(v["when"]),
                )
                for v in data["verifications"]
            ),
            corrects=str(data["corrects"]),
            history=tuple(
                Step(str(s["name"]), str(s["by"]), _parse(s["when"]), State(s["state"]), str(s["note"]))
                for s in data["history"]
            ),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise InputError(f"not a maintenance record: {err}") from err
