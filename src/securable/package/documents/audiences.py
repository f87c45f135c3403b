"""Customer documents: ``docs/<audience-id>.html`` and ``.pdf`` for every audience of Activity 5.

What each audience's document covers, at which level and in which words, comes from the table in
:mod:`~securable.package.documents.profiles`, chosen by the audience's ``role`` (or, without one,
by its terminology and detail level): a home user reads what to do in plain words, a researcher the
software inventory, vulnerability status, protocols and interfaces, an operator setup, hardening and
maintenance, enterprise readers a summary of the assessment first. A product that declares no
audience gets one document with every topic, ``docs/customers``.

Each document is built with its own :class:`~securable.package.documents.answers.Reader`, so its closing
list of what the manufacturer has not stated names exactly the gaps that document met.
"""

from __future__ import annotations

from securable.package.context import Gap, PackageContext, Part
from securable.package.documents.answers import Reader
from securable.package.documents.paper import page_size
from securable.package.documents.profiles import level_for, profile_for
from securable.package.documents.templating import render
from securable.package.documents.topics import Material, build_sections
from securable.package.documents.view import Block, Document, Inline, Para
from securable.package.documents.wording import long_date
from securable.package.machine.sbom import SbomSummary, read_sbom
from securable.product.model import Audience, Product

__all__ = ["build_documents", "level_for", "product_name"]

DEFAULT_AUDIENCE_ID = "customers"  # the one document of a product that declares no audience


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
    if ctx.key_fingerprint:
        facts.append(("Package signing key", ctx.key_fingerprint))
    return tuple(facts)


def _document(
    ctx: PackageContext, summary: SbomSummary, audience: Audience | None, index: int
) -> tuple[Document, Reader]:
    reader = Reader(ctx.product)
    profile = profile_for(audience)
    intro: list[Block] = [Para(profile.lead)]
    if audience is None:
        intro.append(
            Para(
                "The manufacturer has not said which audiences it writes for, so this document gives "
                "the full detail."
            )
        )
    material = Material(ctx, reader, summary, audience, index, profile.topics)
    doc = Document(
        title=f"{product_name(ctx.product)}: {profile.title}",
        audience=(audience.name if audience and audience.name else "all customers"),
        level=profile.level,
        intro=tuple(intro),
        sections=build_sections(profile.topics, material),
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
