"""What every rule is made of: the :class:`Rule` record and the :class:`Context` rules share
(reading free text and places is :mod:`securable.assess.rules.reading`).

A rule's check function yields :class:`Hit` values (message, fix, path); the :class:`Rule` turns them
into :class:`~securable.assess.findings.Finding` values with its own ID, severity and citation, so a
check function never repeats them.

Reading the model: ``None`` is an open answer (the questions rule, QST-001, reports it), an empty
tuple is an explicit "none", ``False`` is an explicit "no". Each rule's docstring says whether
silence also makes it fire; it does where the field is a detail that no question tracks, or where
saying nothing hides a serious risk.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import NamedTuple

from securable.assess.findings import Citation, Finding, Severity
from securable.assess.rules.reading import SENSITIVE, Path, actuates, safety_critical
from securable.product.model import DataType, Product, UseCase
from securable.product.questions import QuestionState, question_status


class Hit(NamedTuple):
    """One problem as a check function sees it; the rule adds ID, severity and citation."""

    message: str
    fix: str
    path: Path = ()
    related: tuple[Path, ...] = ()
    citation: Citation | None = None  # only when one finding cites less or more than the rule


CheckFn = Callable[[Product, "Context"], Iterable[Hit]]


@dataclass(frozen=True, slots=True)
class Rule:
    """One documented, tested check of a product description."""

    id: str  # e.g. "SUP-001"; the prefix names the topic
    title: str
    severity: Severity
    citation: Citation
    fires_when: str  # one sentence for the rule table: the first paragraph of the docstring
    rationale: str  # why the rule exists and how it reads silence: the rest of the docstring
    find: CheckFn = field(repr=False)

    def check(self, product: Product, ctx: Context) -> Iterator[Finding]:
        for hit in self.find(product, ctx):
            yield Finding(
                rule=self.id,
                severity=self.severity,
                message=hit.message,
                fix=hit.fix,
                citation=hit.citation or self.citation,
                path=hit.path,
                related=hit.related,
            )


def rule(
    rule_id: str,
    title: str,
    severity: Severity,
    *,
    section: str,
    questions: Sequence[str] = (),
    elements: Sequence[str] = (),
) -> Callable[[CheckFn], Rule]:
    """Make a check function a :class:`Rule`; its docstring gives the table text and the rationale."""

    def wrap(find: CheckFn) -> Rule:
        doc = inspect.cleandoc(find.__doc__ or "")
        first, _, rest = doc.partition("\n\n")
        if not first or not rest:
            raise ValueError(f"{rule_id}: the docstring needs a summary paragraph and a rationale")
        return Rule(
            id=rule_id,
            title=title,
            severity=severity,
            citation=Citation(section, tuple(questions), tuple(elements)),
            fires_when=" ".join(first.split()),
            rationale=rest.strip(),
            find=find,
        )

    return wrap


class Context:
    """What rules share for one product: the assessment date and facts worked out once, on demand."""

    def __init__(
        self, product: Product, *, today: date, states: Sequence[QuestionState] | None = None
    ) -> None:
        self.product = product
        self.today = today
        self._states = tuple(states) if states is not None else None

    @property
    def question_states(self) -> tuple[QuestionState, ...]:
        # question_status walks the whole model; callers that computed it already pass it in
        if self._states is None:
            self._states = question_status(self.product)
        return self._states

    @cached_property
    def catalog_refs(self) -> frozenset[str]:
        """Every catalog element some means names, whatever its status."""
        return frozenset(ref for m in self.product.means or () for ref in m.catalog or ())

    def realized(self, refs: Iterable[str]) -> bool:
        """Whether some means names one of ``refs`` (a partial means counts: something is there)."""
        return not self.catalog_refs.isdisjoint(refs)

    @cached_property
    def addressing(self) -> dict[str, list[int]]:
        """Need ID -> indexes of the means that address it."""
        found: dict[str, list[int]] = {}
        for index, means in enumerate(self.product.means or ()):
            for need in means.addresses or ():
                found.setdefault(need, []).append(index)
        return found

    @cached_property
    def data_types(self) -> tuple[tuple[int, DataType], ...]:
        return tuple(enumerate(self.product.composition.data_types or ())) if self.product.composition else ()

    @cached_property
    def sensitive_data(self) -> tuple[tuple[int, DataType], ...]:
        return tuple((i, d) for i, d in self.data_types if d.category in SENSITIVE)

    @cached_property
    def protected_data_ids(self) -> frozenset[str]:
        """Data types some means protects (any of confidentiality, integrity, availability)."""
        ids: set[str] = set()
        for means in self.product.means or ():
            for protection in (means.robustness and means.robustness.data_protection) or ():
                ids.update(protection.data or ())
        return frozenset(ids)

    @cached_property
    def safety_roles(self) -> dict[int, str]:
        """Use case index -> how it matters for safety, for the use cases that act on the physical
        world or are safety-critical (``research.actuates`` and ``research.safety_critical``, each
        read from the descriptions when not given: see :func:`~securable.assess.rules.reading.actuates`)."""
        roles: dict[int, str] = {}
        for index, case in enumerate(self.product.use_cases or ()):
            words = []
            if actuates(case):
                words.append("acts in the physical world")
            if safety_critical(case):
                words.append("is safety-critical")
            if words:
                roles[index] = " and ".join(words)
        return roles

    @cached_property
    def safety_use_cases(self) -> tuple[tuple[int, UseCase], ...]:
        """The use cases of :attr:`safety_roles`, in file order."""
        cases = self.product.use_cases or ()
        return tuple((index, cases[index]) for index in self.safety_roles)
