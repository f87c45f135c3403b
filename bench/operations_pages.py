"""Page timings of agency operations with 10,000 devices, 100,000 maintenance records and 20,000
reviews.

    .venv/bin/python bench/operations_pages.py            # SQLite in a temporary folder
    SECURABLE_DB_ENGINE=postgresql SECURABLE_DB_NAME=... .venv/bin/python bench/operations_pages.py

Seeds one organization (bulk inserts, not the services: the point is the pages' reads), then asks
each list and detail page 60 times in process through Django's test client (after 5 warm-up
requests) and prints p50 and p95 in milliseconds. The budget is p95 under 100 ms.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta

from pagetimes import time_pages  # bench/ is the script's folder, so it is on sys.path

DEVICES = int(os.environ.get("BENCH_DEVICES", "10000"))
RECORDS = int(os.environ.get("BENCH_RECORDS", "100000"))
REVIEWS = int(os.environ.get("BENCH_REVIEWS", "20000"))
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

    from securable.operations import codec
    from securable.operations import maintenance as m
    from securable.operations.register import DeviceRow
    from securable.web.operations import services as s
    from securable.web.operations.models import Device, Maintenance
    from securable.web.orgs.services import CreateOrganization, create_organization
    from securable.web.service import Actor

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user(username="bench@agency.example", email="bench@agency.example")
    who = Actor(user=user, credential="cli")
    org = create_organization(who, CreateOrganization("bench", "Bench agency", "agency"))
    started = time.perf_counter()
    s.add_device(who, org, DeviceRow("A-0000000", "S", device_type="camera"))
    Device.objects.for_org(org).bulk_create(
        [
            Device(
                organization=org,
                asset_tag=f"A-{i:07}",
                serial=f"S{i}",
                device_type="camera",
                location=f"B{i % 40}",
            )
            for i in range(1, DEVICES)
        ],
        batch_size=2000,
    )
    tech = s.add_technician(who, org, "Alice", "Agency", "staff")
    s.grant(
        who,
        org,
        tech.pk,
        expires=datetime.now(UTC).date() + timedelta(days=30),
        unescorted=True,
        device_types="",
    )
    device_ids = list(Device.objects.for_org(org).order_by("pk").values_list("pk", flat=True))
    now = datetime.now(UTC)
    technician = m.Technician(
        str(tech.pk), "Alice", "Agency", (m.Authorization(now.date(), True, frozenset()),)
    )
    record = m.request(
        m.Who("bench", frozenset({"maintenance.request"})),
        device_type="camera",
        where=m.Where.LOCAL,
        by=m.By.STAFF,
        reason="routine check",
        technician=technician,
        now=now,
    )
    data = json.dumps(codec.to_json(record), sort_keys=True)
    states = ["requested", "approved", "performed", "closed"]
    for start in range(0, RECORDS, 5000):
        Maintenance.objects.for_org(org).bulk_create(
            [
                Maintenance(
                    organization=org,
                    number=n + 1,
                    device_id=device_ids[n % len(device_ids)],
                    state=states[n % 4],
                    where="local",
                    data=data,
                )
                for n in range(start, min(start + 5000, RECORDS))
            ]
        )
    from securable.web.operations.review_models import Review

    opened = now.date() - timedelta(days=60)
    for start in range(0, REVIEWS, 5000):
        Review.objects.for_org(org).bulk_create(
            [
                Review(
                    organization=org,
                    number=n + 1,
                    kind="incident",
                    subject=f"incident {n}",
                    device_id=device_ids[n % len(device_ids)],
                    opened=opened,
                    due=opened + timedelta(days=7 + n % 90),
                    state="completed" if n % 3 else "open",
                )
                for n in range(start, min(start + 5000, REVIEWS))
            ]
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    seconds = time.perf_counter() - started
    print(
        f"{connection.vendor}: seeded {DEVICES} devices, {RECORDS} maintenance records,"
        f" {REVIEWS} reviews in {seconds:.0f} s"
    )

    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    client.get("/", SERVER_NAME="localhost")
    middle = f"A-{DEVICES // 2:07}"
    from securable.web.paging import encode

    deep = Device.objects.for_org(org).get(asset_tag=middle)
    pages = {
        "devices (first page)": "/o/bench/devices/",
        "devices (page in the middle)": f"/o/bench/devices/?cursor={encode(deep.asset_tag, deep.pk)}",
        "device detail": f"/o/bench/devices/{middle}/",
        "maintenance (first page)": "/o/bench/maintenance/",
        "maintenance (state filter)": "/o/bench/maintenance/?state=performed",
        "maintenance (page in the middle)": f"/o/bench/maintenance/?cursor={encode('', RECORDS // 2)}",
        "maintenance detail": f"/o/bench/maintenance/{RECORDS // 2}/",
        "personnel": "/o/bench/personnel/",
        "tools": "/o/bench/tools/",
        "policies": "/o/bench/policies/",
        "reviews (open, first page)": "/o/bench/reviews/",
        "reviews (all, page in the middle)": f"/o/bench/reviews/?state=all&cursor={encode('', REVIEWS // 2)}",
        "review detail": f"/o/bench/reviews/{REVIEWS // 2}/",
        "reports": "/o/bench/reports/",
    }
    return time_pages(client, pages, ROUNDS)


if __name__ == "__main__":
    sys.exit(main())
