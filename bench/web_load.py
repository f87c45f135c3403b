"""Load test of the workspace served by gunicorn on 127.0.0.1: 50 signed-in users browsing and one
CI token uploading product versions at the same time, for a bounded time. Prints throughput, p50/p95
per kind of request and the errors.

Seeds a throw-away workspace first (``--scale`` of the benchmark's 50 organizations, 10,000
products, 50,000 audit events); each user is the owner of an organization. Loopback only.

    .venv/bin/python bench/web_load.py [--seconds 30] [--users 50]
    tools/pgtest.sh --run .venv/bin/python bench/web_load.py                 # on PostgreSQL
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PASSWORD = "bench password 1234"
UPLOAD = ROOT / "examples" / "agency" / "vendor-b" / "securable.yaml"
TIMEOUT = 30  # per request: a hang guard
# Signing in (before the timed window) hashes a password with Argon2, slow by design: a few at a time.
SIGN_INS = threading.Semaphore(4)
SIGN_IN_TIMEOUT = 120


class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)

    def add(self, kind: str, ms: float, error: str | None) -> None:
        with self.lock:
            self.times[kind].append(ms)
            if error:
                self.errors[f"{kind}: {error}"] += 1


def timed(
    results: Results, kind: str, opener: urllib.request.OpenerDirector, req: urllib.request.Request
) -> str:
    started = time.perf_counter()
    error = None
    body = b""
    try:
        with opener.open(req, timeout=TIMEOUT) as response:
            body = response.read()
    except urllib.error.HTTPError as err:
        error = f"HTTP {err.code}"
    except OSError as err:
        error = type(err).__name__
    results.add(kind, (time.perf_counter() - started) * 1000, error)
    return body.decode("utf-8", "replace")


class FromAddress(urllib.request.HTTPHandler):
    """Connects from a loopback address of its own: each user looks like a machine of its own, as
    the sign-in rate limit (per address) would see real users."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self.source = source

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        def connect(host: str, **kwargs: Any) -> http.client.HTTPConnection:
            return http.client.HTTPConnection(host, source_address=(self.source, 0), **kwargs)

        return self.do_open(connect, req)


def sign_in(base: str, email: str, source: str) -> urllib.request.OpenerDirector:
    jar = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    opener = urllib.request.build_opener(FromAddress(source), jar)
    with opener.open(f"{base}/accounts/login/", timeout=SIGN_IN_TIMEOUT) as response:
        form = response.read().decode()
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    if found is None:
        raise RuntimeError("no CSRF token on the sign-in page")
    data = urllib.parse.urlencode(
        {"login": email, "password": PASSWORD, "csrfmiddlewaretoken": found.group(1)}
    )
    headers = {"Referer": f"{base}/accounts/login/"}
    with opener.open(
        urllib.request.Request(f"{base}/accounts/login/", data.encode(), headers), timeout=SIGN_IN_TIMEOUT
    ) as r:
        if r.url.rstrip("/") != base:
            raise RuntimeError(f"sign-in of {email} did not reach the start page ({r.url})")
    return opener


class Window:
    """The timed window: it opens once every user has signed in and warmed up, for ``seconds``."""

    def __init__(self, parties: int, seconds: float) -> None:
        self.seconds = seconds
        self.started = 0.0
        self.stop = 0.0
        self.barrier = threading.Barrier(parties, action=self._open, timeout=600)

    def _open(self) -> None:
        self.started = time.monotonic()
        self.stop = self.started + self.seconds

    def wait(self) -> None:
        self.barrier.wait()

    def open(self) -> bool:
        return time.monotonic() < self.stop


def browse(base: str, user: tuple[str, str], window: Window, results: Results, seed: int) -> None:
    org, email = user
    rng = random.Random(seed)
    try:
        with SIGN_INS:
            opener = sign_in(base, email, f"127.0.{1 + seed // 250}.{1 + seed % 250}")
    except (OSError, RuntimeError) as err:
        results.add("sign-in", 0.0, str(err)[:80])
        opener = None
    if opener is not None:
        _browse_once(base, org, opener, Results(), rng)  # warms the workers; not counted
    window.wait()
    while opener is not None and window.open():
        _browse_once(base, org, opener, results, rng)


