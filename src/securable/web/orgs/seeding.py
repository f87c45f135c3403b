"""A large made-up workspace for benchmarks and load tests, written with bulk inserts.

It bypasses the service layer on purpose (one INSERT per thousand rows instead of a transaction per
change), so it refuses a database that already holds an organization: it is for throw-away
benchmark databases only. The audit events it writes still form valid hash chains, so export and
``securable audit verify`` work on them as on real ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from securable.audit.chain import GENESIS, canonical, event_hash
from securable.errors import UsageError
from securable.web.api.tokens import CreateToken, create_token
from securable.web.audit.models import AuditEvent, Person
from securable.web.orgs.models import Membership, Organization
from securable.web.products.models import Product, ProductVersion
from securable.web.service import Actor

# A real product description (a vendor in the agency example): every version holds its bytes, so
# a product page assesses a real file (29 findings each) rather than a stub.
SAMPLE = Path(__file__).resolve().parents[4] / "examples" / "agency" / "vendor-b" / "securable.yaml"
BATCH = 2000
ROLES_OF_MEMBERS = ("editor", "reviewer", "auditor")


@dataclass(frozen=True)
class Size:
    organizations: int = 50
    products: int = 10_000
    versions: int = 3  # per product
    events: int = 50_000
    members: int = 4  # per organization, besides its owner

    @classmethod
    def scaled(cls, factor: float) -> Size:
        """A smaller (or larger) workspace of the same shape, for tests and quick runs."""

        def scale(n: int) -> int:
            return max(1, round(n * factor))

        return cls(scale(cls.organizations), scale(cls.products), cls.versions, scale(cls.events))


@dataclass(frozen=True)
class Seeded:
    """What a benchmark needs to sign in: per organization its slug, owner's address and a CI token."""

    organizations: list[tuple[str, str, str]]
    password: str


def _sample_content() -> bytes:
    try:
        return SAMPLE.read_bytes()
    except OSError as err:
        raise UsageError(
            f"cannot read the sample product {SAMPLE}", hint="run from a source checkout"
        ) from err


def seed(size: Size, password: str) -> Seeded:
    """Fill an empty database with ``size``; every account gets ``password``."""
    if Organization.objects.exists():
        raise UsageError(
            "the database already holds organizations",
            hint="seed only a throw-away database (SECURABLE_WEB_DATA or SECURABLE_DB_NAME of its own)",
        )
    content = _sample_content()
    digest = hashlib.sha256(content).hexdigest()
    hashed = make_password(password)  # hashed once: Argon2 per account would take minutes
    now = timezone.now()
    user_model = get_user_model()
    with transaction.atomic():
        orgs = Organization.objects.bulk_create(
            [
                Organization(
                    slug=f"org-{i:03}", name=f"Organization {i:03}", kind="maker" if i % 5 else "agency"
                )
                for i in range(size.organizations)
            ]
        )
        emails = [
            (org, role, f"{role}{n}@{org.slug}.example")
            for org in orgs
            for n, role in enumerate(("owner", *(ROLES_OF_MEMBERS * size.members)[: size.members]))
        ]
        users = user_model.objects.bulk_create(
            [user_model(username=e, email=e, password=hashed) for _, _, e in emails], batch_size=BATCH
        )
        Membership.objects.bulk_create(
            [
                Membership(organization=org, user=u, role=role)
                for (org, role, _), u in zip(emails, users, strict=True)
            ],
            batch_size=BATCH,
        )
        people = Person.objects.bulk_create(
            [Person(user=u, name=u.email, email=u.email) for u in users], batch_size=BATCH
        )
        owners = {
            org.pk: (u, p)
            for (org, role, _), u, p in zip(emails, users, people, strict=True)
            if role == "owner"
        }
        _products(orgs, size, content=content, digest=digest, owners=owners, now=now)
        _events(orgs, size, owners, now)
    tokens = []
    for org in orgs:
        owner, _ = owners[org.pk]
        actor = Actor(user=owner, credential="session", request_id="seed")
        _, secret = create_token(actor, org, CreateToken("load test", "editor", days=7))
        tokens.append((org.slug, owner.email, secret))
    return Seeded(tokens, password)


def _products(
    orgs: list[Organization],
    size: Size,
    *,
    content: bytes,
    digest: str,
    owners: dict[int, tuple[object, Person]],
    now: dt.datetime,
) -> None:
    per_org, extra = divmod(size.products, len(orgs))
    batch: list[Product] = []
    for i, org in enumerate(orgs):
        count = per_org + (1 if i < extra else 0)
        batch += [
            # Names in no particular order, as real ones are: keyset pages must not rely on insertion order.
            Product(
                organization=org,
                slug=f"device-{n:05}",
                name=f"Device {(n * 7919) % max(count, 1):05} {n:05}",
                latest_number=size.versions,
                created=now,
            )
            for n in range(count)
        ]
    # The plain base manager: the scoped one rightly refuses a query that spans organizations.
    made = Product._base_manager.bulk_create(batch, batch_size=BATCH)
    versions: list[ProductVersion] = []
    for product in made:
        author = owners[product.organization_id][1]
        versions += [
            ProductVersion(
                organization_id=product.organization_id,
                product=product,
                number=number,
                content=content,
                sha256=digest,
                label=f"1.{number}",
                author=author,
                created=now - dt.timedelta(days=size.versions - number),
            )
            for number in range(1, size.versions + 1)
        ]
        if len(versions) >= BATCH:
            ProductVersion._base_manager.bulk_create(versions, batch_size=BATCH)
            versions = []
    ProductVersion._base_manager.bulk_create(versions, batch_size=BATCH)


def _events(
    orgs: list[Organization], size: Size, owners: dict[int, tuple[object, Person]], now: dt.datetime
) -> None:
    """Valid chains: what the services would have written for this many imports."""
    per_org, extra = divmod(size.events, len(orgs))
    batch: list[AuditEvent] = []
    for i, org in enumerate(orgs):
        person = str(owners[org.pk][1].public_id)
        prev = GENESIS
        for seq in range(1, per_org + (1 if i < extra else 0) + 1):
            when = now - dt.timedelta(seconds=per_org - seq)
            event = {
                "action": "product.version",
                "actor": person,
                "credential": "session",
                "request_id": f"seed-{seq}",
                "object": {"type": "product", "id": f"device-{seq % max(size.products // len(orgs), 1):05}"},
                "before": None,
                "after": {"version": seq, "label": f"1.{seq}"},
                "why": "seeded for a benchmark",
                "time": when.isoformat(timespec="microseconds"),
            }
            payload = canonical(event).decode("utf-8")
            digest = event_hash(prev, event)
            batch.append(
                AuditEvent(
                    organization=org, seq=seq, prev_hash=prev, hash=digest, payload=payload, created=when
                )
            )
            prev = digest
            if len(batch) >= BATCH:
                AuditEvent._base_manager.bulk_create(batch)
                batch = []
    AuditEvent._base_manager.bulk_create(batch)
