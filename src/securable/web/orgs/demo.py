"""The demo workspace of `make demo`: the example products and an example agency, one sign-in.

Everything goes through the services, so the demo's audit log is what real use would write. Loading
twice changes nothing but the demo account's password, which is new at every run (and printed).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model

from securable.web.orgs.models import Organization
from securable.web.orgs.services import CreateOrganization, create_organization
from securable.web.products.models import Product
from securable.web.products.services import ImportProduct, import_product
from securable.web.service import Actor

EMAIL = "demo@securable.example"
MAKER = ("example-maker", "Example Maker", "maker")
AGENCY = ("example-agency", "Example Agency", "agency")


@dataclass(frozen=True)
class DemoSignIn:
    email: str
    password: str
    products: int


def load(examples: Path) -> DemoSignIn:
    """Load every ``examples/*/securable.yaml`` (and the agency's vendors) into the demo organizations."""
    user_model = get_user_model()
    password = secrets.token_urlsafe(12)
    user = user_model.objects.filter(email=EMAIL).first()
    if user is None:
        user = user_model.objects.create_user(username=EMAIL, email=EMAIL, password=password)
    else:
        user.set_password(password)
        user.save(update_fields=["password"])
    actor = Actor(user=user, credential="cli", request_id="make-demo")
    orgs = {}
    for slug, name, kind in (MAKER, AGENCY):
        found = Organization.objects.filter(slug=slug).first()
        orgs[slug] = found or create_organization(
            actor, CreateOrganization(slug, name, kind, why="make demo")
        )
    maker = orgs[MAKER[0]]
    files = sorted(examples.glob("*/securable.yaml")) + sorted(examples.glob("agency/*/securable.yaml"))
    for path in files:
        slug = path.parent.name
        if not Product.objects.for_org(maker).filter(slug=slug).exists():
            import_product(actor, maker, ImportProduct(path.read_bytes(), slug=slug, why="make demo"))
    return DemoSignIn(EMAIL, password, Product.objects.for_org(maker).count())