def _browse_once(
    base: str, org: str, opener: urllib.request.OpenerDirector, results: Results, rng: random.Random
) -> None:
    listing = timed(results, "products", opener, urllib.request.Request(f"{base}/o/{org}/products/"))
    products = re.findall(rf'href="/o/{org}/products/([a-z0-9-]+)/"', listing)
    nxt = re.search(r'rel="next" href="\?cursor=([^"]+)"', listing)
    if nxt and rng.random() < 0.5:
        url = f"{base}/o/{org}/products/?cursor={nxt.group(1)}"
        timed(results, "products next", opener, urllib.request.Request(url))
    if products:
        slug = rng.choice(products)
        timed(results, "product", opener, urllib.request.Request(f"{base}/o/{org}/products/{slug}/"))
    page = rng.choice(("members", "audit", "tokens"))
    timed(results, page, opener, urllib.request.Request(f"{base}/o/{org}/{page}/"))


def upload(base: str, token: str, window: Window, results: Results) -> None:
    opener = urllib.request.build_opener()
    content = UPLOAD.read_bytes()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/yaml"}
    n = 0
    window.wait()
    while window.open():
        url = f"{base}/api/v1/products/ci-upload-{n % 20}/versions"
        timed(results, "API upload", opener, urllib.request.Request(url, content, headers, method="POST"))
        n += 1


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30, help="how long the load lasts (default 30)")
    parser.add_argument("--users", type=int, default=50, help="concurrent browsing users (default 50)")
    parser.add_argument("--scale", type=float, default=1.0, help="of the seeded workspace (default 1)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (default 3)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="securable-load-") as data:
        env = {
            **os.environ,
            "SECURABLE_WEB_DATA": data,
            "SECURABLE_WEB_SECRET_KEY": "load-test-only-" + "l" * 50,
            "DJANGO_SETTINGS_MODULE": "securable.web.settings",
        }
        if env.get("SECURABLE_DB_ENGINE") == "postgresql":
            sys.path.insert(0, str(ROOT / "bench"))
            from web_pages import _create_database

            _create_database(env["SECURABLE_DB_NAME"])
        manage = [str(BIN / "securable"), "web", "manage", "--"]
        subprocess.run([*manage, "migrate", "--no-input", "--verbosity", "0"], env=env, check=True)
        credentials = Path(data) / "credentials.json"
        seed = [*manage, "seed_workspace", "--scale", str(args.scale), "--password", PASSWORD]
        subprocess.run([*seed, "--credentials", str(credentials)], env=env, check=True)
        orgs = json.loads(credentials.read_text(encoding="utf-8"))

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = (Path(data) / "gunicorn.log").open("wb")
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "securable.web.wsgi:application",
                "--bind", f"127.0.0.1:{port}",
                "--workers", str(args.workers),
                "--threads", str(args.threads),
                "--worker-class", "gthread",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_for(f"{base}/accounts/login/", server)
            results = Results()
            window = Window(args.users + 2, args.seconds)  # the users, the uploader, this thread
            users = [(o["org"], o["email"]) for o in orgs]
            threads = [
                threading.Thread(target=browse, args=(base, users[i % len(users)], window, results, i))
                for i in range(args.users)
            ]
            threads.append(threading.Thread(target=upload, args=(base, orgs[0]["token"], window, results)))
            for t in threads:
                t.start()
            window.wait()
            for t in threads:
                t.join(timeout=args.seconds + 2 * TIMEOUT)
            elapsed = time.monotonic() - window.started
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.close()
        report(results, elapsed, args, env.get("SECURABLE_DB_ENGINE", "sqlite"))
    return 1 if results.errors else 0


def report(results: Results, elapsed: float, args: argparse.Namespace, engine: str) -> None:
    total = sum(len(v) for v in results.times.values())
    print(
        f"{engine}: {args.users} users + 1 CI token for {elapsed:.0f} s, gunicorn {args.workers} workers x "
        f"{args.threads} threads: {total} requests, {total / elapsed:.1f} requests/s"
    )
    print(f"{'request':16} {'count':>7} {'p50 ms':>8} {'p95 ms':>8}")
    everything: list[float] = []
    for kind, times in sorted(results.times.items()):
        everything += times
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
        print(f"{kind:16} {len(times):7} {statistics.median(times):8.1f} {p95:8.1f}")
    if len(everything) > 1:
        p50, p95 = statistics.median(everything), statistics.quantiles(everything, n=20)[-1]
        print(f"{'all':16} {len(everything):7} {p50:8.1f} {p95:8.1f}")
    errors = sum(results.errors.values())
    print(f"errors: {errors}" + "".join(f"\n  {k}: {n}" for k, n in sorted(results.errors.items())))


if __name__ == "__main__":
    sys.exit(main())
