"""What an assessment rule reports: a finding with a severity, a fix and its citations.

This module is the contract between the rules (``securable.assess.rules``), the coverage
computation and the report writers (terminal, JSON, Markdown, SARIF). It imports nothing heavy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """How much a finding matters; ``--fail-on`` picks the lowest that fails a check."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def sarif_level(self) -> str:
        return {"high": "error", "medium": "warning", "low": "note", "info": "note"}[self.value]


_RANK = {Severity.HIGH: 3, Severity.MEDIUM: 2, Severity.LOW: 1, Severity.INFO: 0}


@dataclass(frozen=True, slots=True)
class Citation:
    """Why a rule exists: the NISTIR 8259 section, the questions and the catalog elements behind it."""

    section: str  # e.g. "4.2.2"
    questions: tuple[str, ...] = ()  # e.g. ("Q4.2.2-1", "Q3.1-6")
    elements: tuple[str, ...] = ()  # qualified catalog IDs, e.g. ("nistir-8259a:8259A-SU.2",)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one product description.

    ``path`` points into the YAML document (``("updates", "verification")``,
    ``("means", 2, "robustness")``) so reports can give file:line:column; an empty path means the
    whole document.
    """

    rule: str  # rule ID, e.g. "SUP-001"
    severity: Severity
    message: str  # what is wrong, in the product's own terms
    fix: str  # what to do about it
    citation: Citation
    path: tuple[str | int, ...] = ()
    related: tuple[tuple[str | int, ...], ...] = field(default=())  # other places that take part
