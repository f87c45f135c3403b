"""Shared pieces of the catalog builders: a small document builder that enforces the format rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = 1
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]*$")


class BuildError(Exception):
    """The sources did not look the way a builder expects; the message names the file and line."""


@dataclass
class SourceDoc:
    key: str
    publication: str
    version: str
    date: str
    repository: str
    commit: str
    url: str
    status: str = "final"

    def to_json(self) -> dict[str, str]:
        return {
            "publication": self.publication,
            "version": self.version,
            "date": self.date,
            "repository": self.repository,
            "commit": self.commit,
            "url": self.url,
            "status": self.status,
        }


@dataclass
class CatalogDoc:
    """Accumulates one catalog's records in source order and checks IDs, parents and sources."""

    id: str
    title: str
    kind: str
    publication: str
    version: str
    description: str
    sources: dict[str, SourceDoc] = field(default_factory=dict)
    records: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    crosswalk: list[dict[str, str]] = field(default_factory=list)
    baselines: dict[str, list[str]] = field(default_factory=dict)
    mapping_sources: dict[str, str] = field(default_factory=dict)
    _ids: set[str] = field(default_factory=set)

    def add_source(self, source: SourceDoc) -> SourceDoc:
        self.sources[source.key] = source
        return source

    def add(
        self,
        id: str,
        kind: str,
        *,
        source: str,
        path: str,
        line: int | None,
        title: str = "",
        text: str = "",
        parent: str | None = None,
        mappings: dict[str, list[str]] | None = None,
        links: list[dict[str, str]] | None = None,
        props: dict[str, str | list[str]] | None = None,
    ) -> dict[str, Any]:
        if not _ID_RE.match(id):
            raise BuildError(f"{self.id}: record ID {id!r} is not of the form letters/digits/./-")
        if id in self._ids:
            raise BuildError(f"{self.id}: duplicate record ID {id!r} ({path}:{line})")
        if parent is not None and parent not in self._ids:
            raise BuildError(f"{self.id}: record {id!r} names parent {parent!r} that was not added before it")
        if source not in self.sources:
            raise BuildError(f"{self.id}: record {id!r} names unknown source {source!r}")
        self._ids.add(id)
        record: dict[str, Any] = {"id": id, "kind": kind}
        if title:
            record["title"] = title
        if text:
            record["text"] = text
        if parent is not None:
            record["parent"] = parent
        record["source"] = source
        record["path"] = path
        if line is not None:
            record["line"] = line
        if mappings:
            record["mappings"] = {k: v for k, v in mappings.items() if v}
        if links:
            record["links"] = links
        if props:
            record["props"] = props
        self.records.append(record)
        return record

    def get(self, id: str) -> dict[str, Any]:
        for record in self.records:
            if record["id"] == id:
                return record
        raise KeyError(id)

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "format": FORMAT,
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "publication": self.publication,
            "version": self.version,
            "description": self.description,
            "sources": {k: s.to_json() for k, s in self.sources.items()},
        }
        if self.notes:
            doc["notes"] = self.notes
        if self.crosswalk:
            doc["crosswalk"] = self.crosswalk
        if self.baselines:
            doc["baselines"] = self.baselines
        if self.mapping_sources:
            doc["mapping_sources"] = self.mapping_sources
        doc["records"] = self.records
        return doc


def clean_text(text: str) -> str:
    """Collapse whitespace and decode the few HTML entities the NIST markdown pages use."""
    text = (
        text.replace("&nbsp;", " ")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .replace("&quot;", '"')
        .replace("<br/>", " ")
        .replace("<br>", " ")
    )
    return re.sub(r"\s+", " ", text).strip()


def rel(path: Path, sources: Path) -> str:
    """A source path as recorded in provenance: relative to ``upstream/sources``."""
    return path.relative_to(sources).as_posix()
