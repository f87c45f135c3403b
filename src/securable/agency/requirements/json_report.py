"""The requirements report as JSON, for scripts."""

from __future__ import annotations

import json

from securable import __version__
from securable.agency.requirements.derive import Call, Requirement, Requirements
from securable.agency.requirements.links import CAPABILITIES
from securable.agency.requirements.report import notes, priority_of
from securable.rendering.formats import RenderOptions


def to_json(req: Requirements, options: RenderOptions) -> str:
    def call(c: Call) -> dict[str, object]:
        return {
            "control": c.control,
            "label": c.label,
            "route": c.route,
            "derived": c.derived,
            "note": c.note,
        }

    def item(r: Requirement) -> dict[str, object]:
        out: dict[str, object] = {"id": r.record.id, "catalog": r.record.catalog, "kind": r.record.kind}
        out["text"] = r.record.text or r.record.title
        out["calls"] = [call(c) for c in r.calls]
        if r.record.catalog == CAPABILITIES:  # Agency actions are the agency's own: not ranked
            out["priority"] = priority_of(r)
        if r.added:
            out["added"] = r.added
        return out

    data = {
        "format": 1,
        "generator": f"securable {__version__}",
        "controls": {
            "name": req.controls.name,
            "title": req.controls.title,
            "kind": req.controls.kind,
            "ids": list(req.controls.controls),
            "ignored": list(req.controls.ignored),
        },
        "technical": [item(r) for r in req.technical],
        "support": [item(r) for r in req.support],
        "agency": [item(r) for r in req.agency],
        "dropped": [{**item(r), "reason": reason} for r, reason in req.dropped],
        "tailoring": [
            {"action": t.action, "id": t.ref, "reason": t.reason, "affected": list(t.affected)}
            for t in req.tailoring
        ],
        "unlinked": list(req.unlinked),
        "uncalled": req.uncalled(),
        "notes": notes(req),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
