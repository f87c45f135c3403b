"""Workspace pages and API calls on a large seeded workspace: p50/p95 per page (issue 13's budget: p95
under 100 ms on this 2-core machine).

Seeds 50 organizations, 10,000 products with 3 versions each and 50,000 audit events (``--scale``
multiplies the counts) into a throw-away database, then times each page in-process through Django's
test client (the whole request: middleware, session, queries, template), signed in as the owner of a
random organization each time.

    .venv/bin/python bench/web_pages.py                                      # SQLite in a temp folder
    tools/pgtest.sh --run .venv/bin/python bench/web_pages.py                # a throw-away PostgreSQL
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

PASSWORD = "bench password 1234"


def _configure(data: str) -> None:
    os.environ.setdefault("SECURABLE_WEB_DATA", data)
    os.environ.setdefault("SECURABLE_WEB_SECRET_KEY", "bench-only-" + "b" * 50)
    os.environ["SECURABLE_WEB_ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "securable.web.settings"
    if os.environ.get("SECURABLE_DB_ENGINE") == "postgresql":
        _create_database(os.environ["SECURABLE_DB_NAME"])


def _create_database(name: str) -> None:
    import psycopg

    given = {"host": os.environ.get("SECURABLE_DB_HOST", ""), "user": os.environ.get("SECURABLE_DB_USER", "")}
    conninfo = " ".join(["dbname=postgres", *(f"{k}={v}" for k, v in given.items() if v)])
    with psycopg.connect(conninfo, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if found is None:
            conn.execute(f'CREATE DATABASE "{name}"')


def _percentile(values: list[float], q: float) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every seeded count (default 1)")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page (default 200)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="securable-bench-") as data:
        _configure(data)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from securable.web.orgs.seeding import Size, seed

        call_command("migrate", "--no-input", "--verbosity", "0")
        size = Size.scaled(args.scale)
        started = time.perf_counter()
        seeded = seed(size, PASSWORD)
        seconds = time.perf_counter() - started
        with connection.cursor() as cursor:  # fresh planner statistics, as autovacuum would give
            cursor.execute("ANALYZE")
        print(
            f"{connection.vendor}: seeded {size.organizations} organizations, {size.products} products x "
            f"{size.versions} versions, {size.events} audit events in {seconds:.1f} s"
        )
        _run(seeded.organizations, args.requests)
    return 0


def _run(orgs: list[tuple[str, str, str]], requests: int) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from securable.web.orgs.models import Organization
    from securable.web.paging import encode
    from securable.web.products.models import Product

    rng = random.Random(13)
    users = {u.email: u for u in get_user_model().objects.filter(email__in=[e for _, e, _ in orgs])}
    browsers: dict[str, Client] = {}
    deep: dict[str, tuple[str, str]] = {}  # per organization: a cursor 3 pages in, and a product
    for slug, email, _ in orgs:
        client = Client()
        client.force_login(users[email])
        browsers[slug] = client
        org = Organization.objects.get(slug=slug)
        rows = list(
            Product.objects.for_org(org).order_by("name", "pk").values_list("name", "pk", "slug")[:151]
        )
        name, pk, _ = rows[min(150, len(rows) - 1)]
        deep[slug] = (encode(name, pk), rows[len(rows) // 2][2])

    def page(path: str) -> Callable[[str, str], Any]:
        def get(slug: str, token: str) -> Any:
            cursor, product = deep[slug]
            return browsers[slug].get(path.format(org=slug, cursor=cursor, product=product))

        return get

    def api(path: str) -> Callable[[str, str], Any]:
        def get(slug: str, token: str) -> Any:
            cursor, product = deep[slug]
            headers = {"Authorization": f"Bearer {token}"}
            return Client().get("/api/v1" + path.format(cursor=cursor, product=product), headers=headers)

        return get

    cases: dict[str, Callable[[str, str], Any]] = {
        "home": page("/"),
        "products (first page)": page("/o/{org}/products/"),
        "products (page 4)": page("/o/{org}/products/?cursor={cursor}"),
        "product (assessed)": page("/o/{org}/products/{product}/"),
        "product yaml": page("/o/{org}/products/{product}/securable.yaml"),
        "members": page("/o/{org}/members/"),
        "audit (latest 100)": page("/o/{org}/audit/"),
        "tokens": page("/o/{org}/tokens/"),
        "audit export (1,000 events)": page("/o/{org}/audit.jsonl"),
        "API products (first page)": api("/products"),
        "API products (page 4)": api("/products?cursor={cursor}"),
        "API product": api("/products/{product}"),
    }
    print(f"{'page':32} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, call in cases.items():
        times: list[float] = []
        for i in range(requests + 5):
            slug, _, token = orgs[rng.randrange(len(orgs))]
            started = time.perf_counter()
            response = call(slug, token)
            if response.streaming:
                b"".join(response.streaming_content)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{name}: HTTP {response.status_code}")
            if i >= 5:  # the first few warm caches (templates, the catalogs the assessment loads)
                times.append(elapsed)
        p50, p95 = _percentile(times, 50), _percentile(times, 95)
        print(f"{name:32} {p50:8.1f} {p95:8.1f} {max(times):8.1f}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
