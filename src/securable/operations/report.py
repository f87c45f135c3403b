"""Reports for auditors, built from the organization's audit chain and nothing else.

A report reads the chain's records (as exported: ``organization, seq, prev, hash, event``) from
the first event to the head, and states that range (sequence numbers and hashes): an auditor who
runs ``securable audit verify`` on the exported chain and finds those two hashes at those two
places knows every line of the report comes from verified events. Which devices, and which
period, only filter what is shown; open items are counted over the whole range, since a record
opened before the period may still be open in it.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from securable.errors import InputError

FINAL = ("closed", "rejected")
SECTIONS = (
    ("performed", "Maintenance performed"),
    ("approvals", "Approvals and rejections"),
    ("removals", "Data removals before offsite repair"),
    ("failures", "Failed verifications and how they were resolved"),
    ("reviews", "Reviews"),
    ("open", "Open items"),
    ("acknowledgements", "Policy acknowledgements"),
)
_APPROVALS = {"maintenance.approve", "maintenance.reject", "tool.approve", "policy.approve"}


@dataclass(frozen=True)
class Scope:
    title: str
    devices: frozenset[str] | None = None  # asset tags; None: every device
    start: datetime | None = None  # inclusive
    end: datetime | None = None  # exclusive

    def __post_init__(self) -> None:
        if self.start and self.end and self.start >= self.end:
            raise InputError("the period ends before it starts")


@dataclass(frozen=True)
class Line:
    seq: int
    time: str
    action: str
    subject: str  # M-12, R-3, a tool, a policy version
    device: str
    who: str
    detail: str


@dataclass(frozen=True)
class Report:
    organization: str
    scope: Scope
    first: tuple[int, str] | None  # (seq, hash) of the first event read
    last: tuple[int, str] | None  # and of the last: the chain head when the report was built
    sections: dict[str, list[Line]] = field(default_factory=dict)


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _in(scope: Scope, when: datetime) -> bool:
    return (scope.start is None or when >= scope.start) and (scope.end is None or when < scope.end)


def build(records: Iterable[dict[str, Any]], scope: Scope) -> Report:
    """The report over ``records`` (in chain order, read once: a long chain is streamed, not held);
    lines name actors by their id in the chain until :func:`named`."""
    sections: dict[str, list[Line]] = {key: [] for key, _ in SECTIONS}
    organization = ""
    first: tuple[int, str] | None = None
    last: tuple[int, str] | None = None
    state: dict[str, tuple[str, str, Line]] = {}  # subject -> (kind, state, last line)
    failed: dict[str, Line] = {}  # maintenance subject -> its open failure line
    for rec in records:
        organization = str(rec.get("organization", ""))
        seq, digest, event = int(rec["seq"]), str(rec["hash"]), rec["event"]
        first = first or (seq, digest)
        last = (seq, digest)
        action = str(event.get("action", ""))
        obj = event.get("object") or {}
        after = event.get("after") or {}
        subject = str(obj.get("id", ""))
        device = str(after.get("device", "")) if isinstance(after, dict) else ""
        if obj.get("type") == "device":
            device = subject
        if scope.devices is not None and device not in scope.devices and action != "policy.acknowledge":
            continue
        actor = event.get("actor")
        who = str(actor) if actor else "workspace"
        note = str(after.get("note") or after.get("outcome") or "") if isinstance(after, dict) else ""
        line = Line(seq, str(event.get("time", ""))[:19], action, subject, device, who, note[:300])
        shown = _in(scope, _time(str(event.get("time"))))
        kind = obj.get("type")
        if kind in ("maintenance", "review"):
            now = str(after.get("state", "")) if isinstance(after, dict) else ""
            state[subject] = (str(kind), now or state.get(subject, ("", "requested", line))[1], line)
        if action == "maintenance.verify" and after.get("state") == "failed":
            failed[subject] = line
            if shown:
                sections["failures"].append(line)
        elif action == "maintenance.verify" and subject in failed:
            opened = failed.pop(subject)
            if shown:
                resolved = f"resolved by event {seq} ({line.time}), failure at event {opened.seq}"
                sections["failures"].append(Line(**{**line.__dict__, "detail": resolved}))
        if not shown:
            continue
        if action == "maintenance.perform":
            sections["performed"].append(line)
        elif action in _APPROVALS:
            sections["approvals"].append(line)
        elif action == "maintenance.attest":
            sections["removals"].append(line)
        elif action.startswith("review.") and action != "review.remind":
            sections["reviews"].append(line)
        elif action == "policy.acknowledge":
            sections["acknowledgements"].append(line)
    sections["open"] = [
        Line(**{**line.__dict__, "detail": f"{kind} {now}"})
        for kind, now, line in state.values()
        if now not in FINAL and now != "completed"
    ]
    return Report(organization, scope, first, last, sections)


def actors(report: Report) -> set[str]:
    return {line.who for lines in report.sections.values() for line in lines} - {"workspace"}


def named(report: Report, names: dict[str, str]) -> Report:
    """``report`` with actor ids replaced by ``names`` (kept outside the chain so they can be
    erased: an erased person stays an id)."""
    sections = {
        key: [Line(**{**x.__dict__, "who": names.get(x.who, x.who)}) for x in lines]
        for key, lines in report.sections.items()
    }
    return Report(report.organization, report.scope, report.first, report.last, sections)


def _range(report: Report) -> str:
    if report.first is None or report.last is None:
        return "the audit chain was empty"
    return (
        f"audit events {report.first[0]} (hash {report.first[1]}) to {report.last[0]} "
        f"(hash {report.last[1]}) of organization {report.organization}"
    )


def _period(scope: Scope) -> str:
    start = scope.start.isoformat(timespec="seconds") if scope.start else "the first event"
    end = scope.end.isoformat(timespec="seconds") if scope.end else "the chain head"
    return f"from {start} to {end}"


COLUMNS = ("section", "seq", "time", "action", "subject", "device", "who", "detail")


def to_csv(report: Report) -> str:
    """One row per line, with the range in the first rows (cells a spreadsheet would run as
    formulas get a leading ``'``)."""
    from securable.textsafety import csv_cell

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["report", csv_cell(report.scope.title)])
    writer.writerow(["period", _period(report.scope)])
    writer.writerow(["built from", _range(report)])
    writer.writerow(COLUMNS)
    for key, _ in SECTIONS:
        for line in report.sections[key]:
            cells = (key, str(line.seq), line.time, line.action, line.subject, line.device, line.who)
            writer.writerow([csv_cell(c) for c in (*cells, line.detail)])
    return out.getvalue()


