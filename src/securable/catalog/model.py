"""Value objects for catalogs: records, their provenance and links, and the catalog that holds them.

Records are immutable. A catalog is built once from its shipped JSON file (see
``docs/catalog-format.md``) and indexed by ID; children and reverse links are derived, not stored.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NewType

CatalogId = NewType("CatalogId", str)
RecordId = NewType("RecordId", str)
PropValue = str | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Source:
    """One origin document: a NIST publication as found at one commit of one repository."""

    key: str
    publication: str
    version: str
    date: str
    repository: str
    commit: str
    url: str
    status: str = "final"  # "draft" where NIST marked the document as a draft


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where one record came from, down to the file and line."""

    source: Source
    path: str
    line: int | None

    @property
    def citation(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        commit = self.source.commit
        origin = f"{self.source.repository}@{commit[:19] if commit.startswith('sha256:') else commit[:12]}"
        return f"{self.source.publication} ({self.source.version}), {origin} {where}"


@dataclass(frozen=True, slots=True)
class Link:
    """A typed relation from one record to another, e.g. ``realized-by`` or ``revised-as``."""

    rel: str
    target: str  # qualified "catalog:ID"


@dataclass(frozen=True, slots=True)
class Record:
    catalog: CatalogId
    id: RecordId
    kind: str
    title: str
    text: str
    parent: RecordId | None
    provenance: Provenance
    mappings: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    links: tuple[Link, ...] = ()
    props: Mapping[str, PropValue] = field(default_factory=dict)

    @property
    def qualified_id(self) -> str:
        return f"{self.catalog}:{self.id}"

    @property
    def label(self) -> str:
        """A short display name: the title, or the start of the text when a record has no title."""
        if self.title:
            return self.title
        return self.text if len(self.text) <= 90 else self.text[:87].rstrip() + "..."


@dataclass(frozen=True, slots=True)
class CrosswalkEntry:
    """A name that changed between versions of a NIST catalog."""

    old: str
    new: str
    where: str


@dataclass(frozen=True)
class Catalog:
    id: CatalogId
    title: str
    kind: str
    publication: str
    version: str
    description: str
    sources: Mapping[str, Source]
    records: tuple[Record, ...]
    notes: tuple[str, ...] = ()
    crosswalk: tuple[CrosswalkEntry, ...] = ()
    baselines: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    mapping_sources: Mapping[str, str] = field(default_factory=dict)
    _by_id: dict[str, Record] = field(default_factory=dict, repr=False, compare=False)
    _children: dict[str | None, list[Record]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for record in self.records:
            self._by_id[record.id] = record
            self._children.setdefault(record.parent, []).append(record)

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[Record]:
        return iter(self.records)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._by_id

    def get(self, record_id: str) -> Record | None:
        return self._by_id.get(record_id)

    def roots(self) -> list[Record]:
        return list(self._children.get(None, []))

    def children(self, record_id: str) -> list[Record]:
        return list(self._children.get(record_id, []))

    def ancestors(self, record_id: str) -> list[Record]:
        """From the root down to the record's parent."""
        chain: list[Record] = []
        record = self._by_id.get(record_id)
        while record is not None and record.parent is not None:
            record = self._by_id.get(record.parent)
            if record is not None:
                chain.append(record)
        return list(reversed(chain))

    def descendants(self, record_id: str) -> Iterator[Record]:
        for child in self._children.get(record_id, []):
            yield child
            yield from self.descendants(child.id)

    def of_kind(self, *kinds: str) -> list[Record]:
        return [r for r in self.records if r.kind in kinds]


def catalog_from_json(data: Mapping[str, Any]) -> Catalog:
    """Build a :class:`Catalog` from the parsed shipped JSON (format 1)."""
    if data.get("format") != 1:
        raise ValueError(f"unsupported catalog format {data.get('format')!r}")
    catalog_id = CatalogId(data["id"])
    sources = {
        key: Source(
            key=key,
            publication=s["publication"],
            version=s["version"],
            date=s["date"],
            repository=s["repository"],
            commit=s["commit"],
            url=s.get("url", ""),
            status=s.get("status", "final"),
        )
        for key, s in data["sources"].items()
    }
    records = tuple(
        Record(
            catalog=catalog_id,
            id=RecordId(r["id"]),
            kind=r["kind"],
            title=r.get("title", ""),
            text=r.get("text", ""),
            parent=RecordId(r["parent"]) if r.get("parent") else None,
            provenance=Provenance(sources[r["source"]], r["path"], r.get("line")),
            mappings={k: tuple(v) for k, v in r.get("mappings", {}).items()},
            links=tuple(Link(link["rel"], link["target"]) for link in r.get("links", ())),
            props={k: (tuple(v) if isinstance(v, list) else v) for k, v in r.get("props", {}).items()},
        )
        for r in data["records"]
    )
    return Catalog(
        id=catalog_id,
        title=data["title"],
        kind=data["kind"],
        publication=data["publication"],
        version=data["version"],
        description=data.get("description", ""),
        sources=sources,
        records=records,
        notes=tuple(data.get("notes", ())),
        crosswalk=tuple(CrosswalkEntry(c["old"], c["new"], c["where"]) for c in data.get("crosswalk", ())),
        baselines={k: tuple(v) for k, v in data.get("baselines", {}).items()},
        mapping_sources=dict(data.get("mapping_sources", {})),
    )
