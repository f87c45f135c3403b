"""The posture diff: what changed between two assessments of the same product.

Three views of one change, as a reviewer reads a release: the **answers** (every field whose value
changed, and every NISTIR 8259 question whose status changed), the **coverage** (every requirement
whose status changed, per baseline or profile, and the totals before and after) and the
**findings** (those that appeared and those that went away). Findings are matched by rule and
message, counted, so a finding that merely moved to another line is neither new nor gone.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from securable.product.introspect import format_loc

if TYPE_CHECKING:
    from securable.assess.report import Assessment
    from securable.product.model import Product

MAX_VALUE = 300  # characters of a changed value shown; the files themselves hold the rest


@dataclass(frozen=True, slots=True)
class FieldChange:
    place: str  # ``use_cases[0].where``
    before: str | None  # the value as JSON text, None where there was none
    after: str | None


@dataclass(frozen=True, slots=True)
class QuestionChange:
    question: str
    before: str  # "answered", "open" or "not-applicable"
    after: str


@dataclass(frozen=True, slots=True)
class RequirementChange:
    target: str  # the baseline or profile ID
    requirement: str  # qualified ID
    title: str
    before: str | None  # a coverage status; None where the target did not ask for it
    after: str | None


@dataclass(frozen=True, slots=True)
class TotalsChange:
    target: str
    title: str
    before: dict[str, int]
    after: dict[str, int]


@dataclass(frozen=True, slots=True)
class FindingLine:
    rule: str
    severity: str
    message: str


@dataclass(frozen=True, slots=True)
class PostureDiff:
    fields: tuple[FieldChange, ...]
    questions: tuple[QuestionChange, ...]
    coverage: tuple[RequirementChange, ...]
    totals: tuple[TotalsChange, ...]
    findings_added: tuple[FindingLine, ...]
    findings_removed: tuple[FindingLine, ...]

    @property
    def unchanged(self) -> bool:
        return not (
            self.fields or self.questions or self.coverage or self.findings_added or self.findings_removed
        )


def compare(old: Assessment, new: Assessment) -> PostureDiff:
    """What changed from ``old`` to ``new`` (each assessed against the same targets for a fair diff)."""
    return PostureDiff(
        fields=tuple(field_changes(old.product, new.product)),
        questions=tuple(question_changes(old.product, new.product)),
        coverage=tuple(_requirement_changes(old, new)),
        totals=tuple(_totals(old, new)),
        findings_added=_finding_delta(new, old),
        findings_removed=_finding_delta(old, new),
    )


def field_changes(old: Product, new: Product) -> Iterator[FieldChange]:
    """Every leaf value that differs, in the order of the new description (then what was removed)."""
    before = dict(_leaves(old.model_dump(mode="json", exclude_none=True), ()))
    after = dict(_leaves(new.model_dump(mode="json", exclude_none=True), ()))
    for place, value in after.items():
        if before.get(place) != value:
            yield FieldChange(place, before.get(place), value)
    for place, value in before.items():
        if place not in after:
            yield FieldChange(place, value, None)


def _leaves(value: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict) and value:
        for key, item in value.items():
            # Map keys (not_applicable's question IDs) are not field names: quoted as in JSON.
            yield from _leaves(item, (*loc, key))
        return
    if isinstance(value, list) and value and any(isinstance(v, dict | list) for v in value):
        for index, item in enumerate(value):
            yield from _leaves(item, (*loc, index))
        return
    text = json.dumps(value, ensure_ascii=False)
    yield format_loc(loc), text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def question_changes(old: Product, new: Product) -> Iterator[QuestionChange]:
    from securable.product import question_status

    before = {s.question: str(s.status) for s in question_status(old)}
    for state in question_status(new):
        was = before.get(state.question, "")
        if was != str(state.status):
            yield QuestionChange(state.question, was, str(state.status))


def _requirement_changes(old: Assessment, new: Assessment) -> Iterator[RequirementChange]:
    for target, title_of, was, now in _targets(old, new):
        for requirement in dict.fromkeys([*was, *now]):
            if was.get(requirement) != now.get(requirement):
                yield RequirementChange(
                    target, requirement, title_of[requirement], was.get(requirement), now.get(requirement)
                )


def _targets(
    old: Assessment, new: Assessment
) -> Iterator[tuple[str, dict[str, str], dict[str, str], dict[str, str]]]:
    olds = {c.target.id: c for c in old.coverage}
    news = {c.target.id: c for c in new.coverage}
    for target in dict.fromkeys([*olds, *news]):
        titles: dict[str, str] = {}
        statuses: list[dict[str, str]] = []
        for side in (olds.get(target), news.get(target)):
            found: dict[str, str] = {}
            for result in side.results if side is not None else ():
                titles[result.requirement.id] = result.requirement.title
                found[result.requirement.id] = str(result.status)
            statuses.append(found)
        yield target, titles, statuses[0], statuses[1]


def _totals(old: Assessment, new: Assessment) -> Iterator[TotalsChange]:
    olds = {c.target.id: c for c in old.coverage}
    for coverage in new.coverage:
        was = olds.get(coverage.target.id)
        yield TotalsChange(
            coverage.target.id,
            coverage.target.title,
            dict(was.totals) if was is not None else {},
            dict(coverage.totals),
        )


def _finding_delta(have: Assessment, minus: Assessment) -> tuple[FindingLine, ...]:
    """Findings of ``have`` not in ``minus``, as many times as they are missing there."""

    def lines(assessment: Assessment) -> list[FindingLine]:
        return [
            FindingLine(f.finding.rule, f.finding.severity.value, f.finding.message)
            for f in assessment.findings
        ]

    extra = Counter(lines(have)) - Counter(lines(minus))
    return tuple(line for line in dict.fromkeys(lines(have)) for _ in range(extra[line]))