_STYLE = (
    "body{font-family:sans-serif;font-size:10pt;margin:1.5em}table{border-collapse:collapse;width:100%}"
    "th,td{border:1px solid #999;padding:2px 4px;text-align:left;vertical-align:top}"
    "code{font-size:8pt;word-break:break-all}"
)


def to_html(report: Report) -> str:
    """A self-contained page (style in the head, no script, no external resource) for print or PDF."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(report.scope.title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{e(report.scope.title)}</h1>",
        f"<p>Period: {e(_period(report.scope))}.</p>",
        f'<p class="range">Built from <code>{e(_range(report))}</code>. Check it: export the chain '
        "and run <code>securable audit verify</code>; these two events must be at these places.</p>",
    ]
    for key, title in SECTIONS:
        lines = report.sections[key]
        parts.append(f"<h2>{e(title)} ({len(lines)})</h2>")
        if not lines:
            parts.append("<p>None.</p>")
            continue
        parts.append(
            "<table><thead><tr><th>Event</th><th>Time</th><th>Action</th><th>Record</th>"
            "<th>Device</th><th>Who</th><th>Detail</th></tr></thead><tbody>"
        )
        for x in lines:
            cells = (str(x.seq), x.time, x.action, x.subject, x.device, x.who, x.detail)
            parts.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in cells) + "</tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def to_pdf(report: Report) -> bytes:
    from securable.package.documents.pdfrender import html_to_pdf

    day = report.scope.end.date() if report.scope.end else datetime.now().date()
    return html_to_pdf(to_html(report), day)
