"""Export Securable catalogs as OSCAL 1.2.1 JSON documents (plain dicts, ready for ``json.dumps``).

* :func:`catalog_to_oscal`: a catalog; top-level records become groups, everything below them controls.
* :func:`baseline_to_profile`: NISTIR 8259A/8259B as a profile selecting the SP 800-213A records that
  realize them; :func:`sp800_53_baseline_to_profile`: the SP 800-53B baselines as profiles.
* :func:`mappings_to_oscal`: a catalog's mappings to SP 800-53 Rev. 5 or CSF 1.1 as a mapping-collection.

Documents refer to each other by file name (:func:`catalog_href`), so writing every export into one
folder gives a set whose references resolve. Output is deterministic: see ``_common``.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping

from securable.catalog.model import Catalog, Record, Source
from securable.errors import NotFoundError
from securable.oscal.blocks import (
    JSON,
    NS,
    back_matter,
    catalog_remarks,
    is_token,
    metadata,
    one_line,
    oscal_id,
    oscal_ids,
    prop,
    resource_uuid,
    stable_uuid,
)

# Mapping targets: display name and where the target catalog lives. SP 800-53 points at our own
# export, which keeps NIST's OSCAL control ids, so NIST's catalog can be swapped in unchanged. CSF 1.1
# has no OSCAL catalog from NIST; its DOI identifies the publication whose subcategory IDs we cite.
MAPPING_TARGETS: dict[str, tuple[str, str]] = {
    "sp800-53r5": ("NIST SP 800-53 Rev. 5", "sp800-53r5.oscal.json"),
    "csf-1.1": ("NIST Cybersecurity Framework 1.1", "https://doi.org/10.6028/NIST.CSWP.04162018"),
}
# Record props that hold prose rather than a value: they become a guidance part, not a prop.
_GUIDANCE_PROPS = ("discussion", "guidance")


def catalog_href(catalog_id: str) -> str:
    """The file name an exported catalog is written to and referred to by the other exports."""
    return f"{catalog_id}.oscal.json"


def dumps(doc: JSON) -> str:
    """The canonical text of an exported document: stable key order as built, UTF-8, newline at the end."""
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


# ---- catalogs -------------------------------------------------------------------------------------


def catalog_to_oscal(catalog: Catalog, *, link_into: Collection[str] | None = None) -> JSON:
    """``catalog`` as an OSCAL catalog; its links point into the sibling exports of other catalogs.

    ``link_into`` names the catalogs exported beside this one when that is not all of them (a
    customer package ships a few): links into any other catalog are left out rather than left
    dangling.
    """
    ids = oscal_ids(catalog)
    body: JSON = {
        "uuid": stable_uuid("catalog", catalog.id),
        "metadata": metadata(
            catalog.title,
            catalog.version,
            catalog.sources.values(),
            props=_catalog_props(catalog),
            remarks=catalog_remarks(catalog),
        ),
    }
    groups = [_group(catalog, root, ids, link_into) for root in catalog.roots()]
    if groups:
        body["groups"] = groups
    matter = back_matter(catalog.id, catalog.sources)
    if matter:
        body["back-matter"] = matter
    return {"catalog": body}


def _catalog_props(catalog: Catalog) -> list[JSON]:
    return [
        prop("catalog-id", catalog.id),
        prop("catalog-kind", catalog.kind),
        *([prop("publication", catalog.publication)] if catalog.publication.strip() else []),
    ]


def _group(
    catalog: Catalog, record: Record, ids: Mapping[str, str], link_into: Collection[str] | None
) -> JSON:
    # A group's text introduces what it holds: OSCAL names such a part "overview", not "statement".
    group = _fields(catalog, record, ids, link_into, text_part=("overview", "ovw"))
    controls = [_control(catalog, child, ids, link_into) for child in catalog.children(record.id)]
    if controls:
        group["controls"] = controls
    return group


def _control(
    catalog: Catalog, record: Record, ids: Mapping[str, str], link_into: Collection[str] | None
) -> JSON:
    control = _fields(catalog, record, ids, link_into, text_part=("statement", "smt"))
    children = [_control(catalog, child, ids, link_into) for child in catalog.children(record.id)]
    if children:
        control["controls"] = children
    return control


def _fields(
    catalog: Catalog,
    record: Record,
    ids: Mapping[str, str],
    link_into: Collection[str] | None,
    *,
    text_part: tuple[str, str],
) -> JSON:
    """What groups and controls share, in the property order of the OSCAL schema."""
    oid = ids[record.id]
    out: JSON = {"id": oid}
    if is_token(record.kind):
        out["class"] = record.kind
    out["title"] = one_line(record.label) or record.id
    out["props"] = _record_props(record)
    out["links"] = _record_links(catalog, record, link_into)
    parts = []
    name, suffix = text_part
    if record.text.strip():
        # Part ids follow NIST's "<control>_smt" convention; record IDs never contain "_", so no clash.
        parts.append({"id": f"{oid}_{suffix}", "name": name, "prose": record.text.strip()})
    guidance = [v.strip() for k in _GUIDANCE_PROPS if isinstance(v := record.props.get(k), str) and v.strip()]
    if guidance:
        parts.append({"id": f"{oid}_gdn", "name": "guidance", "prose": "\n\n".join(guidance)})
    if parts:
        out["parts"] = parts
    return out


def _record_props(record: Record) -> list[JSON]:
    where = record.provenance
    # "label" without a namespace is OSCAL's own property for the human-facing identifier (NIST: "AC-2").
    props = [prop("label", record.id, ns=None), prop("source-path", where.path)]
    if where.line:
        props.append(prop("source-line", str(where.line)))
    if where.source.commit:
        props.append(prop("source-commit", where.source.commit))
    for target, values in record.mappings.items():
        # Mappings stay props here; the mapping-collection export carries them with relationship types.
        props += [prop("mapping", v, cls=target if is_token(target) else None) for v in values]
    for key, value in record.props.items():
        if key in _GUIDANCE_PROPS and isinstance(value, str):
            continue
        name = key if is_token(key) else "record-prop"
        values = (value,) if isinstance(value, str) else value
        props += [prop(name, v) for v in values]
    # OSCAL property values may not be empty (StringDatatype); an empty value says nothing anyway.
    return [p for p in props if p["value"]]


def _record_links(catalog: Catalog, record: Record, link_into: Collection[str] | None) -> list[JSON]:
    # First the origin document in back-matter ("reference" is OSCAL's rel for citations), then the
    # record's typed relations, pointing into the sibling export of the target catalog.
    links: list[JSON] = [
        {"href": f"#{resource_uuid(catalog.id, record.provenance.source.key)}", "rel": "reference"}
    ]
    for link in record.links:
        target_catalog, sep, target_id = link.target.partition(":")
        if not sep:
            target_catalog, target_id = catalog.id, link.target
        if link_into is not None and target_catalog != catalog.id and target_catalog not in link_into:
            continue
        fragment = f"#{oscal_id(target_id)}"
        href = fragment if target_catalog == catalog.id else catalog_href(target_catalog) + fragment
        links.append(
            {"href": href, "rel": link.rel if is_token(link.rel) else "related", "text": link.target}
        )
    return links


# ---- profiles ------------------------------------------------------------------------------------


def baseline_to_profile(baseline: Catalog, target_catalog_href: str) -> JSON:
    """A profile selecting the records that the baseline's ``realized-by`` links point to.

    Each selected control also gets a ``realizes`` property naming the baseline element(s) it
    realizes, so the resolved catalog still says why a control is in it.
    """
    realized: dict[str, list[str]] = {}  # OSCAL id -> baseline record IDs, in baseline order
    whole: set[str] = set()  # controls selected with all their descendants (a realizing capability)
    targets: set[str] = set()
    for record in baseline.records:
        for link in record.links:
            if link.rel != "realized-by":
                continue
            target_catalog, sep, target_id = link.target.partition(":")
            if not sep:
                raise ValueError(
                    f"{baseline.id}:{record.id}: realized-by target {link.target!r} names no catalog"
                )
            targets.add(target_catalog)
            for control_id, entire in _selectable(target_catalog, target_id):
                realized.setdefault(control_id, []).append(record.id)
                if entire:
                    whole.add(control_id)
    if not realized:
        raise ValueError(f"{baseline.id} has no realized-by links; there is nothing for a profile to select")
    if len(targets) > 1:
        raise ValueError(f"{baseline.id} is realized by several catalogs ({', '.join(sorted(targets))})")
    (target,) = targets
    include: list[JSON] = (
        [{"with-ids": [c for c in realized if c not in whole]}] if len(whole) < len(realized) else []
    )
    if whole:
        include.append({"with-child-controls": "yes", "with-ids": [c for c in realized if c in whole]})
    remarks = (
        f"Selects the {target} records that NIST names as realizing the elements of {baseline.publication}. "
        f"Each selected control gains a `realizes` property ({NS}) naming those elements."
    )
    return {
        "profile": {
            "uuid": stable_uuid("profile", baseline.id),
            "metadata": metadata(
                baseline.title,
                baseline.version,
                baseline.sources.values(),
                props=_catalog_props(baseline),
                remarks="\n\n".join(r for r in (catalog_remarks(baseline), remarks) if r),
            ),
            "imports": [{"href": target_catalog_href, "include-controls": include}],
            # as-is keeps the target catalog's group/control hierarchy in the resolved profile.
            "merge": {"as-is": True},
            "modify": {
                "alters": [
                    {
                        "control-id": cid,
                        "adds": [{"position": "ending", "props": [prop("realizes", b) for b in bids]}],
                    }
                    for cid, bids in realized.items()
                ]
            },
            **_back_matter_field(baseline.id, baseline.sources),
        }
    }


def _selectable(catalog_id: str, record_id: str) -> list[tuple[str, bool]]:
    """The OSCAL controls that stand for a record: itself, or, for a top-level record (exported as a
    group, which a profile cannot select), each of its children together with all their descendants.
    """
    from securable.catalog.store import load
    from securable.errors import NotFoundError

    try:
        catalog = load(catalog_id)
    except NotFoundError:  # not a shipped catalog (e.g. one built in a test): take the ID as it is
        return [(oscal_id(record_id), False)]
    record = catalog.get(record_id)
    if record is None or record.parent is not None:
        return [(oscal_id(record_id), False)]
    return [(oscal_id(child.id), True) for child in catalog.children(record_id)]


def sp800_53_baseline_to_profile(catalog: Catalog, name: str, *, href: str | None = None) -> JSON:
    """One SP 800-53B baseline (LOW, MODERATE, HIGH, PRIVACY) of the SP 800-53 catalog as a profile."""
    by_upper = {k.upper(): k for k in catalog.baselines}
    key = by_upper.get(name.strip().upper())
    if key is None:
        raise NotFoundError(f"{catalog.id} has no baseline {name!r}", suggestions=list(catalog.baselines))
    control_ids = catalog.baselines[key]
    unknown = [c for c in control_ids if c not in catalog]
    if unknown:
        raise ValueError(f"{catalog.id} baseline {key} names unknown controls: {', '.join(unknown[:10])}")
    title = f"{catalog.title}: {key} baseline"
    return {
        "profile": {
            "uuid": stable_uuid("profile", catalog.id, key),
            "metadata": metadata(
                title,
                catalog.version,
                catalog.sources.values(),
                props=[*_catalog_props(catalog), prop("baseline", key)],
            ),
            "imports": [
                {
                    "href": href or catalog_href(catalog.id),
                    "include-controls": [{"with-ids": [oscal_id(c) for c in control_ids]}],
                }
            ],
            "merge": {"as-is": True},
            **_back_matter_field(catalog.id, catalog.sources),
        }
    }


def _back_matter_field(catalog_id: str, sources: Mapping[str, Source]) -> JSON:
    matter = back_matter(catalog_id, sources)
    return {"back-matter": matter} if matter else {}


# ---- mappings ------------------------------------------------------------------------------------

# NIST's workbooks say only that an element and a control (or CSF subcategory) are related; they do
# not say one contains the other. Of the relationships the OSCAL mapping model defines (equivalent-to,
# equal-to, subset-of, superset-of, intersects-with), "intersects-with" is the only one that claims
# no more than that. "subset-of" would assert that meeting the control meets the whole element.
RELATIONSHIP = "intersects-with"


def mappings_to_oscal(catalog: Catalog, target: str, *, target_href: str | None = None) -> JSON:
    """The catalog's mappings to ``target`` (a key of :data:`MAPPING_TARGETS`) as a mapping-collection."""
    pairs = list(
        dict.fromkeys(
            (record.id, item) for record in catalog.records for item in record.mappings.get(target, ())
        )
    )
    if not pairs:
        present = sorted({t for record in catalog.records for t in record.mappings})
        raise NotFoundError(f"catalog {catalog.id} has no mappings to {target!r}", suggestions=present)
    target_title, default_href = MAPPING_TARGETS.get(target, (target, f"{target}.oscal.json"))
    ids = oscal_ids(catalog)
    source = catalog.sources.get(catalog.mapping_sources.get(target, ""))
    # Unknown origin is treated as draft: we must not present an unattributed mapping as final.
    draft = source is None or source.status == "draft"
    sources = {source.key: source} if source else dict(catalog.sources)
    origin = f"{source.publication} ({source.version})" if source else "an unrecorded source"
    remarks = (
        f"Copied unchanged from {origin}"
        + (", which NIST marked DRAFT; treat these mappings as draft." if draft else ".")
        + f" The relationship type ({RELATIONSHIP}) is Securable's reading: NIST states only that each"
        " pair is related."
    )
    maps = [
        {
            "uuid": stable_uuid("map", catalog.id, target, record_id, item),
            "relationship": RELATIONSHIP,
            "sources": [{"type": "control", "id-ref": ids[record_id]}],
            "targets": [{"type": "control", "id-ref": item}],
        }
        for record_id, item in pairs
    ]
    target_resource: JSON = {"type": "catalog", "href": target_href or default_href}
    if target == "csf-1.1":
        target_resource["remarks"] = (
            "CSF 1.1 has no NIST OSCAL catalog; id-refs are subcategory IDs as NIST writes them."
        )
    provenance: JSON = {
        "method": "human",  # NIST staff compiled the workbooks
        "matching-rationale": "semantic",  # pairs are matched on meaning, not on shared words
        "status": "draft" if draft else "complete",
        "mapping-description": f"{catalog.title} mapped to {target_title}.",
    }
    if source:
        provenance["links"] = [{"href": f"#{resource_uuid(catalog.id, source.key)}", "rel": "reference"}]
    provenance["remarks"] = remarks
    return {
        "mapping-collection": {
            "uuid": stable_uuid("mapping-collection", catalog.id, target),
            "metadata": metadata(
                f"{catalog.title} to {target_title} mapping",
                source.version if source else catalog.version,
                sources.values(),
                props=[*_catalog_props(catalog), prop("mapping-target", target)],
                remarks=remarks,
            ),
            "provenance": provenance,
            "mappings": [
                {
                    "uuid": stable_uuid("mapping", catalog.id, target),
                    "source-resource": {"type": "catalog", "href": catalog_href(catalog.id)},
                    "target-resource": target_resource,
                    "maps": maps,
                }
            ],
            **_back_matter_field(catalog.id, sources),
        }
    }
