"""Turning the core's JSON reports into what the agency's templates show.

The evaluation page reads the stored report generically: the fields it knows get their own place
(the side-by-side table, questions, clauses), and any other field of a vendor or of the report
(the core's evaluation summary grows fields; see the JSON schema's "fields are only ever added") is
still listed by name, so a newer core shows up without a change here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

_VENDOR_SHOWN = frozenset({"name", "evaluated", "error", "totals", "warnings", "components"})
_REPORT_SHOWN = frozenset(
    {"format", "generator", "requirements", "statuses", "vendors", "evaluation", "capabilities"}
    | {"questions", "clauses", "notes", "exit_code", "summaries", "deciding"}
)
# The core's words for its priorities (securable.agency.requirements.priority), kept here so that
# this module, imported when the URL map loads, does not import the core.
PRIORITY_WORDS = {1: "decides", 2: "high", 3: "normal"}
PRIORITY_MEANINGS = {
    1: "a core baseline element of NISTIR 8259A/8259B that even the LOW baseline calls for, or one the "
    "agency added",
    2: "called for by a control of the LOW baseline, so needed at every impact level",
    3: "called for only by controls above the LOW baseline",
}
SECTION_TITLES = {
    "technical": "Device cybersecurity capabilities",
    "support": "Manufacturer support",
    "agency": "Agency actions",
}


def words(value: Any) -> str:
    """A JSON value as one line of text: what a table cell shows."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {words(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(words(v) for v in value) or "—"
    return str(value)


@dataclass
class Cell:
    status: str
    label: str
    note: str


@dataclass
class Row:
    id: str
    section: str
    text: str
    added: str
    cells: list[Cell]
    priority: str = ""  # "decides", "high" or "normal"; empty from a core that predates priorities


@dataclass
class VendorView:
    name: str
    evaluated: bool
    error: str
    details: list[tuple[str, str]]  # every other field, by name
    totals: list[tuple[str, int]]
    warnings: list[str]


@dataclass
class SummaryView:
    """One vendor's one-page summary: the bottom line first, then the core's items in its order."""

    vendor: str
    bottom_line: str
    items: list[tuple[str, str]]
    not_detailed: int  # silent, though the vendor claims something above the requirement as a whole
    not_addressed: int  # silent, with nothing claimed above it either
    mapped: int  # met only through SP 800-53 controls mapped to the requirement


@dataclass
class Deciding:
    id: str
    text: str
    cells: list[Cell]


@dataclass
class EvaluationView:
    title: str
    facts: list[tuple[str, str]]
    vendors: list[VendorView]
    columns: list[str]  # the evaluated vendors, in order
    rows: list[Row]
    questions: list[dict[str, Any]]
    clauses: list[dict[str, Any]]
    notes: list[str]
    extra: list[tuple[str, str]] = field(default_factory=list)  # report fields this page predates
    summaries: list[SummaryView] = field(default_factory=list)
    deciding: list[Deciding] = field(default_factory=list)  # the priority-1 requirements, in report order
    priorities: list[tuple[str, str, int]] = field(default_factory=list)  # word, meaning, how many


