"""Value objects for catalogs: records, their provenance and links, and the catalog that holds them.

A catalog is built from its shipped JSON file (see ``docs/catalog-format.md``). These are plain
slotted classes rather than dataclasses on purpose: ``securable catalog show`` must start about as
fast as a bare interpreter, and importing ``dataclasses`` (which pulls in ``inspect``) plus
generating the classes cost more than the whole data load. Records are read-only views over the
parsed JSON, made on first access, so loading a catalog is little more than ``json.loads``.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from typing import Any

CatalogId = str  # e.g. "sp800-213a"
RecordId = str  # e.g. "DI-1.2", unique within its catalog
PropValue = str | tuple[str, ...]


class _Frozen:
    """Instances are immutable once built: attribute assignment after ``__init__`` fails."""

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _init(self, **values: object) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)


class Source(_Frozen):
    """One origin document: a NIST publication as found at one commit of one repository."""

    __slots__ = ("commit", "date", "key", "publication", "repository", "status", "url", "version")
    key: str
    publication: str
    version: str
    date: str
    repository: str
    commit: str
    url: str
    status: str  # "final", or "draft" where NIST marked the document as a draft

    def __init__(
        self,
        *,
        key: str,
        publication: str,
        version: str,
        date: str,
        repository: str,
        commit: str,
        url: str = "",
        status: str = "final",
    ) -> None:
        self._init(
            key=key,
            publication=publication,
            version=version,
            date=date,
            repository=repository,
            commit=commit,
            url=url,
            status=status,
        )

    def __repr__(self) -> str:
        return f"Source({self.key!r}, {self.publication!r}, {self.version!r})"

    @property
    def short_commit(self) -> str:
        """The commit as people cite it: 12 hex digits, or 12 after "sha256:" for a content hash."""
        prefix = "sha256:" if self.commit.startswith("sha256:") else ""
        return prefix + self.commit[len(prefix) : len(prefix) + 12]


class Provenance(_Frozen):
    """Where one record came from, down to the file and line."""

    __slots__ = ("line", "path", "source")
    source: Source
    path: str
    line: int | None

    def __init__(self, source: Source, path: str, line: int | None) -> None:
        self._init(source=source, path=path, line=line)

    @property
    def citation(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        origin = f"{self.source.repository}@{self.source.short_commit}"
        return f"{self.source.publication} ({self.source.version}), {origin} {where}"


class Link(_Frozen):
    """A typed relation from one record to another, e.g. ``realized-by`` or ``revised-as``."""

    __slots__ = ("rel", "target")
    rel: str
    target: str  # qualified "catalog:ID"

    def __init__(self, rel: str, target: str) -> None:
        self._init(rel=rel, target=target)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Link) and (self.rel, self.target) == (other.rel, other.target)

    def __hash__(self) -> int:
        return hash((self.rel, self.target))

    def __repr__(self) -> str:
        return f"Link({self.rel!r}, {self.target!r})"


class CrosswalkEntry(_Frozen):
    """A name that changed between versions of a NIST catalog."""

    __slots__ = ("new", "old", "where")
    old: str
    new: str
    where: str

    def __init__(self, old: str, new: str, where: str) -> None:
        self._init(old=old, new=new, where=where)


class Record(_Frozen):
    """One catalog entry (capability, element, action, control, question, ...): a view over its JSON."""

    __slots__ = ("_raw", "_sources", "catalog")
    catalog: CatalogId
    _raw: Mapping[str, Any]
    _sources: Mapping[str, Source]

    def __init__(self, catalog: CatalogId, raw: Mapping[str, Any], sources: Mapping[str, Source]) -> None:
        # Made by the thousand: direct slot writes instead of the generic _init.
        set_ = object.__setattr__
        set_(self, "catalog", catalog)
        set_(self, "_raw", raw)
        set_(self, "_sources", sources)

    @property
    def id(self) -> RecordId:
        return str(self._raw["id"])

    @property
    def kind(self) -> str:
        return str(self._raw["kind"])

    @property
    def title(self) -> str:
        return str(self._raw.get("title", ""))

    @property
    def text(self) -> str:
        return str(self._raw.get("text", ""))

    @property
    def parent(self) -> RecordId | None:
        parent = self._raw.get("parent")
        return str(parent) if parent else None

    @property
    def provenance(self) -> Provenance:
        raw = self._raw
        return Provenance(self._sources[raw["source"]], raw["path"], raw.get("line"))

    @property
    def mappings(self) -> Mapping[str, tuple[str, ...]]:
        return {k: tuple(v) for k, v in self._raw.get("mappings", {}).items()}

    @property
    def links(self) -> tuple[Link, ...]:
        return tuple(Link(link["rel"], link["target"]) for link in self._raw.get("links", ()))

    @property
    def props(self) -> Mapping[str, PropValue]:
        return {k: (tuple(v) if isinstance(v, list) else v) for k, v in self._raw.get("props", {}).items()}

    @property
    def qualified_id(self) -> str:
        return f"{self.catalog}:{self.id}"

    @property
    def label(self) -> str:
        """A short display name: the title, or the start of the text when a record has no title."""
        if self.title:
            return self.title
        text = self.text
        return text if len(text) <= 90 else text[:87].rstrip() + "..."

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and (self.catalog, self.id) == (other.catalog, other.id)

    def __hash__(self) -> int:
        return hash((self.catalog, self.id))

    def __repr__(self) -> str:
        return f"Record({self.qualified_id!r}, kind={self.kind!r})"


class Catalog:
    """A loaded catalog: records in source order, indexed by ID; children are derived on demand."""

    __slots__ = (
        "_by_id",
        "_children",
        "_folded",
        "_made",
        "_raws",
        "baselines",
        "crosswalk",
        "description",
        "id",
        "kind",
        "mapping_sources",
        "notes",
        "publication",
        "sources",
        "title",
        "version",
    )

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.id: CatalogId = data["id"]
        self.title: str = data["title"]
        self.kind: str = data["kind"]
        self.publication: str = data["publication"]
        self.version: str = data["version"]
        self.description: str = data.get("description", "")
        self.sources: Mapping[str, Source] = {
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
        self.notes: tuple[str, ...] = tuple(data.get("notes", ()))
        self.crosswalk = tuple(
            CrosswalkEntry(c["old"], c["new"], c["where"]) for c in data.get("crosswalk", ())
        )
        self.baselines: Mapping[str, tuple[str, ...]] = {
            k: tuple(v) for k, v in data.get("baselines", {}).items()
        }
        self.mapping_sources: Mapping[str, str] = dict(data.get("mapping_sources", {}))
        # Record views are made on first use: `catalog show` touches a handful of a catalog's records.
        self._raws: list[Mapping[str, Any]] = data["records"]
        self._by_id: dict[str, int] = {raw["id"]: i for i, raw in enumerate(self._raws)}
        self._made: list[Record | None] = [None] * len(self._raws)
        self._children: dict[str | None, list[int]] | None = None
        self._folded: dict[str, int] | None = None

    def _record(self, i: int) -> Record:
        made = self._made[i]
        if made is None:
            made = self._made[i] = Record(self.id, self._raws[i], self.sources)
        return made

    def __len__(self) -> int:
        return len(self._raws)

    def __iter__(self) -> Iterator[Record]:
        return (self._record(i) for i in range(len(self._raws)))

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._by_id

    def __repr__(self) -> str:
        return f"Catalog({self.id!r}, {len(self)} records)"

    @property
    def records(self) -> tuple[Record, ...]:
        return tuple(self)

    def get(self, record_id: str) -> Record | None:
        i = self._by_id.get(record_id)
        return None if i is None else self._record(i)

    def get_folded(self, record_id: str) -> Record | None:
        """Like :meth:`get`, but ``di-1.1`` finds ``DI-1.1`` (IDs are unique regardless of case)."""
        found = self.get(record_id)
        if found is not None:
            return found
        if self._folded is None:
            self._folded = {rid.lower(): i for rid, i in self._by_id.items()}
        i = self._folded.get(record_id.lower())
        return None if i is None else self._record(i)

    def _tree(self) -> dict[str | None, list[int]]:
        """Positions of each record's children, from the raw data (no record views are made)."""
        if self._children is None:
            tree: dict[str | None, list[int]] = {}
            for i, raw in enumerate(self._raws):
                tree.setdefault(raw.get("parent") or None, []).append(i)
            self._children = tree
        return self._children

    def roots(self) -> list[Record]:
        return [self._record(i) for i in self._tree().get(None, [])]

    def children(self, record_id: str) -> list[Record]:
        return [self._record(i) for i in self._tree().get(record_id, [])]

    def ancestors(self, record_id: str) -> list[Record]:
        """From the root down to the record's parent."""
        chain: list[Record] = []
        record = self.get(record_id)
        while record is not None and record.parent is not None:
            record = self.get(record.parent)
            if record is not None:
                chain.append(record)
        return list(reversed(chain))

    def descendants(self, record_id: str) -> Iterator[Record]:
        for child in self.children(record_id):
            yield child
            yield from self.descendants(child.id)

    def of_kind(self, *kinds: str) -> list[Record]:
        return [r for r in self if r.kind in kinds]


def catalog_from_json(data: Mapping[str, Any]) -> Catalog:
    """Build a :class:`Catalog` from the parsed shipped JSON (format 1)."""
    if data.get("format") != 1:
        raise ValueError(f"unsupported catalog format {data.get('format')!r}")
    return Catalog(data)
