"""Customer documents: ``docs/<audience-id>.html`` and ``.pdf`` for every audience of Activity 5.

Which document an audience gets follows its answers to NISTIR 8259 4.1 questions 1 and 2:

* **plain** (the essentials in plain words) when its terminology is ``plain`` or the detail it
  needs is ``essentials``;
* **full** (every Activity 6 topic in detail) otherwise: ``technical`` or ``expert`` terminology
  with ``standard`` or ``comprehensive`` detail, or nothing stated.

A home user (plain, essentials) thus reads how long updates come, how updating works, what the
device collects and who sees it, what it does when the network or power fails and after wrong
PINs, and how to wipe it before passing it on; an enterprise
administrator (technical or expert) reads everything, including configuration and hardening,
the software inventory with known vulnerabilities, network behaviour and shared
responsibilities. When the audience's needs are not stated the full document is the safe choice:
it leaves nothing out. A product that declares no audience gets one full document,
``docs/customers``.

Each document is built with its own :class:`~securable.package.documents.answers.Reader`, so its closing
list of what the manufacturer has not stated names exactly the gaps that document met.
"""

from __future__ import annotations

from typing import Literal

from securable.package.context import Gap, PackageContext, Part
from securable.package.documents import full as doc_full
from securable.package.documents import plain as doc_plain
from securable.package.documents.answers import Reader
from securable.package.documents.paper import page_size
from securable.package.documents.shared_sections import contact
from securable.package.documents.templating import render
from securable.package.documents.view import Block, Document, Inline, Para
from securable.package.documents.wording import long_date
from securable.package.machine.sbom import SbomSummary, read_sbom
from securable.product.model import Audience, Product

Level = Literal["plain", "full"]
DEFAULT_AUDIENCE_ID = "customers"  # the one document of a product that declares no audience


def level_for(audience: Audience | None) -> Level:
    """The document level an audience needs (see the module docstring)."""
    if audience is not None and (audience.terminology == "plain" or audience.detail_level == "essentials"):
        return "plain"
    return "full"


def product_name(product: Product) -> str:
    return (product.product.name if product.product else None) or "The device"


def _product_facts(ctx: PackageContext) -> tuple[tuple[str, Inline], ...]:
    info = ctx.product.product
    facts: list[tuple[str, Inline]] = []
    if info is not None:
        facts += [
            (label, value) for label, value in (("Model", info.model), ("Version", info.version)) if value
        ]
        if info.release_date:
            facts.append(("Released", long_date(info.release_date)))
    facts += [("Documentation", ctx.documentation_url), ("Issued", long_date(ctx.date))]
    return tuple(facts)


def _document(
    ctx: PackageContext, summary: SbomSummary, audience: Audience | None, index: int
) -> tuple[Document, Reader]:
    reader = Reader(ctx.product)
    level = level_for(audience)
    name = product_name(ctx.product)
    intro: tuple[Block, ...] = ()
    if audience is None:
        intro = (
            Para(
                "The manufacturer has not said which audiences it writes for, so this document gives "
                "the full detail."
            ),
        )
    if level == "plain":
        title = f"{name}: security essentials"
        sections = (*doc_plain.sections(reader, audience), contact(reader, audience, index))
    else:
        title = f"{name}: security and lifecycle information"
        sections = (contact(reader, audience, index), *doc_full.sections(reader, summary))
    doc = Document(
        title=title,
        audience=(audience.name if audience and audience.name else "all customers"),
        level=level,
        intro=intro,
        sections=sections,
        not_stated=tuple(dict.fromkeys(g.message for g in reader.gaps)),
    )
    return doc, reader


def render_html(ctx: PackageContext, doc: Document) -> str:
    info = ctx.product.product
    return render(
        "document.html.j2",
        doc=doc,
        page_title=doc.title,
        description=f"Security information about {product_name(ctx.product)} for {doc.audience}.",
        author=(info.manufacturer if info else None) or "",
        manufacturer=(info.manufacturer if info else None) or "",
        version=(info.version if info else None) or "",
        issued=ctx.date,
        issued_text=long_date(ctx.date),
        documentation_url=ctx.documentation_url,
        product_facts=_product_facts(ctx),
        body_class=f"document {doc.level}",
        page_size=page_size(ctx),
    )


def build_documents(ctx: PackageContext, *, pdf: bool = True) -> Part:
    """One HTML document (and, with ``pdf``, its PDF) per audience the product declares."""
    summary = read_sbom(ctx)  # raises InputError for a broken SBOM or VEX: never ship those
    audiences: tuple[Audience | None, ...] = ctx.product.audiences or (None,)
    files: dict[str, bytes] = {}
    gaps: dict[tuple[str, tuple[str | int, ...]], Gap] = {}
    for index, audience in enumerate(audiences):
        doc, reader = _document(ctx, summary, audience, index)
        html = render_html(ctx, doc)
        stem = f"docs/{audience.id if audience else DEFAULT_AUDIENCE_ID}"
        files[stem + ".html"] = html.encode("utf-8")
        if pdf:
            files[stem + ".pdf"] = _pdf(ctx, stem + ".pdf", html)
        for gap in reader.gaps:
            gaps.setdefault((gap.message, gap.path), gap)
    return Part(files=files, gaps=tuple(gaps.values()))


def _pdf(ctx: PackageContext, path: str, html: str) -> bytes:
    from securable.package.documents import pdfrender  # WeasyPrint only when PDFs are wanted

    def make() -> bytes:
        return pdfrender.html_to_pdf(html, ctx.date)

    return ctx.renderings.pdf(path, html, make) if ctx.renderings is not None else make()
