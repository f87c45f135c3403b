"""Build the SP 800-53 Rev. 5 control catalog from NIST's OSCAL catalog and SP 800-53B baseline profiles.

Records are families (``AC``), controls (``ac-2``) and enhancements (``ac-2.1``), keyed on the OSCAL
``id`` because every NIST mapping we ship names controls that way. JSON has no meaningful line
numbers, so records carry the file path only.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.catalogbuild.common import BuildError, CatalogDoc, SourceDoc, clean_text, rel

OSCAL_DIR = "nist-sp800-53-rev5-oscal/5.0.1_a849dbc"
CATALOG_FILE = "NIST_SP-800-53_rev5_catalog.json"
BASELINES = ("LOW", "MODERATE", "HIGH", "PRIVACY")
COMMIT = "a849dbca4649"
REPOSITORY = "usnistgov/oscal-content"
REPO_DIR = "nist.gov/SP800-53/rev5/json"

_INSERT_RE = re.compile(r"\{\{\s*insert:\s*param,\s*([A-Za-z0-9_.\-]+)\s*\}\}")
# Parameters can nest (a selection whose choice holds an assignment); NIST nests two deep at most.
_MAX_PARAM_DEPTH = 5


def profile_file(baseline: str) -> str:
    return f"NIST_SP-800-53_rev5_{baseline}-baseline_profile.json"


def load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise BuildError(f"{path}: not found") from err
    except json.JSONDecodeError as err:
        raise BuildError(f"{path}:{err.lineno}: not valid JSON ({err.msg})") from err


def build(sources: Path) -> CatalogDoc:
    oscal = sources / OSCAL_DIR
    catalog_path = oscal / CATALOG_FILE
    catalog = load_json(catalog_path).get("catalog")
    if not isinstance(catalog, dict) or not catalog.get("groups"):
        raise BuildError(f"{catalog_path}: no OSCAL catalog with groups")
    version = str(catalog.get("metadata", {}).get("version", ""))
    date = str(catalog.get("metadata", {}).get("last-modified", ""))[:10]
    doc = CatalogDoc(
        id="sp800-53r5",
        title="NIST SP 800-53 Rev. 5: Security and Privacy Controls for Information Systems and "
        "Organizations",
        kind="control-catalog",
        publication="NIST SP 800-53 Rev. 5",
        version=version,
        description=(
            "SP 800-53 Rev. 5 families, controls and control enhancements from NIST's OSCAL catalog, "
            "with the SP 800-53B LOW, MODERATE, HIGH and PRIVACY baselines from NIST's OSCAL profiles."
        ),
    )
    doc.add_source(
        _source("catalog", "NIST SP 800-53 Rev. 5", version, date, f"blob/{COMMIT}/{REPO_DIR}/{CATALOG_FILE}")
    )
    # The four profiles sit side by side at the same commit; the source names their folder.
    doc.add_source(_source("baselines", "NIST SP 800-53B", version, date, f"tree/{COMMIT}/{REPO_DIR}"))
    doc.notes.extend(
        [
            "Record text is the first level of each control statement only; parameters are shown as "
            "[Assignment: …] or [Selection: …] and are not resolved. Discussion, sub-items and assessment "
            "objectives are in the publication.",
            "Baselines come from the SP 800-53B OSCAL profiles; PRIVACY is meant to be applied together "
            "with one of the security baselines.",
            "Withdrawn controls keep their IDs and titles; props name the controls they were "
            "incorporated into or moved to.",
        ]
    )
    memberships = _baseline_memberships(oscal)
    context = _Context(rel(catalog_path, sources), _collect_params(catalog["groups"]), memberships)
    for group in catalog["groups"]:
        _add_family(doc, group, context)
    _check_baselines(doc, memberships)
    doc.baselines = {name: [r["id"] for r in doc.records if name in _baselines_of(r)] for name in BASELINES}
    return doc


@dataclass(frozen=True)
class _Context:
    """What every record of the catalog shares: its file, the parameters and baseline memberships."""

    path: str
    params: dict[str, dict[str, Any]]
    memberships: dict[str, list[str]]


def _source(key: str, publication: str, version: str, date: str, where: str) -> SourceDoc:
    return SourceDoc(
        key=key,
        publication=publication,
        version=version,
        date=date,
        repository=REPOSITORY,
        commit=COMMIT,
        url=f"https://github.com/{REPOSITORY}/{where}",
    )


def _baseline_memberships(oscal: Path) -> dict[str, list[str]]:
    """Control ID -> the baselines that select it, read from the profiles' ``include-controls``."""
    memberships: dict[str, list[str]] = {}
    for name in BASELINES:
        path = oscal / profile_file(name)
        profile = load_json(path).get("profile", {})
        ids = [
            control_id
            for imported in profile.get("imports", [])
            for include in imported.get("include-controls", [])
            for control_id in include.get("with-ids", [])
        ]
        if not ids:
            raise BuildError(f"{path}: profile selects no controls")
        for control_id in ids:
            memberships.setdefault(control_id, []).append(name)
    return memberships


