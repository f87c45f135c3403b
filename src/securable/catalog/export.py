"""Plain exports of a catalog: JSON for scripts, CSV for spreadsheets, Markdown for people.

Every row and section carries the record's provenance, so an exported file can be traced back to
the NIST document, repository, commit, file and line it came from. (OSCAL lives in
``securable.oscal.export``.)
"""

from __future__ import annotations

from securable.catalog.model import Catalog, Record

# record_to_json serves `catalog show --format json`, where start-up counts: csv, io and typing
# are imported only by the whole-catalog exports that need them.
TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

CSV_COLUMNS = (
    "catalog",
    "id",
    "kind",
    "parent",
    "title",
    "text",
    "sp800-53r5",
    "csf-1.1",
    "links",
    "publication",
    "version",
    "repository",
    "commit",
    "path",
    "line",
)


def record_to_json(record: Record) -> dict[str, Any]:
    source = record.provenance.source
    return {
        "id": record.id,
        "qualified_id": record.qualified_id,
        "kind": record.kind,
        "title": record.title,
        "text": record.text,
        "parent": record.parent,
        "mappings": {k: list(v) for k, v in record.mappings.items()},
        "links": [{"rel": link.rel, "target": link.target} for link in record.links],
        "props": {k: list(v) if isinstance(v, tuple) else v for k, v in record.props.items()},
        "provenance": {
            "publication": source.publication,
            "version": source.version,
            "date": source.date,
            "status": source.status,
            "repository": source.repository,
            "commit": source.commit,
            "path": record.provenance.path,
            "line": record.provenance.line,
        },
    }


def to_json(catalog: Catalog) -> str:
    import json

    doc = {
        "id": catalog.id,
        "title": catalog.title,
        "kind": catalog.kind,
        "publication": catalog.publication,
        "version": catalog.version,
        "description": catalog.description,
        "notes": list(catalog.notes),
        "crosswalk": [{"old": c.old, "new": c.new, "where": c.where} for c in catalog.crosswalk],
        "baselines": {k: list(v) for k, v in catalog.baselines.items()},
        "records": [record_to_json(r) for r in catalog],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def to_csv(catalog: Catalog) -> str:
    import csv
    import io

    from securable.textsafety import csv_cell

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in catalog:
        s = r.provenance.source
        cells: list[object] = [
            r.catalog,
            r.id,
            r.kind,
            r.parent or "",
            r.title,
            r.text,
            " ".join(r.mappings.get("sp800-53r5", ())),
            " ".join(r.mappings.get("csf-1.1", ())),
            " ".join(f"{link.rel}={link.target}" for link in r.links),
            s.publication,
            s.version,
            s.repository,
            s.commit,
            r.provenance.path,
            r.provenance.line or "",
        ]
        # Spreadsheets open CSV: no cell may start a formula.
        writer.writerow([csv_cell(c) if isinstance(c, str) else c for c in cells])
    return buffer.getvalue()


def to_markdown(catalog: Catalog) -> str:
    lines = [f"# {catalog.title}", "", f"*{catalog.publication}, version {catalog.version}*", ""]
    if catalog.description:
        lines += [catalog.description, ""]
    lines += [f"> {note}" for note in catalog.notes]
    if catalog.notes:
        lines.append("")
    for root in catalog.roots():
        _markdown_record(catalog, root, 0, lines)
    lines += ["## Sources", ""]
    for s in catalog.sources.values():
        draft = " (draft)" if s.status == "draft" else ""
        lines.append(f"- `{s.key}`: {s.publication}{draft}, {s.version}, {s.date}: {s.url or s.repository}")
    return "\n".join(lines).rstrip() + "\n"


def _markdown_record(catalog: Catalog, record: Record, depth: int, lines: list[str]) -> None:
    where = f"`{record.provenance.source.key}` {record.provenance.path}" + (
        f":{record.provenance.line}" if record.provenance.line else ""
    )
    mapped = "; ".join(f"{k}: {', '.join(v)}" for k, v in record.mappings.items() if v)
    by_rel: dict[str, list[str]] = {}
    for link in record.links:
        by_rel.setdefault(link.rel, []).append(link.target)
    linked = "; ".join(f"{rel} {', '.join(targets)}" for rel, targets in by_rel.items())
    if depth < 3:
        lines.append(f"{'#' * (depth + 2)} {record.id} {record.label}")
        lines.append("")
        if record.text and (record.title or record.label != record.text):  # a shortened heading
            lines += [record.text, ""]
        if mapped:
            lines += [f"Maps to {mapped}.", ""]
        if linked:
            lines += [f"Links: {linked}.", ""]
        lines += [f"<sub>Source: {where}</sub>", ""]
    else:
        indent = "  " * (depth - 3)
        suffix = (f" _(maps to {mapped})_" if mapped else "") + (f" _({linked})_" if linked else "")
        lines.append(f"{indent}- **{record.id}** {record.text or record.title}{suffix}")
    for child in catalog.children(record.id):
        _markdown_record(catalog, child, depth + 1, lines)
    if depth == 2 and catalog.children(record.id):
        lines.append("")
