"""The contract between the package builder and the generators of each part of the package.

Every generator is a function ``(ctx: PackageContext) -> Part``: it reads the product description
(and the assessment, when one was made), and returns file contents keyed by their path inside the
package, plus the gaps it found (things the manufacturer has not stated). Generators never write
files and never read the clock: the builder writes everything atomically, and ``ctx.date`` is the
only "now", which keeps packages byte-identical for the same input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # types only: the package must not import the assessment at start-up
    from securable.assess.report import Assessment
    from securable.package.documents.paper import Paper
    from securable.package.documents.renderings import Renderings
    from securable.product.model import Product


@dataclass(frozen=True, slots=True)
class Gap:
    """Something a customer should be told that the product description does not state."""

    topic: str  # e.g. "support", "updates", "security.txt"
    message: str  # plain words, as shown in the documents and by `securable package`
    questions: tuple[str, ...] = ()  # NISTIR 8259 question IDs left open, e.g. ("Q4.2.2-1",)
    path: tuple[str | int, ...] = ()  # where in the product file the answer belongs


@dataclass(frozen=True, slots=True)
class Part:
    """What one generator contributes: files (relative POSIX path -> bytes) and the gaps it met."""

    files: dict[str, bytes] = field(default_factory=dict)
    gaps: tuple[Gap, ...] = ()
    warnings: tuple[str, ...] = ()  # for the manufacturer only, never put into the package


@dataclass(frozen=True, slots=True)
class PackageContext:
    product: Product
    product_path: Path  # the product description; relative paths in it (SBOM, VEX) resolve from its folder
    date: date  # the package's day: --date or SOURCE_DATE_EPOCH when pinned, else the build day (UTC)
    documentation_url: str  # where the full documentation will be published (QR code, security.txt)
    vex_path: Path | None = None  # CycloneDX VEX, OpenVEX or CSAF file with vulnerability status
    assessment: Assessment | None = None
    renderings: Renderings | None = None  # PDFs shared within the build and kept from the last one
    paper: Paper | None = None  # the PDFs' paper size (--paper); None: the markets' (documents.paper)
    key_fingerprint: str | None = None  # of the key that signs the package; documents publish it

    @property
    def base_dir(self) -> Path:
        return self.product_path.parent
