"""Hand-made OSCAL inputs for the ``securable evaluate`` tests: requirements profiles and vendors'
component definitions, schema-valid and deterministic (UUIDs from names, fixed dates)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from securable.oscal.blocks import NS, stable_uuid

JSON = dict[str, Any]
CATALOG = "sp800-213a.oscal.json"
FEDERAL = "federal-profile-2020.oscal.json"
_META = {"last-modified": "2026-01-01T00:00:00Z", "version": "1", "oscal-version": "1.2.1"}


def requirement(
    control_id: str,
    *,
    status: str | None = "full",
    roles: Sequence[str] = ("provider",),
    means: Sequence[str] = (),
    status_prop: str = "means-status",
    statement_roles: Sequence[str] = (),
    text: str = "",
) -> JSON:
    """One implemented requirement; ``roles`` empty leaves responsible-roles out."""
    props = [{"name": "means", "ns": NS, "value": m} for m in means]
    if status is not None:
        props.append({"name": status_prop, "ns": NS, "value": status})
    out: JSON = {
        "uuid": stable_uuid("test-requirement", control_id, status or "", ",".join(roles), text),
        "control-id": control_id,
        "description": text or f"How {control_id} is met.",
    }
    if props:
        out["props"] = props
    if roles:
        out["responsible-roles"] = [{"role-id": r} for r in roles]
    if statement_roles:
        out["statements"] = [
            {
                "statement-id": f"{control_id}_smt",
                "uuid": stable_uuid("test-statement", control_id),
                "description": "Part of it.",
                "responsible-roles": [{"role-id": r} for r in statement_roles],
            }
        ]
    return out


def component(
    kind: str,
    title: str,
    *requirements: JSON,
    source: str = CATALOG,
    more: Sequence[tuple[str, Sequence[JSON]]] = (),
) -> JSON:
    """A component with one control implementation against ``source``, and ``more`` (source, reqs)."""
    out: JSON = {
        "uuid": stable_uuid("test-component", kind, title),
        "type": kind,
        "title": title,
        "description": f"{title}.",
    }
    implementations: list[tuple[str, Sequence[JSON]]] = [(source, requirements)] if requirements else []
    implementations += more
    if implementations:
        out["control-implementations"] = [
            {
                "uuid": stable_uuid("test-implementation", title, where),
                "source": where,
                "description": f"How {title} meets the catalog.",
                "implemented-requirements": list(found),
            }
            for where, found in implementations
        ]
    return out


def component_definition(title: str, *components: JSON, manufacturer: str | None = None) -> JSON:
    metadata: JSON = {"title": title, **_META}
    if manufacturer:
        metadata["parties"] = [
            {"uuid": stable_uuid("test-party", manufacturer), "type": "organization", "name": manufacturer}
        ]
    return {
        "component-definition": {
            "uuid": stable_uuid("test-component-definition", title),
            "metadata": metadata,
            "components": list(components),
        }
    }


def requirements_profile(
    capabilities: Iterable[str],
    agency: Iterable[str] = (),
    *,
    calls: dict[str, list[str]] | None = None,
    added: dict[str, str] | None = None,
    title: str = "Test requirements",
) -> JSON:
    """A profile over the shipped catalogs selecting ``capabilities`` and ``agency`` (OSCAL ids)."""
    imports = [{"href": CATALOG, "include-controls": [{"with-ids": list(capabilities)}]}]
    agency = list(agency)
    if agency:
        imports.append({"href": FEDERAL, "include-controls": [{"with-ids": agency}]})
    alters = []
    for control, controls in (calls or {}).items():
        props: list[JSON] = [
            {"name": "called-for-by", "ns": NS, "value": c, "class": "nist-mapping"} for c in controls
        ]
        if added and control in added:
            props.append({"name": "tailoring", "ns": NS, "value": "added", "remarks": added[control]})
        alters.append({"control-id": control, "adds": [{"position": "ending", "props": props}]})
    body: JSON = {
        "uuid": stable_uuid("test-profile", title),
        "metadata": {
            "title": title,
            **_META,
            "props": [{"name": "control-source", "ns": NS, "value": "SP 800-53 Rev. 5 TEST baseline"}],
        },
        "imports": imports,
        "merge": {"as-is": True},
    }
    if alters:
        body["modify"] = {"alters": alters}
    return {"profile": body}


def write(path: Path, doc: object) -> Path:
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return path