def _check_baselines(doc: CatalogDoc, memberships: dict[str, list[str]]) -> None:
    known = {r["id"] for r in doc.records}
    unknown = sorted(set(memberships) - known)
    if unknown:
        raise BuildError(f"{OSCAL_DIR}: baseline profiles name controls not in the catalog: {unknown}")


def _baselines_of(record: dict[str, Any]) -> list[str]:
    value = record.get("props", {}).get("baselines", [])
    return value if isinstance(value, list) else []


def _collect_params(groups: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """All parameters by ID: an enhancement's statement may insert a parameter of its base control."""
    params: dict[str, dict[str, Any]] = {}

    def walk(controls: list[dict[str, Any]]) -> None:
        for control in controls:
            for param in control.get("params", []):
                params[param["id"]] = param
            walk(control.get("controls", []))

    for group in groups:
        walk(group.get("controls", []))
    return params


def _add_family(doc: CatalogDoc, group: dict[str, Any], context: _Context) -> None:
    family = str(group["id"]).upper()
    doc.add(
        family,
        "family",
        source="catalog",
        path=context.path,
        line=None,
        title=group["title"],
        props={"family": family},
    )
    for control in group.get("controls", []):
        _add_control(doc, control, parent=family, kind="control", context=context)
        # SP 800-53 Rev. 5 enhancements do not nest further, so one level below the control is all.
        for enhancement in control.get("controls", []):
            _add_control(doc, enhancement, parent=control["id"], kind="enhancement", context=context)


def _add_control(
    doc: CatalogDoc, control: dict[str, Any], *, parent: str, kind: str, context: _Context
) -> None:
    control_id = control["id"]
    props = {p["name"]: p.get("value", "") for p in control.get("props", [])}
    if "label" not in props:
        raise BuildError(f"{context.path}: control {control_id!r} has no label prop")
    family = control_id.split("-", 1)[0].upper()
    withdrawn = props.get("status") == "withdrawn"
    record_props: dict[str, str | list[str]] = {
        "label": props["label"],
        "family": family,
        "withdrawn": "yes" if withdrawn else "no",
        "baselines": list(context.memberships.get(control_id, [])),
    }
    for relation in ("incorporated-into", "moved-to"):
        targets = _link_targets(control, relation)
        if targets:
            record_props[relation] = targets
    doc.add(
        control_id,
        kind,
        source="catalog",
        path=context.path,
        line=None,
        title=control["title"],
        text="" if withdrawn else statement_text(control, context.params),
        parent=parent,
        props=record_props,
    )


def _link_targets(control: dict[str, Any], relation: str) -> list[str]:
    """Control IDs a withdrawn control points to; ``#ac-2_smt.k`` names a statement part of ``ac-2``."""
    targets: list[str] = []
    for link in control.get("links", []):
        if link.get("rel") == relation:
            target = link["href"].lstrip("#").split("_", 1)[0]
            if target not in targets:
                targets.append(target)
    return targets


def statement_text(control: dict[str, Any], params: dict[str, dict[str, Any]]) -> str:
    """The statement's own prose and its first-level items (``a. …``), parameters shown, not resolved."""
    for part in control.get("parts", []):
        if part.get("name") != "statement":
            continue
        pieces = [part.get("prose", "")]
        for item in part.get("parts", []):
            label = next((p["value"] for p in item.get("props", []) if p["name"] == "label"), "")
            # Sub-items are left out to keep the shipped file small; the ellipsis says so.
            more = " …" if item.get("parts") else ""
            pieces.append(f"{label} {item.get('prose', '')}{more}")
        return clean_text(render_params(" ".join(pieces), params))
    return ""


def render_params(text: str, params: dict[str, dict[str, Any]], depth: int = 0) -> str:
    """Replace ``{{ insert: param, x }}`` the way the publication prints parameters."""
    if depth > _MAX_PARAM_DEPTH:
        raise BuildError(f"{OSCAL_DIR}/{CATALOG_FILE}: parameters nest too deeply in {text[:60]!r}")

    def show(match: re.Match[str]) -> str:
        param = params.get(match.group(1))
        if param is None:
            return f"[{match.group(1)}]"
        if "label" in param:
            return f"[Assignment: {param['label']}]"
        select = param.get("select", {})
        choices = "; ".join(clean_text(render_params(c, params, depth + 1)) for c in select.get("choice", []))
        many = " (one or more)" if select.get("how-many") == "one-or-more" else ""
        return f"[Selection{many}: {choices}]"

    return _INSERT_RE.sub(show, text)
