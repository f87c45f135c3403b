"""The demo workspace of `make demo`: the example products on the maker side, a filled agency, two sign-ins.

Everything goes through the services, so the demo's audit log is what real use would write and its
chains verify with ``securable audit verify``. The owner drafts and requests; a second member, a
reviewer, approves, so every two-person rule is met the way it would be in use. Loading twice changes
nothing but the two passwords, which are new at every run (and printed).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model

from securable.web.orgs.models import Membership, Organization
from securable.web.orgs.services import AddMember, CreateOrganization, add_member, create_organization
from securable.web.products.models import Product, Release
from securable.web.products.questionnaire import AnswerQuestion, answer_question
from securable.web.products.releases import (
    ApproveRelease,
    CreateShare,
    RequestRelease,
    approve_release,
    create_share,
    request_release,
)
from securable.web.products.services import ImportProduct, import_product
from securable.web.service import Actor

EMAIL = "demo@securable.example"
REVIEWER = "reviewer@securable.example"
MAKER = ("example-maker", "Example Maker", "maker")
AGENCY = ("example-agency", "Example Agency", "agency")
RELEASED = "federal-env-sensor"  # the product the demo releases and shares
ANSWERED = (
    "vendor-b",
    "Q3.1-9",
    "use_cases[0].other_aspects",
    "Sensors sit in public lobbies, where anyone can reach them; the housing is tamper-evident.",
)


@dataclass(frozen=True)
class DemoSignIn:
    email: str
    password: str
    products: int
    reviewer: str = REVIEWER
    reviewer_password: str = ""
    share: str = ""  # the path of the release's public link, made on the first load only

    def lines(self) -> list[str]:
        found = [
            f"Demo sign-ins: {self.email} / {self.password} (owner),"
            f" {self.reviewer} / {self.reviewer_password} (reviewer); {self.products} example products"
        ]
        if self.share:
            found.append(f"Public link to the sensor's signed release: {self.share}")
        return found


def _account(email: str) -> tuple[Any, str]:
    """The account, made or found, with a new password (the demo prints it; nothing else knows it)."""
    user_model = get_user_model()
    password = secrets.token_urlsafe(12)
    user = user_model.objects.filter(email=email).first()
    if user is None:
        user = user_model.objects.create_user(username=email, email=email, password=password)
    else:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user, password


def load(examples: Path, out: Path | None = None) -> DemoSignIn:
    """Load every ``examples/*/securable.yaml`` into the maker, release one, and fill the agency.

    ``out`` is where `make demo` left the signed example packages (``packages/`` and ``keys/``);
    packages missing there are built from the examples with a demo key made for this load.
    """
    from securable.web.orgs import demo_agency

    user, password = _account(EMAIL)
    reviewer, reviewer_password = _account(REVIEWER)
    owner = Actor(user=user, credential="cli", request_id="make-demo")
    second = Actor(user=reviewer, credential="cli", request_id="make-demo")
    orgs = {}
    for slug, name, kind in (MAKER, AGENCY):
        found = Organization.objects.filter(slug=slug).first()
        org = found or create_organization(owner, CreateOrganization(slug, name, kind, why="make demo"))
        if not Membership.objects.filter(organization=org, user=reviewer).exists():
            add_member(owner, org, AddMember(REVIEWER, "reviewer", why="make demo: a second person"))
        orgs[slug] = org
    maker = orgs[MAKER[0]]
    files = sorted(examples.glob("*/securable.yaml")) + sorted(examples.glob("agency/*/securable.yaml"))
    for path in files:
        slug = path.parent.name
        if not Product.objects.for_org(maker).filter(slug=slug).exists():
            import_product(owner, maker, ImportProduct(path.read_bytes(), slug=slug, why="make demo"))
    _answer(owner, maker)
    share = _release(owner, second, maker, examples / RELEASED / "sbom.cdx.json")
    demo_agency.fill(owner, second, orgs[AGENCY[0]], examples, out)
    return DemoSignIn(
        EMAIL,
        password,
        Product.objects.for_org(maker).count(),
        reviewer_password=reviewer_password,
        share=share,
    )


def _answer(owner: Actor, maker: Organization) -> None:
    """One open question of the Northwind sensor answered in the workspace: a second version, so the
    posture diff has something to show (its other open questions stay for visitors to try)."""
    product = Product.objects.for_org(maker).filter(slug=ANSWERED[0]).first()
    if product is None or product.latest_number != 1:
        return
    question, place, text = ANSWERED[1:]
    command = AnswerQuestion(
        ANSWERED[0], 1, question, place, text, why="make demo: answered in the workspace"
    )
    answer_question(owner, maker, command)


def _release(owner: Actor, reviewer: Actor, maker: Organization, sbom: Path) -> str:
    """One release of the sensor, requested by the owner, approved by the reviewer (built at once on
    SQLite) and shared; "" when the demo has released already."""
    if Release.objects.for_org(maker).exists():
        return ""
    product = Product.objects.for_org(maker).get(slug=RELEASED)
    asked = request_release(
        owner,
        maker,
        RequestRelease(RELEASED, product.latest_number, sbom.read_bytes(), why="make demo: first release"),
    )
    approve_release(reviewer, maker, ApproveRelease(asked.pk, why="make demo: checked the answers"))
    built = Release.objects.for_org(maker).get(pk=asked.pk)
    if built.state != Release.State.BUILT:
        return ""  # queued (PostgreSQL): a link is made once a worker has built it
    _, token = create_share(reviewer, maker, CreateShare(built.pk, days=30))
    return f"/share/{token}/"
