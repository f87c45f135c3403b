"""The requirements as an OSCAL profile over the shipped ``sp800-213a`` and ``federal-profile-2020`` catalogs.

* ``imports``: one per catalog, ``include-controls`` with the IDs of the required records (device
  capabilities and manufacturer support from SP 800-213A; Agency actions from the Federal Profile).
  ``merge: as-is`` keeps each catalog's capability structure in the resolved profile.
* ``modify.alters``: each required record gains one ``called-for-by`` property per calling control
  (class ``nist-mapping``, ``wording`` or ``policy``; the remarks explain the route and say whether
  NIST or Securable made the link), and ``tailoring=added`` with the agency's reason when added.
* ``metadata``: where the controls came from, one ``tailoring-dropped`` property per dropped record
  with the reason and the controls that called for it, and remarks with the method and caveats.
* ``back-matter``: the NIST sources of all three catalogs (and the input profile, if one was given).

Catalog hrefs are the file names ``securable catalog export --format oscal`` writes, so exporting the
catalogs next to the profile gives a set that resolves. The output is deterministic.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from securable import __version__
from securable import catalog as api
from securable.agency.requirements.derive import Call, Requirement, Requirements
from securable.agency.requirements.links import CAPABILITIES, CONTROLS, FEDERAL, THRESHOLD
from securable.errors import UsageError
from securable.oscal.blocks import back_matter, metadata, oscal_id, prop, stable_uuid
from securable.oscal.export import catalog_href
from securable.rendering.formats import RenderOptions

JSON = dict[str, Any]

DERIVED_NOTE = (
    "Securable-derived link, not NIST's: NIST published no control mappings for the 2020 Federal "
    "Profile's Agency actions."
)
NIST_NOTE = "NIST's draft mapping (2021-04-21 workbooks), unchanged."


def to_profile(req: Requirements) -> JSON:
    """The OSCAL profile document (``{"profile": {...}}``) for one set of requirements."""
    imports = [
        _import(CAPABILITIES, (*req.technical, *req.support)),
        _import(FEDERAL, req.agency),
    ]
    imports = [i for i in imports if i]
    if not imports:
        raise UsageError(
            f"{req.controls.title} calls for no requirement; there is no profile to write",
            hint="add requirements with --add ID=REASON, or use a baseline",
        )
    catalogs = [api.load(c) for c in (CAPABILITIES, FEDERAL, CONTROLS)]
    sources = [s for cat in catalogs for s in cat.sources.values()]
    body: JSON = {
        "uuid": stable_uuid("requirements", _fingerprint(req)),
        "metadata": metadata(
            f"IoT device requirements for the {req.controls.title}",
            f"securable-{__version__}",
            sources,
            props=_metadata_props(req),
            remarks=_remarks(req),
        ),
        "imports": imports,
        "merge": {"as-is": True},
        "modify": {"alters": [_alter(r) for r in (*req.technical, *req.support, *req.agency)]},
        "back-matter": {"resources": _resources(req, catalogs)},
    }
    return {"profile": body}


def render_profile(req: Requirements, options: RenderOptions) -> str:
    """The requirements as an OSCAL profile, the ``oscal`` format of the requirements report."""
    return dumps(to_profile(req))


def dumps(doc: JSON) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _import(catalog_id: str, items: Iterable[Requirement]) -> JSON:
    ids = [oscal_id(r.record.id) for r in items]
    if not ids:
        return {}
    return {"href": catalog_href(catalog_id), "include-controls": [{"with-ids": ids}]}


def _alter(req: Requirement) -> JSON:
    props = [_call_prop(c) for c in req.calls]
    if req.added:
        props.append({**prop("tailoring", "added"), "remarks": req.added})
    return {"control-id": oscal_id(req.record.id), "adds": [{"position": "ending", "props": props}]}


def _call_prop(call: Call) -> JSON:
    note = f"{DERIVED_NOTE} {call.note}." if call.derived else f"{NIST_NOTE} {call.note}."
    return {**prop("called-for-by", call.control, cls=call.route), "remarks": note}


def _metadata_props(req: Requirements) -> list[JSON]:
    controls = req.controls
    props = [
        prop("control-source", controls.title),
        prop("control-source-kind", controls.kind),
        prop("control-count", str(len(controls.controls))),
    ]
    for tailoring in req.tailoring:
        changed = ", ".join(tailoring.affected)
        props.append(
            {
                **prop(f"tailoring-{tailoring.action}", tailoring.ref),
                "remarks": f"{tailoring.reason}\n\n{changed}",
            }
        )
    for item, reason in req.dropped:
        called = ", ".join(c.label for c in item.calls) or "no control"
        props.append(
            {
                **prop("tailoring-dropped", item.record.qualified_id),
                "remarks": f"Dropped by the agency: {reason}\n\nCalled for by {called}.",
            }
        )
    return props


def _remarks(req: Requirements) -> str:
    lines = [
        f"Requirements Securable derived from the {len(req.controls.controls)} controls of the "
        f"{req.controls.title}.",
        "",
        f"- Device cybersecurity capabilities and manufacturer support: the {CAPABILITIES} records whose "
        "SP 800-53 Rev. 5 mappings name a control of the set. The mappings are NIST's DRAFT mappings.",
        f"- Agency actions: the {FEDERAL} Agency actions whose supporting capability has a "
        "Securable-derived link to a control of the set (NOT NIST's): shared wording with an "
        f"{CAPABILITIES} record NIST mapped (TF-IDF similarity at least {THRESHOLD}), or a title naming "
        "an SP 800-53 family, linked to that family's policy and procedures control (XX-1).",
        "- Each required record carries one called-for-by property per control, whose class says the "
        "route (nist-mapping, wording, policy).",
    ]
    if req.unlinked:
        lines.append(
            f"- No link could be derived for {', '.join(req.unlinked)}: review their Agency actions by hand."
        )
    if req.controls.warnings:
        lines += ["", "Resolution notes:", "", *(f"- {w}" for w in req.controls.warnings)]
    return "\n".join(lines)


def _resources(req: Requirements, catalogs: list[api.Catalog]) -> list[JSON]:
    resources: list[JSON] = []
    for cat in catalogs:
        resources += back_matter(cat.id, cat.sources).get("resources", [])
    if req.controls.kind == "profile":
        resources.append(
            {
                "uuid": stable_uuid("input-profile", req.controls.source),
                "title": f"Input profile: {req.controls.name}",
                "props": [prop("role", "control-source")],
                "rlinks": [{"href": quote(req.controls.name)}],
            }
        )
    return resources


def _fingerprint(req: Requirements) -> str:
    parts = [req.controls.kind, req.controls.name, *req.controls.controls]
    parts += [f"{t.action}:{t.ref}:{t.reason}" for t in req.tailoring]
    return "|".join(parts)
