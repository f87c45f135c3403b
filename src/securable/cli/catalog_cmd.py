"""``securable catalog …``: list, show, search, export (wired up in ``securable.cli.spec``)."""

from __future__ import annotations

from securable import catalog as api
from securable.catalog import query
from securable.cli.exitcodes import ExitCode
from securable.cli.render import block, emit, emit_json, table
from securable.errors import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from securable.cli.arguments import CatalogExportArgs, CatalogListArgs, CatalogSearchArgs, CatalogShowArgs


def list_catalogs(args: CatalogListArgs) -> int:
    fmt = args.format
    infos = api.catalogs()
    found = api.baselines()
    if fmt == "json":
        emit_json(
            {
                "catalogs": [vars_of(i) for i in infos],
                "baselines": [
                    {"id": b.id, "title": b.title, "catalog": b.catalog, "members": len(b.members)}
                    for b in found
                ],
            }
        )
        return ExitCode.OK
    emit(
        table(
            ("CATALOG", "KIND", "RECORDS", "VERSION", "TITLE"),
            [(i.id, i.kind, str(i.records), i.version, i.title) for i in infos],
        )
    )
    emit("\n")
    emit(
        table(
            ("BASELINE", "OVER", "SELECTS", "TITLE"),
            [(b.id, b.catalog, str(len(b.members)), b.title) for b in found],
        )
    )
    return ExitCode.OK


def vars_of(info: api.CatalogInfo) -> dict[str, object]:
    return {
        "id": info.id,
        "title": info.title,
        "kind": info.kind,
        "version": info.version,
        "records": info.records,
    }


def show(args: CatalogShowArgs) -> int:
    ref, catalog_id, fmt = args.id, args.catalog, args.format
    record = api.resolve(ref, catalog=catalog_id)
    cat = api.load(record.catalog)
    ancestors = cat.ancestors(record.id)
    children = cat.children(record.id)
    links = query.linked_ids(record)
    is_control = record.catalog == "sp800-53r5"
    if fmt == "json":
        from securable.catalog.export import record_to_json

        data = record_to_json(record)
        data["ancestors"] = [a.qualified_id for a in ancestors]
        data["children"] = [c.qualified_id for c in children]
        data["related"] = [{"rel": rel, "target": target} for rel, target in links]
        # IDs straight from the index: the mapped catalogs need not be opened for JSON.
        data["mapped_from"] = query.ids_mapped_to(record.id) if is_control else []
        emit_json(data)
        return ExitCode.OK
    mapped_from = api.records_mapped_to(record.id) if is_control else []
    prov = record.provenance
    pairs: list[tuple[str, str | list[str]]] = [("id", record.qualified_id), ("kind", record.kind)]
    if record.title:
        pairs.append(("title", record.title))
    if record.text:
        pairs.append(("text", record.text))
    if ancestors:
        pairs.append(("within", [f"{a.id}  {a.label}" for a in ancestors]))
    if children:
        pairs.append(("contains", [f"{c.id}  {c.label}" for c in children]))
    for key, values in record.mappings.items():
        if values:
            pairs.append(
                (f"maps to {key}", ", ".join(values) + (" (NIST draft)" if _draft(cat, key) else ""))
            )
    if mapped_from:
        pairs.append(("mapped from", [f"{r.qualified_id}  {r.label}" for r in mapped_from]))
    for rel, target in links:
        if rel == "same-as":  # the same text by definition: no need to open the other catalog
            pairs.append((rel, f"{target}  {record.label}"))
        else:
            pairs.extend((rel, f"{other.qualified_id}  {other.label}") for other in api.find(target))
    for key, value in record.props.items():
        pairs.append((key, ", ".join(value) if isinstance(value, tuple) else value))
    pairs.append(("source", f"{prov.source.publication}, {prov.source.version} ({prov.source.status})"))
    pairs.append(("origin", f"{prov.source.repository} @ {prov.source.commit}"))
    pairs.append(("file", f"{prov.path}:{prov.line}" if prov.line else prov.path))
    emit(block(pairs))
    return ExitCode.OK


def _draft(cat: api.Catalog, target: str) -> bool:
    key = cat.mapping_sources.get(target)
    return key is not None and cat.sources[key].status == "draft"


def search(args: CatalogSearchArgs) -> int:
    text, catalogs, limit, fmt = args.text, args.catalog, args.limit, args.format
    if limit < 0:
        raise UsageError(f"--limit {limit}: give 0 (all hits) or a positive number")
    catalogs = list(dict.fromkeys(catalogs)) if catalogs else None  # --catalog x --catalog x: once
    for catalog_id in catalogs or ():
        api.load(catalog_id)  # unknown catalog names fail with suggestions before any searching
    hits = api.search(text, catalogs=catalogs, limit=limit or None)
    if fmt == "json":
        emit_json(
            [
                {
                    "id": h.record.qualified_id,
                    "kind": h.record.kind,
                    "title": h.record.title,
                    "text": h.record.text,
                }
                for h in hits
            ]
        )
        return ExitCode.OK
    emit(
        table(
            ("ID", "KIND", "TEXT"),
            [(h.record.qualified_id, h.record.kind, h.record.title or h.record.text) for h in hits],
        )
    )
    return ExitCode.OK


def export(args: CatalogExportArgs) -> int:
    cat = api.load(args.catalog)
    text = render_export(cat, args.format, baseline=args.baseline, target=args.target)
    if args.output:
        from pathlib import Path

        from securable.fileio import write_text_atomic

        write_text_atomic(Path(args.output), text)
    else:
        emit(text)
    return ExitCode.OK


def render_export(cat: api.Catalog, fmt: str, *, baseline: str | None, target: str) -> str:
    from securable.catalog import export

    if baseline and fmt != "oscal":
        raise UsageError("--baseline goes with --format oscal")
    if fmt == "json":
        return export.to_json(cat)
    if fmt == "csv":
        return export.to_csv(cat)
    if fmt == "markdown":
        return export.to_markdown(cat)
    from securable.oscal import documents

    if fmt == "oscal-mapping":
        return documents.mapping_document(cat, target)
    return documents.oscal_document(cat, baseline)
