"""One assessment of one product description, and the writers that render it.

:func:`build_assessment` gathers everything ``securable check`` reports: coverage of each baseline
or profile, the findings of the rules (by severity) and then of coverage, grouped per capability
(each with its line and column in the file), how many NISTIR 8259 questions are answered, overall
and per activity, and the date it was made as of. The writers
(:func:`render`: ``table`` for terminals, ``json``, ``markdown``, ``sarif``) are pure functions of
it, so the same product, targets, date and options always give byte-identical output: nothing
reads the clock, the environment or the terminal (``table`` wraps to ``RenderOptions.width``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import PurePath

from securable.assess.activities import ActivitySummary, summarize
from securable.assess.coverage import Coverage, assess_coverages
from securable.assess.findings import Finding, Severity
from securable.assess.gaps import COVERAGE_RULES, coverage_findings
from securable.assess.requirements import Target
from securable.product import LoadedProduct, Product, question_status
from securable.rendering import formats
from securable.rendering.formats import RenderOptions

FORMAT_VERSION = 1
# Each format's writer, ``render(assessment, options) -> str``, imported only when asked for.
WRITERS = {
    "table": "securable.assess.report.text:render_text",
    "json": "securable.assess.report.json_report:render_json",
    "markdown": "securable.assess.report.markdown:render_markdown",
    "sarif": "securable.assess.report.sarif:render_sarif",
}
FORMATS = tuple(WRITERS)
# Where rule documentation is published, for SARIF help links (which must be absolute URIs).
DOCS_BASE_URL = "https://securable.example/docs/"


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What reports say about a rule: the rule table entry and where its documentation is."""

    id: str
    title: str
    severity: Severity
    fires_when: str
    rationale: str
    doc: str  # documentation page and anchor, relative to the docs folder, e.g. "rules.md#upd-001"


@dataclass(frozen=True, slots=True)
class Located:
    """A finding and the 1-based place in the product file it points at."""

    finding: Finding
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Assessment:
    product: Product
    # The product file as given on the command line, with forward slashes, as text every report can
    # hold: bytes of a name that are not UTF-8 (lone surrogates in Python) are spelled ``\xff``.
    file: str
    date: date
    coverage: tuple[Coverage, ...]
    findings: tuple[Located, ...]
    questions: Mapping[str, int]
    rules: tuple[RuleInfo, ...]  # every rule that can report, by ID
    activities: tuple[ActivitySummary, ...] = ()  # NISTIR 8259's six, in order

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.finding.severity is severity)


def build_assessment(loaded: LoadedProduct, targets: Sequence[Target], *, today: date) -> Assessment:
    """Assess ``loaded`` against every target, as of ``today``."""
    from securable.assess.rules import run_rules, sort_key

    product = loaded.product
    states = question_status(product)
    coverage = assess_coverages(product, targets)
    # Rule findings by severity first, then the grouped coverage gaps: what the rules say is wrong
    # matters more than which catalog elements no means cites yet.
    findings = sorted(run_rules(product, today=today, states=states), key=sort_key)
    findings += coverage_findings(product, coverage)
    located = tuple(Located(f, *loaded.position(f.path)) for f in findings)
    questions = {status: sum(1 for s in states if s.status == status) for status in _QUESTION_STATUSES}
    questions["total"] = len(states)
    rules = _rule_infos()
    from securable.textsafety import terminal_path

    file = terminal_path(PurePath(loaded.path).as_posix())
    activities = summarize(states, findings)
    return Assessment(product, file, today, coverage, located, questions, rules, activities)


@cache
def _rule_infos() -> tuple[RuleInfo, ...]:
    """Every rule that can report, by ID: the same for every product, so worked out once."""
    from securable.assess.rules import RULES

    return tuple(
        sorted(
            [
                RuleInfo(r.id, r.title, r.severity, r.fires_when, r.rationale, f"rules.md#{r.id.lower()}")
                for r in RULES
            ]
            + [
                RuleInfo(r.id, r.title, r.severity, r.fires_when, r.rationale, f"profiles.md#{r.id.lower()}")
                for r in COVERAGE_RULES
            ],
            key=lambda r: r.id,
        )
    )


_QUESTION_STATUSES = ("answered", "open", "not-applicable")


def fails(assessment: Assessment, fail_on: str) -> bool:
    """Whether a finding is at least as severe as ``fail_on`` (``none``: never)."""
    if fail_on == "none":
        return False
    threshold = Severity(fail_on).rank
    return any(f.finding.severity.rank >= threshold for f in assessment.findings)


def render(assessment: Assessment, fmt: str, options: RenderOptions | None = None) -> str:
    """The report in format ``fmt`` (one of :data:`FORMATS`); an unknown format is a UsageError."""
    return formats.render("check report", WRITERS, assessment, fmt, options)


def product_label(product: Product) -> str:
    info = product.product
    if info is None:
        return "(unnamed product)"
    name = info.name or "(unnamed product)"
    extra = ", ".join(x for x in (info.model, f"version {info.version}" if info.version else None) if x)
    return f"{name} ({extra})" if extra else name
