"""The evaluation as JSON for scripts, in the shape ``securable/data/schemas/evaluation.schema.json``
documents (format 1: fields are only ever added, never renamed or removed)."""

from __future__ import annotations

import json
from typing import Any

from securable import __version__
from securable.agency.evaluation.clauses import Clause
from securable.agency.evaluation.evaluate import STATUSES, Evaluation, Verdict, group_of
from securable.agency.evaluation.report import (
    LABELS,
    MEANINGS,
    bottom_line,
    cell,
    counts,
    mapped_count,
    notes,
    silent_split,
    summary,
)
from securable.agency.evaluation.vendors import Vendor
from securable.rendering.formats import RenderOptions


def to_json(ev: Evaluation, options: RenderOptions) -> str:
    names = [v.name for v in ev.evaluated]
    data = {
        "format": 1,
        "generator": f"securable {__version__}",
        "requirements": {
            "source": ev.requirements.source,
            "title": ev.requirements.title,
            "control_source": ev.requirements.control_source,
            "counts": counts(ev),
            "warnings": list(ev.requirements.warnings),
        },
        "statuses": [{"id": s, "label": LABELS[s], "meaning": MEANINGS[s]} for s in STATUSES],
        "vendors": [_vendor_json(ev, v) for v in ev.vendors],
        "evaluation": [
            {
                "id": row.item.record.id,
                "catalog": row.item.record.catalog,
                "section": row.item.section,
                "capability": row.item.record.id.split("-", 1)[0],
                "group": group_of(row.item.record.id).id,
                "text": row.item.record.text or row.item.record.title,
                "called_for_by": list(row.item.calls),
                "added": row.item.added or None,
                "priority": row.priority,
                "verdicts": {name: _verdict_json(v) for name, v in zip(names, row.verdicts, strict=True)},
            }
            for row in ev.rows
        ],
        "capabilities": [
            {
                "id": t.id,
                "title": t.title,
                "section": t.section,
                "requirements": t.count,
                "vendors": dict(zip(names, t.per_vendor, strict=True)),
            }
            for t in ev.totals
        ],
        "questions": [
            {
                "vendor": q.vendor,
                "kind": q.kind,
                "group": q.group or None,
                "group_title": q.group_title or None,
                "requirements": list(q.requirements),
                "text": q.text,
            }
            for q in ev.questions
        ],
        "clauses": [_clause_json(c) for c in ev.clauses],
        "notes": notes(ev),
        # Format 1 promised this field (fields are only ever added): it says whether a vendor
        # failed, in the CLI's words; the CLI itself decides its exit code from ``ev.failed``.
        "exit_code": 1 if ev.failed else 0,
        "date": ev.date or None,
        "summaries": [_summary_json(ev, i) for i in range(len(ev.evaluated))],
        "deciding": [row.item.record.id for row in ev.deciding()],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _vendor_json(ev: Evaluation, vendor: Vendor) -> dict[str, Any]:
    evaluated = [v.name for v in ev.evaluated]
    error = vendor.error
    return {
        "name": vendor.name,
        "path": vendor.path,
        "kind": vendor.kind,
        "signature": vendor.signature,
        "evaluated": vendor.ok,
        "product": vendor.product or None,
        "manufacturer": vendor.manufacturer or None,
        "components": [{"title": c.title, "type": c.type, "role": c.role} for c in vendor.components],
        "warnings": list(vendor.warnings),
        "error": None
        if error is None
        else {
            "kind": error.kind,
            "message": error.message,
            "problems": [{"path": p.path, "message": p.message} for p in error.problems],
        },
        "totals": ev.overall(evaluated.index(vendor.name)) if vendor.ok else None,
    }


def _summary_json(ev: Evaluation, vendor: int) -> dict[str, Any]:
    facts = ev.evaluated[vendor].facts
    coarser, unaddressed = silent_split(ev, vendor)
    return {
        "vendor": ev.evaluated[vendor].name,
        "bottom_line": bottom_line(ev, vendor),
        "items": [{"label": label, "value": value} for label, value in summary(ev, vendor)],
        "facts": {
            "read": facts.read,
            "version": facts.version or None,
            "package_date": facts.package_date or None,
            "support_end": facts.support_end or None,
            "end_of_life": facts.end_of_life or None,
            "sbom": facts.sbom or None,
            "sbom_signed": facts.sbom_signed,
            "vulnerability_reporting": facts.vulnerability_reporting or None,
            "update_policy": facts.update_policy or None,
            "key_fingerprint": facts.fingerprint or None,
            "answered": list(facts.answered),
            "unstated": [t.key for t in facts.unstated()],
            "not_detailed": coarser,
            "not_addressed": unaddressed,
            "mapped": mapped_count(ev, vendor),
        },
    }


def _verdict_json(verdict: Verdict) -> dict[str, Any]:
    return {
        "status": verdict.status,
        "label": cell(verdict),
        "coarser": verdict.coarser,
        "mapped": verdict.mapped,
        "via": verdict.via or None,
        "parts": list(verdict.parts),
        "customer_share": verdict.customer_share,
        "note": verdict.note,
        "claims": [
            {
                "record": c.record,
                "component": c.component.title,
                "role": c.component.role,
                "partial": c.partial,
                "provider": c.provider,
                "customer": c.customer,
                "means": list(c.means),
                "text": c.text,
                "where": c.where,
                "mapped_from": c.mapped_from or None,
            }
            for c in verdict.claims
        ],
    }


def _clause_json(clause: Clause) -> dict[str, Any]:
    return {
        "theme": clause.theme.key,
        "title": clause.theme.title,
        "clause": clause.theme.clause,
        "on_checklist": clause.on_checklist,
        "required": [{"id": r.id, "text": r.text} for r in clause.required],
        "others": [r.id for r in clause.others],
    }
