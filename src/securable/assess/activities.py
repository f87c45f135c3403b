"""Where a product description stands on each of NISTIR 8259's six activities: how many of the
activity's questions are answered, open or not applicable, and how many findings concern it.

A report leads with these six lines so a reader sees at once which part of the work (planning for
support, deciding what to tell customers, ...) is behind, before reading any finding. A finding
belongs to the activity of the section it cites; the few rules that cite a range of sections (the
questions rules' whole-file findings) belong to none unless the questions they cite all fall in one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from securable.assess.findings import Finding, Severity
from securable.product.questions import QuestionState

# NISTIR 8259 (2020): number, section, title of each activity (sections 3.1 to 4.2).
ACTIVITIES: tuple[tuple[int, str, str], ...] = (
    (1, "3.1", "Identify expected customers and define expected use cases"),
    (2, "3.2", "Research customer cybersecurity needs and goals"),
    (3, "3.3", "Determine how to address customer needs and goals"),
    (4, "3.4", "Plan for adequate support of customer needs and goals"),
    (5, "4.1", "Define approaches for communicating to customers"),
    (6, "4.2", "Decide what to communicate to customers and how"),
)
QUESTION_KEYS = ("answered", "open", "not-applicable")


@dataclass(frozen=True, slots=True)
class ActivitySummary:
    number: int
    section: str
    title: str
    questions: Mapping[str, int]  # QUESTION_KEYS and "total"
    findings: Mapping[str, int]  # every severity and "total"


def activity_of_section(section: str) -> int | None:
    """``"4.2.3"`` -> 6; a range (``"3.1-4.2.6"``) or an unknown section -> None."""
    if "-" in section:
        return None
    for number, start, _ in ACTIVITIES:
        if section == start or section.startswith(start + "."):
            return number
    return None


def activity_of_finding(finding: Finding) -> int | None:
    found = activity_of_section(finding.citation.section)
    if found is not None or "-" not in finding.citation.section:
        return found
    # a range: the activity of its questions when they all fall in one
    cited = {activity_of_section(q[1 : q.find("-")]) for q in finding.citation.questions}
    return cited.pop() if len(cited) == 1 else None


def summarize(states: Sequence[QuestionState], findings: Sequence[Finding]) -> tuple[ActivitySummary, ...]:
    questions = {number: dict.fromkeys((*QUESTION_KEYS, "total"), 0) for number, _, _ in ACTIVITIES}
    for state in states:
        number = activity_of_section(state.question[1 : state.question.find("-")])
        if number is not None:
            questions[number][state.status.value] += 1
            questions[number]["total"] += 1
    counts = {
        number: dict.fromkeys([*(s.value for s in Severity), "total"], 0) for number, _, _ in ACTIVITIES
    }
    for finding in findings:
        number = activity_of_finding(finding)
        if number is not None:
            counts[number][finding.severity.value] += 1
            counts[number]["total"] += 1
    return tuple(
        ActivitySummary(number, section, title, questions[number], counts[number])
        for number, section, title in ACTIVITIES
    )


def words(summary: ActivitySummary) -> str:
    """``9 of 9 questions answered; findings: 1 medium, 2 low`` (or ``no findings``)."""
    q = summary.questions
    answered = f"{q['answered']} of {q['total']} questions answered"
    extra = [f"{q['open']} open"] if q["open"] else []
    if q["not-applicable"]:
        extra.append(f"{q['not-applicable']} not applicable")
    found = [f"{summary.findings[s.value]} {s.value}" for s in Severity if summary.findings[s.value]]
    return (
        answered
        + (f" ({', '.join(extra)})" if extra else "")
        + "; "
        + ("findings: " + ", ".join(found) if found else "no findings")
    )
