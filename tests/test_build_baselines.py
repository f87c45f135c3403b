"""The NISTIR 8259A/8259B baselines against the sp800-213a build and the files they cite."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from tools.catalogbuild import baselines, sp800_213a
from tools.catalogbuild.common import BuildError, CatalogDoc

CAPABILITIES_8259A = ["DI", "DC", "DP", "LAI", "SU", "CSA"]
CAPABILITIES_8259B = ["DOC", "IQR", "IDS", "EA"]
ELEMENTS_8259A = {"DI": 2, "DC": 3, "DP": 3, "LAI": 3, "SU": 6, "CSA": 4}


@pytest.fixture(scope="module")
def catalog(sources: Path) -> CatalogDoc:
    return sp800_213a.build(sources)


@pytest.fixture(scope="module")
def core(sources: Path, catalog: CatalogDoc) -> CatalogDoc:
    return baselines.build_8259a(sources, catalog)


@pytest.fixture(scope="module")
def nontechnical(sources: Path, catalog: CatalogDoc) -> CatalogDoc:
    return baselines.build_8259b(sources, catalog)


def targets(record: dict[str, Any]) -> list[str]:
    return [link["target"] for link in record.get("links", []) if link["rel"] == "realized-by"]


def of_kind(doc: CatalogDoc, kind: str) -> list[dict[str, Any]]:
    return [r for r in doc.records if r["kind"] == kind]


def squash(text: str) -> str:
    """Compare text the way a reader would: no markdown, quotes or spacing differences."""
    text = re.sub(r"[*_`\[\]]|\([^)]*\.md[^)]*\)|\{[^}]*\}", "", text)
    return baselines.norm(text)


def test_capabilities(core: CatalogDoc, nontechnical: CatalogDoc) -> None:
    assert [r["id"] for r in of_kind(core, "capability")] == [f"8259A-{c}" for c in CAPABILITIES_8259A]
    assert [r["id"] for r in of_kind(nontechnical, "capability")] == [
        f"8259B-{c}" for c in CAPABILITIES_8259B
    ]
    assert [r["title"] for r in of_kind(nontechnical, "capability")] == [
        "Documentation",
        "Information and Query Reception",
        "Information Dissemination",
        "Education and Awareness",
    ]
    assert core.get("8259A-CSA")["title"] == "Cybersecurity State Awareness"


def test_elements(core: CatalogDoc) -> None:
    found: dict[str, int] = {}
    for record in of_kind(core, "element"):
        capability = record["parent"].removeprefix("8259A-")
        found[capability] = found.get(capability, 0) + 1
        assert record["id"] == f"{record['parent']}.{found[capability]}"
    assert found == ELEMENTS_8259A
    assert sum(found.values()) == 21


def test_every_link_target_exists(core: CatalogDoc, nontechnical: CatalogDoc, catalog: CatalogDoc) -> None:
    known = {f"sp800-213a:{r['id']}" for r in catalog.records}
    links = [t for doc in (core, nontechnical) for r in doc.records for t in targets(r)]
    assert links
    assert [t for t in links if t not in known] == []


def test_every_8259a_record_is_realized(core: CatalogDoc) -> None:
    assert [r["id"] for r in core.records if not targets(r)] == []
    for capability in of_kind(core, "capability"):
        assert targets(capability) == [f"sp800-213a:{capability['id'].removeprefix('8259A-')}"]


def test_capabilities_link_to_catalog_namesakes(core: CatalogDoc, catalog: CatalogDoc) -> None:
    for capability in of_kind(core, "capability"):
        target = catalog.get(targets(capability)[0].removeprefix("sp800-213a:"))
        assert target["kind"] == "capability"
        assert target["title"] == capability["title"]


def test_8259b_links_to_capability_and_every_sub_capability(
    nontechnical: CatalogDoc, catalog: CatalogDoc
) -> None:
    for capability in of_kind(nontechnical, "capability"):
        key = capability["id"].removeprefix("8259B-")
        subs = [r["id"] for r in catalog.records if r.get("parent") == key and r["kind"] == "sub-capability"]
        assert subs
        assert targets(capability) == [f"sp800-213a:{x}" for x in [key, *subs]]
    assert sum(len(targets(r)) for r in nontechnical.records) == 4 + 14


def test_stated_elements_match_their_catalog_record(core: CatalogDoc, catalog: CatalogDoc) -> None:
    for element in of_kind(core, "element"):
        if element["props"]["match"] != "stated" or element["source"] != "pages":
            continue
        first = catalog.get(targets(element)[0].removeprefix("sp800-213a:"))
        assert baselines.norm(element["text"]).startswith(baselines.norm(first["text"])), element["id"]


def test_text_is_where_provenance_says(core: CatalogDoc, nontechnical: CatalogDoc, sources: Path) -> None:
    workbook = openpyxl.load_workbook(sources / baselines.HISTORY_WORKBOOK, read_only=True)
    checked = 0
    for record in [*core.records, *nontechnical.records]:
        if not record.get("text"):
            continue
        if record["path"].endswith(".xlsx"):
            sheet, cell = record["props"]["workbook-cell"].rsplit("!", 1)
            assert int(re.sub(r"\D", "", cell)) == record["line"]
            value = workbook[sheet.strip("'")][cell].value
            assert squash(str(value)) == squash(record["text"]), record["id"]
        else:
            # A sub-capability's line is its heading; its statement follows within a few lines.
            lines = (sources / record["path"]).read_text("utf-8").splitlines()
            window = " ".join(lines[record["line"] - 1 : record["line"] + 3])
            assert squash(record["text"]).split(". ")[0] in squash(window), record["id"]
        checked += 1
    workbook.close()
    assert checked == 6 + 4 + 14  # capabilities, and the elements with NIST wording


def test_unmatched_statement_fails(sources: Path, catalog: CatalogDoc) -> None:
    broken = copy.deepcopy(catalog)
    record = next(
        r for r in broken.records if r.get("text", "").startswith("Ability to enable or disable updating")
    )
    record["text"] = "Ability to do something else."
    with pytest.raises(BuildError, match="enable or disable updating"):
        baselines.build_8259a(sources, broken)


def test_sources_and_notes(core: CatalogDoc, nontechnical: CatalogDoc) -> None:
    assert core.publication == "NISTIR 8259A (May 2020)"
    assert nontechnical.publication == "NISTIR 8259B (Aug 2021)"
    assert core.notes
    assert nontechnical.notes
    assert {"old": "Device Identity", "new": "Device Identification"}.items() <= core.crosswalk[0].items()
    for doc in (core, nontechnical):
        assert {r["source"] for r in doc.records} <= set(doc.sources)
