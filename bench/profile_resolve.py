"""Benchmark: resolving NIST's MODERATE baseline profile, Securable against compliance-trestle.

Usage: ``.venv/bin/python bench/profile_resolve.py [RUNS]`` (RUNS defaults to 5).

The input is NIST's SP 800-53 Rev. 5 MODERATE baseline profile (5.1.1) and the full SP 800-53 Rev. 5
catalog (5.0.1), both from ``upstream/sources``. Timed as whole processes (interpreter start-up
included), each after one untimed warm-up run, median of RUNS:

* ``securable oscal resolve PROFILE --catalog CATALOG -o OUT``: schema-checks both inputs, resolves,
  writes the resolved catalog;
* ``securable requirements --profile PROFILE --catalog CATALOG --format oscal -o OUT``: the same
  resolution, then the device requirements written as an OSCAL profile (for information);
* ``trestle author profile-resolve -n moderate -o resolved``: trestle's resolver on the same files.
  Trestle resolves only inside a workspace, so the catalog and a copy of the profile are imported
  into a temporary one first (``trestle import``, not timed); the copy's import href is rewritten to
  ``trestle://catalogs/nist53/catalog.json``, the only change.

Both resolved catalogs are checked to hold the same control IDs before any figure is printed.
compliance-trestle lives in its own venv (``.bench/trestle-venv``), made by the helper shared with
``bench/oscal_validate.py``. Prints figures only; asserts nothing about them.
"""

from __future__ import annotations

import json
import platform
import sys
import tempfile
from pathlib import Path

from oscal_validate import PROJECT_BIN, SOURCES, median_time, run, trestle, trestle_version

OSCAL = SOURCES / "nist-sp800-53-rev5-oscal"
CATALOG = OSCAL / "5.0.1_a849dbc" / "NIST_SP-800-53_rev5_catalog.json"
PROFILE = OSCAL / "5.1.1_88bb8de" / "NIST_SP-800-53_rev5_MODERATE-baseline_profile.json"


def control_ids(path: Path) -> list[str]:
    def walk(node: dict[str, object]) -> list[str]:
        out: list[str] = []
        for key in ("controls", "groups"):
            for child in node.get(key, ()):  # type: ignore[attr-defined]
                if key == "controls":
                    out.append(child["id"])
                out += walk(child)
        return out

    return walk(json.loads(path.read_text("utf-8"))["catalog"])


def trestle_workspace(exe: Path, root: Path) -> None:
    run([str(exe), "init"], root)
    run([str(exe), "import", "-f", str(CATALOG), "-o", "nist53"], root)
    profile = json.loads(PROFILE.read_text("utf-8"))
    profile["profile"]["imports"][0]["href"] = "trestle://catalogs/nist53/catalog.json"
    copy = root.parent / "moderate-profile.json"
    copy.write_text(json.dumps(profile), "utf-8")
    run([str(exe), "import", "-f", str(copy), "-o", "moderate"], root)


def main(argv: list[str]) -> int:
    runs = int(argv[1]) if len(argv) > 1 else 5
    if runs < 1:
        sys.exit("RUNS must be at least 1")
    for path in (CATALOG, PROFILE):
        if not path.is_file():
            sys.exit(f"{path} not found; set SECURABLE_SOURCES to a copy of upstream/sources")
    exe = trestle()
    cli = str(PROJECT_BIN / "securable")
    with tempfile.TemporaryDirectory(prefix="resolve-bench-") as tmp:
        out = Path(tmp)
        ours = [
            cli,
            "oscal",
            "resolve",
            str(PROFILE),
            "--catalog",
            str(CATALOG),
            "-o",
            str(out / "ours.json"),
        ]
        requirements = [cli, "requirements", "--profile", str(PROFILE), "--catalog", str(CATALOG)]
        requirements += ["--format", "oscal", "-o", str(out / "requirements.json")]
        ours_median = median_time(ours, runs)
        requirements_median = median_time(requirements, runs)

        workspace = out / "ws"
        workspace.mkdir()
        trestle_workspace(exe, workspace)
        theirs = [str(exe), "author", "profile-resolve", "-n", "moderate", "-o", "resolved"]
        trestle_median = median_time(theirs, runs, workspace)

        ours_ids = control_ids(out / "ours.json")
        theirs_ids = control_ids(workspace / "catalogs" / "resolved" / "catalog.json")
        if set(ours_ids) != set(theirs_ids):
            sys.exit(f"the resolved catalogs differ: {sorted(set(ours_ids) ^ set(theirs_ids))[:20]}")

    print(f"profile:   {PROFILE.parent.name}/{PROFILE.name}")
    print(f"catalog:   {CATALOG.parent.name}/{CATALOG.name} ({CATALOG.stat().st_size / 2**20:.1f} MiB)")
    print(f"result:    {len(ours_ids)} controls from both tools")
    print(f"platform:  Python {platform.python_version()} on {platform.system()} {platform.machine()}")
    print(f"runs:      {runs} timed (+1 warm-up each), median wall time of the whole process")
    print(f"securable: {ours_median * 1000:8.0f} ms  [securable oscal resolve]")
    version = trestle_version(exe)
    print(f"trestle:   {trestle_median * 1000:8.0f} ms  [trestle author profile-resolve; {version}]")
    print(f"ratio:     trestle / securable = {trestle_median / ours_median:.1f}x")
    print(
        f"(securable requirements --profile ... --format oscal: {requirements_median * 1000:.0f} ms, "
        f"ratio {trestle_median / requirements_median:.1f}x; resolves, then derives the requirements)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
