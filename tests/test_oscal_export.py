"""OSCAL export: every document validates against the shipped 1.2.1 schemas and matches its golden file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from golden import assert_golden
from securable.catalog.model import Catalog, catalog_from_json
from securable.errors import NotFoundError
from securable.oscal.export import (
    baseline_to_profile,
    catalog_href,
    catalog_to_oscal,
    dumps,
    mappings_to_oscal,
    sp800_53_baseline_to_profile,
)
from securable.oscal.validate import validate_document

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_DIR = ROOT / "src" / "securable" / "data" / "catalogs"
SHIPPED = sorted(p for p in SHIPPED_DIR.glob("*.json") if p.name != "index.json")

_PAGES = {
    "publication": "NIST IoT Device Cybersecurity Requirement Catalog",
    "version": "2021",
    "date": "2021-11-29",
    "repository": "usnistgov/IoT-Device-Cybersecurity-Requirement-Catalogs",
    "commit": "60ed8e6a802b0000000000000000000000000000",
    "url": "https://github.com/usnistgov/IoT-Device-Cybersecurity-Requirement-Catalogs",
}
_WORKBOOK = {**_PAGES, "publication": "DRAFT mapping workbooks", "date": "2021-04-21", "status": "draft"}


def _record(rid: str, kind: str, parent: str | None, line: int, **extra: Any) -> dict[str, Any]:
    path = "nist-iot-catalog-2021/pages/_Technical/identity.md"
    record: dict[str, Any] = {"id": rid, "kind": kind, "source": "pages", "path": path, "line": line, **extra}
    if parent:
        record["parent"] = parent
    return record


def demo_catalog() -> Catalog:
    """Four levels (capability > sub-capability > element > sub-element), mappings, links and props."""
    return catalog_from_json(
        {
            "format": 1,
            "id": "demo-213a",
            "title": "Demo device catalog",
            "kind": "capability-catalog",
            "publication": "Demo SP 800-213A",
            "version": "Nov 2021",
            "description": "A small catalog shaped like SP 800-213A.",
            "notes": ["Mappings are draft."],
            "sources": {"pages": _PAGES, "workbook": _WORKBOOK},
            "mapping_sources": {"sp800-53r5": "workbook", "csf-1.1": "workbook"},
            "records": [
                _record(
                    "DI",
                    "capability",
                    None,
                    3,
                    title="Device Identification",
                    text="The device can be identified.",
                ),
                _record("DI-1", "sub-capability", "DI", 7, title="Logical identification"),
                _record(
                    "DI-1.1",
                    "element",
                    "DI-1",
                    9,
                    text="The ability to uniquely identify the IoT device logically.",
                    mappings={"sp800-53r5": ["ia-3", "cm-8"], "csf-1.1": ["PR.AC-1"]},
                    links=[{"rel": "same-as", "target": "federal-profile-2020:FP-DI-1.1"}],
                    props={"actor": "manufacturer", "topics": ["identity", "inventory"]},
                ),
                _record(
                    "DI-1.2",
                    "element",
                    "DI-1",
                    11,
                    text="A persistent identifier.",
                    mappings={"sp800-53r5": ["ia-3"]},
                ),
                _record("DI-1.2.1", "sub-element", "DI-1.2", 12, text="The identifier survives a reset."),
                _record("DOC", "capability", None, 20, title="Documentation"),
                _record(
                    "DOC-1",
                    "sub-capability",
                    "DOC",
                    22,
                    title="Document assumptions",
                    props={"discussion": "Customers need to know what was assumed."},
                    links=[{"rel": "related", "target": "demo-213a:DI-1"}],
                ),
            ],
        }
    )


def demo_baseline() -> Catalog:
    return catalog_from_json(
        {
            "format": 1,
            "id": "demo-8259a",
            "title": "Demo core baseline",
            "kind": "baseline",
            "publication": "Demo NISTIR 8259A",
            "version": "May 2020",
            "description": "",
            "sources": {"pages": {**_PAGES, "date": "2020-05-29"}},
            "records": [
                _record("8259A-DI", "capability", None, 1, title="Device Identification"),
                _record(
                    "8259A-DI.1",
                    "element",
                    "8259A-DI",
                    2,
                    text="Unique logical identifier.",
                    links=[
                        {"rel": "realized-by", "target": "demo-213a:DI-1.1"},
                        {"rel": "realized-by", "target": "demo-213a:DI-1.2"},
                    ],
                ),
                _record(
                    "8259A-DI.2",
                    "element",
                    "8259A-DI",
                    3,
                    text="Unique physical identifier.",
                    links=[{"rel": "realized-by", "target": "demo-213a:DI-1.1"}],
                ),
            ],
        }
    )


def demo_controls() -> Catalog:
    return catalog_from_json(
        {
            "format": 1,
            "id": "demo-53",
            "title": "Demo control catalog",
            "kind": "control-catalog",
            "publication": "Demo SP 800-53",
            "version": "5.0.1",
            "description": "",
            "sources": {"pages": {**_PAGES, "date": "2020-12-10"}},
            "baselines": {"LOW": ["ac-2", "ia-3"], "MODERATE": ["ac-2", "ac-2.1", "ia-3"]},
            "records": [
                _record("AC", "family", None, 1, title="Access Control"),
                _record("ac-2", "control", "AC", 2, title="Account Management", text="Manage accounts."),
                _record("ac-2.1", "enhancement", "ac-2", 3, title="Automated Account Management"),
                _record("IA", "family", None, 4, title="Identification and Authentication"),
                _record("ia-3", "control", "IA", 5, title="Device Identification and Authentication"),
            ],
        }
    )


def assert_valid(doc: dict[str, Any], name: str) -> None:
    report = validate_document(doc, name=name)
    assert report.ok, "\n".join(map(str, report.problems))


# ---- the synthetic catalog --------------------------------------------------------------------


def test_catalog_export_validates_and_matches_golden() -> None:
    doc = catalog_to_oscal(demo_catalog())
    assert_valid(doc, "demo-213a catalog")
    assert_golden("oscal/demo-213a.oscal.json", dumps(doc))


def test_catalog_hierarchy_ids_and_provenance() -> None:
    catalog = catalog_to_oscal(demo_catalog())["catalog"]
    assert [g["id"] for g in catalog["groups"]] == ["di", "doc"]
    di_1 = catalog["groups"][0]["controls"][0]
    assert di_1["id"] == "di-1"
    assert [c["id"] for c in di_1["controls"]] == ["di-1.1", "di-1.2"]
    assert di_1["controls"][1]["controls"][0]["id"] == "di-1.2.1"
    element = di_1["controls"][0]
    props = {(p["name"], p["value"]) for p in element["props"]}
    assert ("label", "DI-1.1") in props
    assert {
        ("source-line", "9"),
        ("mapping", "ia-3"),
        ("actor", "manufacturer"),
        ("topics", "inventory"),
    } <= props
    assert element["parts"] == [
        {
            "id": "di-1.1_smt",
            "name": "statement",
            "prose": "The ability to uniquely identify the IoT device logically.",
        }
    ]
    assert {
        "href": "federal-profile-2020.oscal.json#fp-di-1.1",
        "rel": "same-as",
        "text": "federal-profile-2020:FP-DI-1.1",
    } in element["links"]
    guidance = catalog["groups"][1]["controls"][0]["parts"]
    assert guidance == [
        {"id": "doc-1_gdn", "name": "guidance", "prose": "Customers need to know what was assumed."}
    ]


def test_export_is_deterministic_and_dated_from_sources() -> None:
    first = dumps(catalog_to_oscal(demo_catalog()))
    assert first == dumps(catalog_to_oscal(demo_catalog()))
    metadata = json.loads(first)["catalog"]["metadata"]
    assert metadata["last-modified"] == "2021-11-29T00:00:00Z"  # the newest source date
    assert metadata["oscal-version"] == "1.2.1"


def test_ids_starting_with_a_digit_become_valid_tokens() -> None:
    doc = catalog_to_oscal(demo_baseline())
    assert_valid(doc, "demo-8259a catalog")
    assert doc["catalog"]["groups"][0]["id"] == "_8259a-di"


def test_baseline_profile_selects_realizing_records() -> None:
    doc = baseline_to_profile(demo_baseline(), catalog_href("demo-213a"))
    assert_valid(doc, "demo-8259a profile")
    assert_golden("oscal/demo-8259a.profile.oscal.json", dumps(doc))
    imports = doc["profile"]["imports"]
    assert imports == [
        {"href": "demo-213a.oscal.json", "include-controls": [{"with-ids": ["di-1.1", "di-1.2"]}]}
    ]
    alters = doc["profile"]["modify"]["alters"]
    assert [p["value"] for p in alters[0]["adds"][0]["props"]] == ["8259A-DI.1", "8259A-DI.2"]


def test_baseline_without_realized_by_links_is_refused() -> None:
    with pytest.raises(ValueError, match="no realized-by links"):
        baseline_to_profile(demo_controls(), "x.json")


@pytest.mark.parametrize("name", ["LOW", "moderate"])
def test_sp800_53_baseline_profiles(name: str) -> None:
    doc = sp800_53_baseline_to_profile(demo_controls(), name)
    assert_valid(doc, f"{name} profile")
    assert_golden(f"oscal/demo-53-{name.upper()}.profile.oscal.json", dumps(doc))


def test_unknown_sp800_53_baseline_suggests_the_known_ones() -> None:
    with pytest.raises(NotFoundError) as caught:
        sp800_53_baseline_to_profile(demo_controls(), "EXTREME")
    assert caught.value.suggestions == ["LOW", "MODERATE"]


@pytest.mark.parametrize("target", ["sp800-53r5", "csf-1.1"])
def test_mapping_collection(target: str) -> None:
    doc = mappings_to_oscal(demo_catalog(), target)
    assert_valid(doc, f"{target} mapping")
    assert_golden(f"oscal/demo-213a.{target}.mapping.oscal.json", dumps(doc))
    collection = doc["mapping-collection"]
    assert collection["provenance"]["status"] == "draft"
    assert "DRAFT" in collection["provenance"]["remarks"]


def test_mapping_collection_has_one_map_per_pair() -> None:
    maps = mappings_to_oscal(demo_catalog(), "sp800-53r5")["mapping-collection"]["mappings"][0]["maps"]
    pairs = [(m["sources"][0]["id-ref"], m["targets"][0]["id-ref"]) for m in maps]
    assert pairs == [("di-1.1", "ia-3"), ("di-1.1", "cm-8"), ("di-1.2", "ia-3")]
    assert {m["relationship"] for m in maps} == {"intersects-with"}
    assert len({m["uuid"] for m in maps}) == len(maps)


def test_mapping_to_an_unmapped_target_is_refused() -> None:
    with pytest.raises(NotFoundError) as caught:
        mappings_to_oscal(demo_catalog(), "iso-27001")
    assert caught.value.suggestions == ["csf-1.1", "sp800-53r5"]


# ---- the shipped catalogs ---------------------------------------------------------------------


def _exports(catalog: Catalog) -> list[tuple[str, dict[str, Any]]]:
    """Every OSCAL document Securable can make from one shipped catalog."""
    docs: list[tuple[str, dict[str, Any]]] = [("catalog", catalog_to_oscal(catalog))]
    if any(link.rel == "realized-by" for record in catalog for link in record.links):
        docs.append(("profile", baseline_to_profile(catalog, catalog_href("sp800-213a"))))
    docs += [(f"{name} profile", sp800_53_baseline_to_profile(catalog, name)) for name in catalog.baselines]
    targets = sorted({t for record in catalog for t in record.mappings})
    docs += [(f"{t} mapping", mappings_to_oscal(catalog, t)) for t in targets]
    return docs


# Every shipped catalog, baseline and mapping must export to schema-valid OSCAL.


def test_catalogs_ship() -> None:
    assert len(SHIPPED) == 6


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_catalog_exports_valid_oscal(path: Path) -> None:
    catalog = catalog_from_json(json.loads(path.read_bytes()))
    for what, doc in _exports(catalog):
        assert_valid(doc, f"{catalog.id} {what}")


@pytest.mark.parametrize("baseline", ["nistir-8259a", "nistir-8259b"])
def test_baseline_profiles_resolve_against_the_exported_catalog(tmp_path: Path, baseline: str) -> None:
    """Schema-valid is not enough: a profile must select controls its catalog really has."""
    from securable.catalog import load
    from securable.oscal.documents import oscal_document
    from securable.oscal.resolution.resolve import resolve_file

    (tmp_path / "sp800-213a.oscal.json").write_text(oscal_document(load("sp800-213a")), "utf-8")
    profile = tmp_path / f"{baseline}.oscal.json"
    profile.write_text(oscal_document(load(baseline)), "utf-8")
    resolved = resolve_file(profile)
    assert resolved.warnings == ()
    selected = set(resolved.control_ids())
    realizers = {link.target.partition(":")[2] for r in load(baseline) for link in r.links}
    catalog = load("sp800-213a")
    for record_id in realizers:  # every realizing record, or all of a realizing capability, is in
        record = catalog.get(record_id)
        assert record is not None
        wanted = [record] if record.parent else list(catalog.descendants(record_id))
        assert {r.id.lower() for r in wanted} <= selected
