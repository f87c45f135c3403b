"""The sections a customer document can hold, by id: what :mod:`~securable.package.documents.profiles`
lists per audience.

Each builder takes the :class:`Material` of one document and returns its sections (none when the
product description gives nothing for a topic that is only worth a section when answered).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from securable.package.context import PackageContext
from securable.package.documents import full, plain, summary
from securable.package.documents.answers import Reader
from securable.package.documents.shared_sections import contact, means, reporting
from securable.package.documents.view import Section
from securable.package.machine.sbom import SbomSummary
from securable.product.model import Audience


@dataclass(frozen=True, slots=True)
class Material:
    """What one document is made from."""

    ctx: PackageContext
    reader: Reader  # records the gaps this document meets
    sbom: SbomSummary
    audience: Audience | None
    index: int  # the audience's place in the product file, for gap locations
    topics: tuple[str, ...]  # every topic of the document, so that none is shown twice


Builder = Callable[[Material], tuple[Section, ...]]


def _one(make: Callable[[Material], Section]) -> Builder:
    return lambda m: (make(m),)


TOPICS: dict[str, Builder] = {
    # both levels
    "contact": _one(lambda m: contact(m.reader, m.audience, m.index)),
    # reference detail, one NISTIR 8259 Activity 6 topic or part of one each
    "summary": lambda m: summary.sections(m.ctx),
    "assumptions": _one(lambda m: full.assumptions(m.reader)),
    "use-cases": lambda m: full.use_cases(m.reader),
    # reporting is part of 4.2.2 and sits in the support section unless it has a section of its own
    "support": _one(lambda m: full.support(m.reader, with_reporting="reporting" not in m.topics)),
    "reporting": _one(lambda m: reporting(m.reader, full=True)),
    "composition": _one(lambda m: full.composition(m.reader, m.sbom)),
    "guidance": _one(lambda m: full.guidance(m.reader)),
    "maintenance": lambda m: full.maintenance(m.reader),
    "software": _one(lambda m: full.software(m.reader, m.sbom)),
    "sources": _one(lambda m: full.sources(m.reader)),
    "network": _one(lambda m: full.network(m.reader)),
    "interfaces": lambda m: full.interfaces(m.reader),
    "functions": _one(lambda m: full.functions(m.reader)),
    "data": _one(lambda m: full.data(m.reader)),
    "parties": _one(lambda m: full.parties(m.reader)),
    "updates": _one(lambda m: full.updates(m.reader)),
    "retirement": _one(lambda m: full.retirement(m.reader)),
    "means": _one(lambda m: means(m.reader, full.TITLE["means"])),
    # plain words, in the second person
    "lifespan": _one(lambda m: plain.lifespan(m.reader, m.audience, m.ctx.date)),
    "make-it-safer": lambda m: plain.make_it_safer(m.reader),
    "updating": _one(lambda m: plain.updating(m.reader)),
    "collects": _one(lambda m: plain.collects(m.reader)),
    "when-things-go-wrong": lambda m: plain.when_things_go_wrong(m.reader, m.audience),
    "safe-use": _one(lambda m: plain.safe_use(m.reader)),
    "your-part": _one(lambda m: plain.your_part(m.reader)),
    "passing-on": _one(lambda m: plain.passing_on(m.reader)),
    "reporting-plain": _one(lambda m: reporting(m.reader, full=False)),
}


def build_sections(topics: tuple[str, ...], material: Material) -> tuple[Section, ...]:
    return tuple(section for topic in topics for section in TOPICS[topic](material))
