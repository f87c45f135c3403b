"""Service functions for products (see ``securable.web.service``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from securable.errors import InputError
from securable.web import core
from securable.web.audit.record import append, person_for
from securable.web.orgs.models import Organization
from securable.web.products.models import Product, ProductVersion
from securable.web.service import Actor, authorize


@dataclass(frozen=True)
class ImportProduct:
    content: bytes  # a securable.yaml
    slug: str = ""  # the product to file it under; by default made from product.name
    filename: str = "securable.yaml"
    why: str = ""


def import_product(actor: Actor, organization: Organization, command: ImportProduct) -> ProductVersion:
    """A new version of a product (the product is made on its first import)."""
    authorize(actor, organization, "product.edit")  # before parsing: outsiders learn nothing from errors
    description = core.read_description(command.content, command.filename)
    slug = slugify(command.slug or description.name)[:80]
    if not slug:
        raise InputError("the product's name gives no short name", hint="give a short name (slug)")
    digest = hashlib.sha256(command.content).hexdigest()
    with transaction.atomic():
        authorize(actor, organization, "product.edit")
        product = Product.objects.for_org(organization).select_for_update().filter(slug=slug).first()
        created = product is None
        if product is None:
            product = Product(organization=organization, slug=slug, name=description.name[:200])
            product.save(force_insert=True)
        product.latest_number += 1
        product.name = description.name[:200]
        product.save(update_fields=["latest_number", "name"])
        version = ProductVersion(
            organization=organization,
            product=product,
            number=product.latest_number,
            content=command.content,
            sha256=digest,
            label=description.version[:100],
            author=person_for(actor.user),
        )
        version.save(force_insert=True)
        append(
            actor,
            organization,
            "product.create" if created else "product.version",
            target=("product", slug),
            after={"version": version.number, "sha256": digest, "label": version.label},
            why=command.why,
        )
    return version
