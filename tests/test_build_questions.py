"""The NISTIR 8259 question set against an independent scan of the seed text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tools.catalogbuild import questions
from tools.catalogbuild.common import CatalogDoc

PER_SECTION = {
    "3.1": 9,
    "3.2": 7,
    "3.3": 3,
    "3.4": 10,
    "4.1": 5,
    "4.2.1": 4,
    "4.2.2": 5,
    "4.2.3": 8,
    "4.2.4": 6,
    "4.2.5": 2,
    "4.2.6": 4,
}


@pytest.fixture(scope="module")
def doc(sources: Path) -> CatalogDoc:
    return questions.build(sources)


@pytest.fixture(scope="module")
def seed_lines(sources: Path) -> list[str]:
    return (sources.parent / "seeds" / questions.SEED_NAME).read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def body(seed_lines: list[str]) -> list[str]:
    """From the body heading of 3.1 (the contents list repeats it with a page number) to the conclusion."""
    start = seed_lines.index("3.1 Activity 1: Identify Expected Customers and Define Expected Use Cases")
    end = seed_lines.index("5 Conclusion")
    assert start < end
    return seed_lines[start:end]


def of_kind(doc: CatalogDoc, kind: str) -> list[dict[str, object]]:
    return [r for r in doc.records if r["kind"] == kind]


def test_every_numbered_question_is_present_in_order(doc: CatalogDoc, body: list[str]) -> None:
    asked = [m.group(1) for line in body if (m := re.match(r"^\d+\. \*\*(.+?\?)\*\*", line))]
    titles = [r["title"] for r in of_kind(doc, "question")]
    assert len(asked) == 59  # 60 numbered items; 4.2.6 item 1 is a stem without "?"
    positions = [titles.index(q) for q in asked]
    assert positions == sorted(positions)


def test_every_bold_question_in_prose_is_present(doc: CatalogDoc, body: list[str]) -> None:
    prose = [
        q
        for line in body
        if not re.match(r"^\s*(\d+\.|-) ", line)
        for q in re.findall(r"\*\*([^*]+\?)\*\*", line)
    ]
    assert prose == [r["title"] for r in of_kind(doc, "question") if r["props"]["section"] == "3.3"]  # type: ignore[index]


def test_lettered_parts_are_sub_questions(doc: CatalogDoc, body: list[str]) -> None:
    parts = [m.group(1) for line in body if (m := re.match(r"^\s*- [a-z]\. \*\*(.+?)\*\*", line))]
    subs = of_kind(doc, "sub-question")
    assert [str(r["title"]).removeprefix("Which technical means can be provided ") for r in subs] == parts
    assert [r["id"] for r in subs] == ["Q4.2.6-1.a", "Q4.2.6-1.b", "Q4.2.6-1.c"]
    assert all(r["parent"] == "Q4.2.6-1" for r in subs)


def test_counts_per_section(doc: CatalogDoc) -> None:
    found: dict[str, int] = {}
    for record in of_kind(doc, "question"):
        section = str(record["parent"]).removeprefix("S")
        found[section] = found.get(section, 0) + 1
    assert found == PER_SECTION
    assert sum(found.values()) == 63
    assert [r["id"] for r in of_kind(doc, "activity")] == ["A1", "A2", "A3", "A4", "A5", "A6"]
    assert [r["id"] for r in of_kind(doc, "section")] == [f"S{s}" for s in PER_SECTION]


def test_ids_are_unique_and_in_document_order(doc: CatalogDoc) -> None:
    ids = [r["id"] for r in doc.records]
    assert len(ids) == len(set(ids))
    lines = [r["line"] for r in doc.records if r["kind"] in ("question", "sub-question")]
    assert lines == sorted(lines)
    for section, count in PER_SECTION.items():
        in_section = [r["id"] for r in of_kind(doc, "question") if r["parent"] == f"S{section}"]
        assert in_section == [f"Q{section}-{n}" for n in range(1, count + 1)]


def test_lines_point_at_the_question(doc: CatalogDoc, seed_lines: list[str]) -> None:
    for record in doc.records:
        if record["kind"] not in ("question", "sub-question"):
            continue
        bold = re.search(r"\*\*(.+?)\*\*", seed_lines[record["line"] - 1])
        assert bold, record["id"]
        assert bold.group(1) in record["title"], record["id"]


def test_two_lists_in_3_1_and_3_4(doc: CatalogDoc) -> None:
    def lists(section: str) -> list[tuple[str, str]]:
        return [
            (r["props"]["list"], r["props"]["number"])
            for r in doc.records
            if r.get("parent") == f"S{section}"
        ]

    assert lists("3.1") == [("customers", "1"), ("customers", "2")] + [
        ("use-cases", str(n)) for n in range(1, 8)
    ]
    assert lists("3.4") == [("resources", str(n)) for n in range(1, 5)] + [
        ("development", str(n)) for n in range(1, 7)
    ]


def test_page_breaks_and_footnotes_are_repaired(doc: CatalogDoc) -> None:
    third_party = doc.get("Q3.4-7")
    assert third_party["props"]["examples"] == [
        "check for known vulnerabilities that are not yet fixed",
        "review or analyze human-readable code",
        "test executable code",
    ]
    assert "customer expectations and conventions so they can be mindful" in doc.get("Q3.2-3")["text"]
    assert len(doc.get("Q3.2-2")["props"]["examples"]) == 6  # one bullet lost its indent at a page break
    assert "visibility into the device. For an IoT device" in doc.get("Q3.2-2")["props"]["examples"][0]
    everything = " ".join(str(r.get("text", "")) + str(r.get("title", "")) for r in doc.records)
    assert not re.search(r"[¹²³⁴⁵⁶⁷⁸⁹⁰*]", everything)
    assert "secure software development practices can consult" not in everything


def test_examples_options_and_footnotes(doc: CatalogDoc) -> None:
    assert doc.get("Q3.1-1")["props"]["examples"][0] == "musicians"
    assert doc.get("Q3.1-3")["props"]["examples"][-1] == "private or commercial use"
    assert "examples" not in doc.get("Q3.1-8")["props"]  # "(i.e., …)" explains, it gives no examples
    assert len(doc.get("Q3.3-1")["props"]["options"]) == 5
    assert len(doc.get("Q3.3-2")["props"]["examples"]) == 5
    assert "number" not in doc.get("Q3.3-2")["props"]
    assert "SBOM" in doc.get("Q4.2.3-4")["props"]["footnotes"][0]
    assert doc.get("Q4.2.6-1")["props"]["parts"][0].endswith("(device cybersecurity capabilities)?")


def test_provenance(doc: CatalogDoc, sources: Path) -> None:
    for record in doc.records:
        assert record["path"] == "../seeds/003_916d796199ddb2ce.txt"
        assert (sources / record["path"]).is_file()
        assert record["source"] == "nistir-8259"
