"""Building blocks shared by the OSCAL exports: identifiers, UUIDs, metadata and back-matter.

Everything here is a pure function of the catalog, so exporting the same catalog twice gives
byte-identical JSON: UUIDs come from uuid5 over stable names and dates from the sources, never from
the clock or from random numbers.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from securable.catalog.model import Catalog, Source
from securable.oscal import OSCAL_VERSION

NS = "https://securable.dev/ns/oscal"
# Every UUID we emit is uuid5(_UUID_NS, "<kind>:<stable name>").
_UUID_NS = uuid.uuid5(uuid.NAMESPACE_URL, NS)
# OSCAL's TokenDatatype without the \p classes: our record IDs are ASCII, so ASCII classes suffice.
_TOKEN = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*$")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")

JSON = dict[str, Any]


def stable_uuid(*names: str) -> str:
    """A UUID that is the same on every run for the same names (a version 5 UUID, which OSCAL allows)."""
    return str(uuid.uuid5(_UUID_NS, ":".join(names)))


def is_token(text: str) -> bool:
    return bool(_TOKEN.match(text))


def oscal_id(record_id: str) -> str:
    """The OSCAL id for a record ID: lower-case (OSCAL's own convention, ``ac-2.1``), and prefixed with
    ``_`` when it starts with a digit (``8259A-DI`` -> ``_8259a-di``), since an OSCAL token must start
    with a letter or ``_``. Record IDs never start with ``_``, so the prefix cannot collide."""
    lowered = record_id.lower()
    token = lowered if lowered[:1].isalpha() else f"_{lowered}"
    if not is_token(token):
        raise ValueError(f"record ID {record_id!r} cannot be turned into an OSCAL token")
    return token


def oscal_ids(catalog: Catalog) -> dict[str, str]:
    """Record ID -> OSCAL id for a whole catalog; fails loudly if lower-casing merges two records."""
    ids: dict[str, str] = {}
    taken: dict[str, str] = {}
    for record in catalog.records:
        token = oscal_id(record.id)
        if token in taken:
            raise ValueError(
                f"{catalog.id}: records {taken[token]!r} and {record.id!r} both map to OSCAL id {token!r}"
            )
        taken[token] = record.id
        ids[record.id] = token
    return ids


def one_line(text: str) -> str:
    """OSCAL titles and property values must be one line without surrounding whitespace."""
    return " ".join(text.split())


def prop(name: str, value: str, *, ns: str | None = NS, cls: str | None = None) -> JSON:
    out: JSON = {"name": name}
    if ns:
        out["ns"] = ns
    out["value"] = one_line(value)
    if cls:
        out["class"] = cls
    return out


def last_modified(sources: Iterable[Source]) -> str:
    """The newest source date as an OSCAL timestamp; a derived date keeps exports reproducible."""
    dates = [d for d in (_as_date(s.date) for s in sources) if d is not None]
    if not dates:
        raise ValueError("no source carries a date (YYYY-MM-DD); cannot date the OSCAL document")
    return f"{max(dates).isoformat()}T00:00:00Z"


def _as_date(text: str) -> date | None:
    match = _PARTIAL_DATE.match(text.strip())
    if not match:
        return None
    year, month, day = match.groups()
    try:
        return date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None


def metadata(
    title: str, version: str, sources: Iterable[Source], *, props: list[JSON] | None = None, remarks: str = ""
) -> JSON:
    out: JSON = {
        "title": one_line(title) or "Untitled",  # OSCAL requires a non-empty title
        "last-modified": last_modified(sources),
        "version": one_line(version) or "unversioned",
        "oscal-version": OSCAL_VERSION,
    }
    if props:
        out["props"] = props
    if remarks.strip():
        out["remarks"] = remarks.strip()
    return out


def catalog_remarks(catalog: Catalog) -> str:
    """The catalog's description and caveats as Markdown (OSCAL remarks are markup-multiline)."""
    lines = [catalog.description.strip()] if catalog.description.strip() else []
    if catalog.notes:
        lines += ["", "Notes:", "", *(f"- {one_line(note)}" for note in catalog.notes)]
    return "\n".join(lines)


def resource_uuid(catalog_id: str, source_key: str) -> str:
    return stable_uuid("resource", catalog_id, source_key)


def back_matter(catalog_id: str, sources: Mapping[str, Source]) -> JSON:
    """One resource per origin document, citing it and linking to the repository at the pinned commit."""
    resources = []
    for key, source in sources.items():
        rlinks = []
        # Only "owner/name" repositories live on GitHub; a publication pinned by content hash has no tree.
        if re.fullmatch(r"[\w.-]+/[\w.-]+", source.repository) and not source.commit.startswith("sha256:"):
            rlinks.append({"href": f"https://github.com/{source.repository}/tree/{source.commit}"})
        if source.url and all(link["href"] != source.url for link in rlinks):
            rlinks.append({"href": source.url})
        props = [
            prop("source-key", key),
            prop("source-commit", source.commit),
            prop("source-status", source.status),
        ]
        resource: JSON = {
            "uuid": resource_uuid(catalog_id, key),
            "title": one_line(f"{source.publication} ({source.version})"),
            "props": [p for p in props if p["value"]],
            "citation": {
                "text": one_line(
                    f"{source.publication}, {source.version}, {source.date}; "
                    f"{source.repository} at commit {source.short_commit}"
                )
            },
        }
        if rlinks:
            resource["rlinks"] = rlinks
        if source.status == "draft":
            resource["remarks"] = "NIST marked this document as a draft."
        resources.append(resource)
    return {"resources": resources} if resources else {}
