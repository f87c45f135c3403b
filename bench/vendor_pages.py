"""Page timings of the vendor documentation vault, requests to manufacturers and oversight.

    .venv/bin/python bench/vendor_pages.py            # SQLite in a temporary folder

Seeds one organization with 5,000 vendor documents (64 KiB each), 20,000 requests with five
entries each on some and 2,000 providers (bulk inserts: the point is the pages' reads), then asks
each page 60 times through Django's test client after 5 warm-up requests, and prints p50 and p95
in milliseconds. The budget is the workspace's: p95 under 100 ms.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date, timedelta

from pagetimes import time_pages  # bench/ is the script's folder, so it is on sys.path

DOCUMENTS = int(os.environ.get("BENCH_DOCUMENTS", "5000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "20000"))
PROVIDERS = int(os.environ.get("BENCH_PROVIDERS", "2000"))
ROUNDS = 60


def main() -> int:
    os.environ.setdefault("SECURABLE_WEB_DATA", tempfile.mkdtemp(prefix="securable-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "securable.web.settings"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from securable.web.audit.record import person_for
    from securable.web.operations import vendor_services as vs
    from securable.web.operations.vendor_models import (
        DocumentRequest,
        Provider,
        ProviderAudit,
        RequestEntry,
        VendorDocument,
    )
    from securable.web.orgs.services import CreateOrganization, create_organization
    from securable.web.paging import encode
    from securable.web.service import Actor

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user(username="bench@agency.example", email="bench@agency.example")
    who = Actor(user=user, credential="cli")
    org = create_organization(who, CreateOrganization("bench", "Bench agency", "agency"))
    person = person_for(user)
    started = time.perf_counter()
    today = date.today()
    body = b"\0" * 65536
    for start in range(0, DOCUMENTS, 500):
        VendorDocument.objects.for_org(org).bulk_create(
            [
                VendorDocument(
                    organization=org,
                    vendor=f"Vendor {i % 50}",
                    product=f"Product {i % 200}",
                    title=f"Manual {i}",
                    filename=f"manual-{i}.pdf",
                    size=len(body),
                    sha256="0" * 64,
                    content=body,
                    uploaded_by=person,
                )
                for i in range(start, min(start + 500, DOCUMENTS))
            ]
        )
    DocumentRequest.objects.for_org(org).bulk_create(
        [
            DocumentRequest(
                organization=org,
                number=n + 1,
                vendor=f"Vendor {n % 50}",
                kind="documentation",
                subject=f"Request {n}",
                asked="Please send the service manual.\n" * 20,
                asked_on=today,
                status=("open", "answered", "closed")[n % 3],
                author=person,
            )
            for n in range(REQUESTS)
        ],
        batch_size=2000,
    )
    middle = DocumentRequest.objects.for_org(org).get(number=REQUESTS // 2)
    RequestEntry.objects.for_org(org).bulk_create(
        [
            RequestEntry(
                organization=org,
                request=middle,
                event="follow-up",
                text="asked again",
                on=today,
                author=person,
            )
            for _ in range(5)
        ]
    )
    Provider.objects.for_org(org).bulk_create(
        [
            Provider(
                organization=org,
                name=f"Provider {i:05}",
                kind="contractor",
                obligations="Wipe data before repair.\n" * 20,
                audit_months=12,
                since=today - timedelta(days=i % 800),
            )
            for i in range(PROVIDERS)
        ],
        batch_size=2000,
    )
    provider = Provider.objects.for_org(org).get(name=f"Provider {PROVIDERS // 2:05}")
    ProviderAudit.objects.for_org(org).bulk_create(
        [
            ProviderAudit(
                organization=org, provider=provider, done=today, outcome="satisfactory", recorded_by=person
            )
            for _ in range(20)
        ]
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    seconds = time.perf_counter() - started
    print(
        f"{connection.vendor}: seeded {DOCUMENTS} documents, {REQUESTS} requests,"
        f" {PROVIDERS} providers in {seconds:.0f} s"
    )
    document = vs.add_document(who, org, vs.AddDocument("Vendor 1", "Product 1", "Guide", "guide.pdf", body))

    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    deep = VendorDocument.objects.for_org(org).order_by("pk").values_list("pk", flat=True)[DOCUMENTS // 2]
    pages = {
        "vault (first page)": "/o/bench/vault/",
        "vault (page in the middle)": f"/o/bench/vault/?cursor={encode('', deep)}",
        "vault (one product)": "/o/bench/vault/?product=Product%207",
        "vault download (64 KiB, logged)": f"/o/bench/vault/{document.pk}/download",
        "requests (first page)": "/o/bench/requests/",
        "requests (status filter)": "/o/bench/requests/?status=answered",
        "requests (page in the middle)": f"/o/bench/requests/?cursor={encode('', REQUESTS // 2)}",
        "request detail": f"/o/bench/requests/{middle.number}/",
        "oversight (first page)": "/o/bench/oversight/",
        "provider detail": f"/o/bench/oversight/{provider.pk}/",
    }
    return time_pages(client, pages, ROUNDS)


if __name__ == "__main__":
    sys.exit(main())