def evaluation(result: dict[str, Any]) -> EvaluationView:
    labels = {
        s.get("id"): s.get("label", s.get("id")) for s in result.get("statuses", ()) if isinstance(s, dict)
    }
    vendors = [_vendor(v, labels) for v in result.get("vendors", ()) if isinstance(v, dict)]
    columns = [v.name for v in vendors if v.evaluated]
    rows = []
    for item in result.get("evaluation", ()):
        verdicts = item.get("verdicts", {})
        cells = []
        for name in columns:
            verdict = verdicts.get(name, {})
            status = str(verdict.get("status", ""))
            # The verdict's own label splits "silent" into "not addressed" and "not claimed at this
            # level of detail", which tells the reader what to ask the vendor.
            label = verdict.get("label") or labels.get(status, status)
            cells.append(Cell(status, str(label), str(verdict.get("note") or "")))
        priority = item.get("priority")
        rows.append(
            Row(
                str(item.get("id", "")),
                str(item.get("section", "")),
                str(item.get("text", "")),
                str(item.get("added") or ""),
                cells,
                PRIORITY_WORDS.get(priority, "") if isinstance(priority, int) else "",
            )
        )
    requirements = result.get("requirements", {})
    facts = (
        [(k, words(v)) for k, v in requirements.items() if k != "title"]
        if isinstance(requirements, dict)
        else []
    )
    extra = [
        (k, json.dumps(v, ensure_ascii=False, indent=1)) for k, v in result.items() if k not in _REPORT_SHOWN
    ]
    return EvaluationView(
        title=str(requirements.get("title", "")) if isinstance(requirements, dict) else "",
        facts=facts,
        vendors=vendors,
        columns=columns,
        rows=rows,
        questions=[q for q in result.get("questions", ()) if isinstance(q, dict)],
        clauses=[c for c in result.get("clauses", ()) if isinstance(c, dict)],
        notes=[str(n) for n in result.get("notes", ())],
        extra=extra,
        summaries=[_summary(v) for v in result.get("summaries", ()) if isinstance(v, dict)],
        deciding=_deciding(result.get("deciding", ()), rows),
        priorities=[
            (PRIORITY_WORDS[n], PRIORITY_MEANINGS[n], sum(r.priority == PRIORITY_WORDS[n] for r in rows))
            for n in PRIORITY_WORDS
            if any(r.priority for r in rows)
        ],
    )


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _summary(summary: dict[str, Any]) -> SummaryView:
    facts = summary.get("facts") if isinstance(summary.get("facts"), dict) else {}
    assert isinstance(facts, dict)
    return SummaryView(
        vendor=str(summary.get("vendor", "")),
        bottom_line=str(summary.get("bottom_line", "")),
        items=[
            (str(i.get("label", "")), str(i.get("value", "")))
            for i in summary.get("items", ())
            if isinstance(i, dict)
        ],
        not_detailed=_count(facts.get("not_detailed")),
        not_addressed=_count(facts.get("not_addressed")),
        mapped=_count(facts.get("mapped")),
    )


def _deciding(ids: Any, rows: list[Row]) -> list[Deciding]:
    wanted = [str(i) for i in ids] if isinstance(ids, list) else []
    by_id = {r.id: r for r in rows}
    return [Deciding(i, by_id[i].text, by_id[i].cells) for i in wanted if i in by_id]


def _vendor(vendor: dict[str, Any], labels: dict[Any, Any]) -> VendorView:
    error = vendor.get("error")
    message = ""
    if isinstance(error, dict):
        problems = [f"{p.get('path', '')}: {p.get('message', '')}" for p in error.get("problems", ())]
        message = "; ".join([str(error.get("message", "")), *problems])
    totals = vendor.get("totals") if isinstance(vendor.get("totals"), dict) else {}
    components = vendor.get("components") or []
    details = [(k, words(v)) for k, v in vendor.items() if k not in _VENDOR_SHOWN]
    if components:
        details.append(("components", ", ".join(f"{c.get('title')} ({c.get('role')})" for c in components)))
    return VendorView(
        name=str(vendor.get("name", "")),
        evaluated=bool(vendor.get("evaluated")),
        error=message,
        details=details,
        totals=[(str(labels.get(k, k)), int(v)) for k, v in (totals or {}).items()],
        warnings=[str(w) for w in vendor.get("warnings", ())],
    )


@dataclass
class Requirement:
    id: str
    text: str
    calls: str
    reason: str  # why it was added, or dropped


@dataclass
class RequirementsView:
    sections: list[tuple[str, list[Requirement]]]
    dropped: list[Requirement]
    notes: list[str]
    controls: str


def requirements(report: str) -> RequirementsView:
    data = json.loads(report)

    def one(item: dict[str, Any], reason_key: str) -> Requirement:
        calls = ", ".join(str(c.get("label", c.get("control", ""))) for c in item.get("calls", ()))
        return Requirement(
            str(item.get("id", "")), str(item.get("text", "")), calls, str(item.get(reason_key) or "")
        )

    sections = [(SECTION_TITLES[s], [one(i, "added") for i in data.get(s, ())]) for s in SECTION_TITLES]
    controls = data.get("controls", {})
    return RequirementsView(
        sections=sections,
        dropped=[one(i, "reason") for i in data.get("dropped", ())],
        notes=[str(n) for n in data.get("notes", ())],
        controls=str(controls.get("title", "")) if isinstance(controls, dict) else "",
    )
