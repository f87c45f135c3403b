"""Entry point: ``python -m tools.catalogbuild [--sources DIR] [--out DIR] [--check]``."""

from __future__ import annotations

import argparse
import json
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from tools.catalogbuild import baselines, federal_profile, questions, sp800_53, sp800_213a
from tools.catalogbuild.common import BuildError, CatalogDoc

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SOURCES = ROOT / "upstream" / "sources"
DEFAULT_OUT = ROOT / "src" / "securable" / "data" / "catalogs"


def build_all(sources: Path) -> list[CatalogDoc]:
    controls = sp800_53.build(sources)
    catalog = sp800_213a.build(sources)
    docs = [
        catalog,
        federal_profile.build(sources, catalog),
        baselines.build_8259a(sources, catalog),
        baselines.build_8259b(sources, catalog),
        controls,
        questions.build(sources),
    ]
    check_references(docs)
    return docs


def check_references(docs: list[CatalogDoc]) -> None:
    """Every link and every SP 800-53 mapping must name a record that exists; IDs are unique
    regardless of case (lookups fold case, and OSCAL export lower-cases IDs)."""
    ids = {doc.id: {r["id"] for r in doc.records} for doc in docs}
    for doc in docs:
        folded: dict[str, str] = {}
        for record_id in ids[doc.id]:
            if (other := folded.setdefault(record_id.lower(), record_id)) != record_id:
                raise BuildError(f"{doc.id}: IDs {other!r} and {record_id!r} differ only in case")
    control_ids = ids["sp800-53r5"]
    problems: list[str] = []
    for doc in docs:
        for record in doc.records:
            for control in record.get("mappings", {}).get("sp800-53r5", []):
                if control not in control_ids:
                    problems.append(f"{doc.id}:{record['id']} maps to unknown SP 800-53 control {control!r}")
            for link in record.get("links", []):
                cat, _, rid = link["target"].partition(":")
                if rid not in ids.get(cat, set()):
                    problems.append(f"{doc.id}:{record['id']} links to unknown record {link['target']!r}")
    if problems:
        raise BuildError("broken references:\n  " + "\n  ".join(problems))


def render(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def index_of(docs: list[CatalogDoc]) -> dict[str, Any]:
    """IDs and reverse relations precomputed, so a lookup opens only the catalogs it shows."""
    ids: dict[str, list[str]] = {}
    links_in: dict[str, list[list[str]]] = {}
    mapped_from: dict[str, dict[str, list[str]]] = {}
    for doc in docs:
        for record in doc.records:
            qualified = f"{doc.id}:{record['id']}"
            ids.setdefault(record["id"].lower(), []).append(doc.id)
            for link in record.get("links", []):
                links_in.setdefault(link["target"], []).append([link["rel"], qualified])
            for target, values in record.get("mappings", {}).items():
                for value in values:
                    mapped_from.setdefault(target, {}).setdefault(value.lower(), []).append(qualified)
    return {
        "format": 1,
        "catalogs": [
            {"id": d.id, "title": d.title, "kind": d.kind, "version": d.version, "records": len(d.records)}
            for d in docs
        ],
        "ids": ids,
        "links_in": links_in,
        "mapped_from": mapped_from,
    }


def outputs(docs: list[CatalogDoc]) -> dict[str, bytes]:
    """The shipped files: canonical JSON (reviewed in diffs) and its marshal twin (loaded at run time).

    marshal loads two to three times faster than json and needs no import, which is what keeps
    `securable catalog show` near a bare interpreter start. The twin is made from the parsed JSON
    text, so both always hold the same data; the loader falls back to JSON if marshal fails.
    """
    texts = {doc.id: render(doc.to_json()) for doc in docs}
    texts["index"] = json.dumps(index_of(docs), ensure_ascii=False, separators=(",", ":")) + "\n"
    files: dict[str, bytes] = {}
    for stem, text in texts.items():
        files[f"{stem}.json"] = text.encode("utf-8")
        files[f"{stem}.marshal"] = marshal.dumps(json.loads(text))
    return files


def stale(files: dict[str, bytes], out: Path) -> list[str]:
    """Shipped files that differ from a rebuild (marshal files by content, as bytes vary by Python)."""
    found = []
    for name, content in files.items():
        path = out / name
        if not path.exists():
            found.append(name)
        elif name.endswith(".marshal"):
            try:
                same = marshal.loads(path.read_bytes()) == marshal.loads(content)
            except (EOFError, ValueError, TypeError):  # a damaged twin is stale, not a crash
                same = False
            if not same:
                found.append(name)
        elif path.read_bytes() != content:
            found.append(name)
    return found


def write_atomically(path: Path, content: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.chmod(tmp, 0o644)  # mkstemp makes files private; shipped data must be readable by all
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.catalogbuild", description=__doc__)
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--check", action="store_true", help="fail if the shipped files differ from a rebuild"
    )
    args = parser.parse_args(argv)
    try:
        files = outputs(build_all(args.sources))
    except BuildError as err:
        print(f"catalogbuild: {err}", file=sys.stderr)
        return 1
    if args.check:
        out_of_date = stale(files, args.out)
        for name in out_of_date:
            print(f"catalogbuild: {name} is out of date; run `make catalogs`", file=sys.stderr)
        return 1 if out_of_date else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        write_atomically(args.out / name, content)
        print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
