"""The agency's policies and procedures, drafted from the seed page's Agency actions.

One document per topic (maintenance, data removal, records, personnel, tools, reviews, acquisition,
vendor documentation, oversight); each states the agency's own parameters where the seed leaves
them to the organization ("organizationally-defined"), then commits to every Agency action of the
topic, naming its ``FPN-SEED-...`` ID. Exports: HTML, DOCX and an OSCAL component definition
(a ``policy`` component implementing the actions as controls of the Federal Profile catalog).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from markupsafe import escape

from securable.errors import InputError
from securable.operations.actions import seed_actions
from securable.oscal import OSCAL_VERSION
from securable.oscal.blocks import JSON, one_line, oscal_id, stable_uuid
from securable.oscal.export import catalog_href

ROLE_NAMES = ("owner", "editor", "reviewer", "auditor")


@dataclass(frozen=True)
class Parameters:
    agency: str
    removal_days: int = 2  # data removed at most this many days before a device leaves
    review_months: int = 12  # reviews of devices and of these policies
    approver_role: str = "reviewer"  # who approves maintenance, tools and policy versions
    documentation_roles: tuple[str, ...] = ("owner", "reviewer")  # who may open vendor documentation

    def check(self) -> None:
        problems = []
        if not self.agency.strip():
            problems.append("name the agency")
        if not 1 <= self.removal_days <= 30:
            problems.append("days before removal: 1 to 30")
        if not 1 <= self.review_months <= 36:
            problems.append("review frequency: 1 to 36 months")
        if self.approver_role not in ROLE_NAMES:
            problems.append(f"approver role: one of {', '.join(ROLE_NAMES)}")
        if not self.documentation_roles or set(self.documentation_roles) - set(ROLE_NAMES):
            problems.append(f"roles that see vendor documentation: some of {', '.join(ROLE_NAMES)}")
        if problems:
            raise InputError("the policy parameters are not usable: " + "; ".join(problems))


@dataclass(frozen=True)
class Statement:
    text: str
    actions: tuple[str, ...]  # the FPN-SEED IDs it carries out; empty for the agency's parameters


@dataclass(frozen=True)
class Document:
    key: str
    title: str
    statements: tuple[Statement, ...]


# Topic -> (title, the seed capabilities it covers).
TOPICS: tuple[tuple[str, str, tuple[int, ...]], ...] = (
    ("maintenance", "IoT device maintenance", (1,)),
    ("data-removal", "Data removal before offsite maintenance and repair", (2,)),
    ("records", "Records of nonlocal maintenance and diagnostics", (3,)),
    ("personnel", "Maintenance personnel and their access", (4, 5, 8)),
    ("tools", "Diagnostic tools", (7,)),
    ("reviews", "Reviews and trigger events", (6, 22)),
    ("acquisition", "Acquisition of IoT devices", (9, 10, 11, 12, 13, 14)),
    ("vendor-documentation", "Vendor documentation", (15, 16, 18, 19, 20)),
    ("oversight", "Oversight of roles, manufacturers and third parties", (17, 21, 23)),
)


def _parameter_statements(key: str, p: Parameters) -> list[str]:
    approver = f"a member with the {p.approver_role} role who did not make the request"
    match key:
        case "maintenance":
            return [
                f"Every maintenance activity on an IoT device of {p.agency}, local or remote, is requested "
                f"in the workspace and approved by {approver} before it starts.",
                "After the work, the device is checked against the post-maintenance checklist by someone "
                "other than who recorded the work; a failed check raises an alert and the device is "
                "restricted until a new attempt passes.",
            ]
        case "data-removal":
            return [
                f"All data is removed from an IoT device at most {p.removal_days} day"
                f"{'s' if p.removal_days != 1 else ''} before it leaves {p.agency}'s facilities; the "
                "removal is attested (method, by whom, when, evidence file) before the device is shipped."
            ]
        case "records":
            return [
                "Nonlocal maintenance and diagnostics are recorded with the remote session's tool, times "
                "and connection; the records are kept in the hash-chained audit log."
            ]
        case "personnel":
            return [
                "Only people with a current authorization for the device type perform maintenance; a "
                "person authorized for escorted access only works with a named escort holding unescorted "
                "authorization."
            ]
        case "tools":
            return [
                "Only approved diagnostic tools are used; a tool is approved by a member with the "
                f"{p.approver_role} role who did not propose it."
            ]
        case "reviews":
            return [
                f"IoT devices and systems are reviewed every {p.review_months} month"
                f"{'s' if p.review_months != 1 else ''}, and after a manufacturer advisory, an incident or a "
                f"failed maintenance. These policies are reviewed on the same schedule."
            ]
        case "vendor-documentation":
            return [
                "Vendor documentation is opened only by members with one of these roles: "
                + ", ".join(p.documentation_roles)
                + "."
            ]
    return []


def generate(p: Parameters) -> tuple[Document, ...]:
    """The policy set for ``p``; every seed Agency action appears in exactly one document."""
    p.check()
    by_capability: dict[int, list[Statement]] = {}
    for action in seed_actions():
        number = int(action.id.removeprefix("FPN-SEED-").split(".", 1)[0])
        by_capability.setdefault(number, []).append(Statement(action.text, (action.id,)))
    documents = []
    for key, title, capabilities in TOPICS:
        statements = [Statement(text, ()) for text in _parameter_statements(key, p)]
        for number in capabilities:
            statements += by_capability.get(number, [])
        documents.append(Document(key, title, tuple(statements)))
    return tuple(documents)


def to_json(documents: Sequence[Document]) -> list[JSON]:
    return [
        {
            "key": d.key,
            "title": d.title,
            "statements": [{"text": s.text, "actions": list(s.actions)} for s in d.statements],
        }
        for d in documents
    ]


def from_json(data: list[JSON]) -> tuple[Document, ...]:
    return tuple(
        Document(
            str(d["key"]),
            str(d["title"]),
            tuple(Statement(str(s["text"]), tuple(str(a) for a in s["actions"])) for s in d["statements"]),
        )
        for d in data
    )


@dataclass(frozen=True)
class Issue:
    """Which version, approved by whom and when: printed on every export."""

    agency: str
    version: int
    author: str
    approver: str
    approved: datetime | None  # timezone-aware, as every time of the workspace
    drafted: datetime


def _status(issue: Issue) -> str:
    if issue.approved is None:
        return f"Version {issue.version}, draft by {issue.author}, not approved"
    day = issue.approved.date().isoformat()
    return f"Version {issue.version}, drafted by {issue.author}, approved by {issue.approver} on {day}"


def to_html(documents: Sequence[Document], issue: Issue) -> str:
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Policies and procedures of {escape(issue.agency)}</title></head><body>",
        f"<h1>IoT device policies and procedures of {escape(issue.agency)}</h1>",
        f"<p>{escape(_status(issue))}</p>",
    ]
    for d in documents:
        parts.append(f'<section id="{escape(d.key)}"><h2>{escape(d.title)}</h2><ol>')
        for s in d.statements:
            ids = "".join(f" <code>{escape(a)}</code>" for a in s.actions)
            parts.append(f"<li>{escape(s.text)}{ids}</li>")
        parts.append("</ol></section>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def to_pdf(documents: Sequence[Document], issue: Issue) -> bytes:
    """The HTML export laid out by WeasyPrint, as the package documents are; dated by the approval
    (or the draft), never the clock, so one version always gives the same bytes."""
    from securable.package.documents.pdfrender import html_to_pdf

    return html_to_pdf(to_html(documents, issue), (issue.approved or issue.drafted).date())


def to_docx(documents: Sequence[Document], issue: Issue) -> bytes:
    import docx  # only this export needs it

    out = docx.Document()
    out.core_properties.title = f"IoT device policies and procedures of {issue.agency}"[:250]
    out.add_heading(f"IoT device policies and procedures of {issue.agency}", level=0)
    out.add_paragraph(_status(issue))
    for d in documents:
        out.add_heading(d.title, level=1)
        for s in d.statements:
            paragraph = out.add_paragraph(_docx_text(s.text), style="List Number")
            if s.actions:
                paragraph.add_run(" (" + ", ".join(s.actions) + ")").italic = True
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _docx_text(text: str) -> str:
    # XML 1.0 has no place for most control characters; python-docx would refuse them.
    return "".join(c for c in text if c >= " " or c in "\t\n")


def to_oscal(documents: Sequence[Document], issue: Issue) -> JSON:
    """An OSCAL component definition: the agency's policies as one ``policy`` component."""
    base = ("securable-policy", issue.agency, str(issue.version))
    requirements = [
        {
            "uuid": stable_uuid(*base, action),
            "control-id": oscal_id(action),
            "description": one_line(f"{d.title}: {s.text}") or d.title,
        }
        for d in documents
        for s in d.statements
        for action in s.actions
    ]
    stamp = (issue.approved or issue.drafted).isoformat(timespec="seconds")
    return {
        "component-definition": {
            "uuid": stable_uuid(*base),
            "metadata": {
                "title": one_line(f"IoT device policies and procedures of {issue.agency}"),
                "last-modified": stamp,
                "version": str(issue.version),
                "oscal-version": OSCAL_VERSION,
                "remarks": _status(issue),
            },
            "components": [
                {
                    "uuid": stable_uuid(*base, "component"),
                    "type": "policy",
                    "title": one_line(f"{issue.agency}: IoT device policies and procedures"),
                    "description": "The agency's own controls for IoT device maintenance and oversight.",
                    "control-implementations": [
                        {
                            "uuid": stable_uuid(*base, "implementation"),
                            "source": catalog_href("federal-profile-2020"),
                            "description": "Agency actions of the Federal Profile's Device Security page.",
                            "implemented-requirements": requirements,
                        }
                    ],
                }
            ],
        }
    }
