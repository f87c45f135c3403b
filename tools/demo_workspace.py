"""The workspace part of `make demo`: load the examples into a SQLite workspace and start it.

On a terminal it serves until Ctrl-C. Elsewhere (CI) it checks that the server answers with the
sign-in page, stops it and exits 0, so `make demo` ends.

    python -m tools.demo_workspace [--data out/demo-workspace] [--securable .venv/bin/securable]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WAIT_SECONDS = 60  # a hang guard for a slow first start, not a speed requirement


def free_port(preferred: int = 8000) -> int:
    """``preferred`` when nothing listens there, else any free port (other workspaces may run)."""
    for port in (preferred, 0):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself binds
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(probe.getsockname()[1])
    raise OSError("no free port on 127.0.0.1")


def wait_for(url: str, server: subprocess.Popen[bytes], seconds: float = WAIT_SECONDS) -> int:
    """The HTTP status of ``url`` once the server answers; raises when it exits or never answers."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return int(response.status)
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(f"the server stopped (exit {server.returncode})") from None
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="out/demo-workspace", help="the workspace folder (SQLite)")
    parser.add_argument("--securable", default=str(Path(sys.executable).parent / "securable"))
    parser.add_argument("--serve", action=argparse.BooleanOptionalAction, default=sys.stdout.isatty())
    args = parser.parse_args(argv)

    data = Path(args.data).resolve()
    data.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SECURABLE_WEB_DATA": str(data), "SECURABLE_DB_ENGINE": "sqlite"}
    env.pop("SECURABLE_DB_NAME", None)

    def manage(*words: str) -> str:
        done = subprocess.run(
            [args.securable, "web", "manage", "--", *words],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            sys.stderr.write(done.stdout + done.stderr)
            raise SystemExit(done.returncode)
        return done.stdout.strip()

    manage("migrate", "--no-input", "--verbosity", "0")
    started = time.monotonic()
    signin = manage("load_demo", str(ROOT / "examples"), "--out", str(ROOT / "out"))
    took = time.monotonic() - started
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    signin = signin.replace(" /share/", f" {base}/share/")  # the loader knows paths, not the address
    print(f"== Workspace at {base}/ (SQLite in {data}, loaded in {took:.0f} s) ==\n{signin}", flush=True)
    command = [args.securable, "serve", "--no-migrate", "--addr", f"127.0.0.1:{port}"]
    if args.serve:
        try:
            return subprocess.run(command, env=env, check=False).returncode
        except KeyboardInterrupt:
            return 0
    log = (data / "server.log").open("wb")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        status = wait_for(f"{base}/accounts/login/", server)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    if status != 200:
        print(f"the sign-in page answered HTTP {status}; see {data / 'server.log'}", file=sys.stderr)
        return 1
    print("The sign-in page answered; server stopped (not a terminal). Run `make demo` in one to browse.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
