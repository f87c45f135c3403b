"""The Federal Profile builder against the markdown pages and the seed page, read here in the simplest way."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from tools.catalogbuild import federal_profile, sp800_213a
from tools.catalogbuild.common import BuildError, CatalogDoc, clean_text

PAGES = Path("nist-federal-profile-2020/pages")
TECHNICAL = ["identity", "configuration", "protection", "logical", "update", "event", "security"]
NONTECHNICAL = [*TECHNICAL, "maintenance"]
SEED = Path("seeds/000_3a79ccec1d9d6d82.txt")  # relative to upstream/, the parent of upstream/sources
# Any markdown bullet, including the one written "-Example" without a space; never the "---" fences.
BULLET = re.compile(r"^\s*-\s?[^\s-]")
ACTION_KINDS = {"element", "sub-element", "manufacturer-action", "agency-action"}
HEADING_KINDS = {"sub-capability", "supporting-capability"}
# What each seed section became, read off the pages by hand: 13 sections went to the Maintenance page,
# one to Data Protection, nine stayed on Device Security.
EXPECTED_REVISIONS = {
    1: ("FPN-MA-5", "moved"),
    2: ("FPN-DP-7", "moved"),
    3: ("FPN-MA-6", "moved"),
    4: ("FPN-MA-7", "moved"),
    5: ("FPN-MA-8", "moved"),
    6: ("FPN-MA-9", "moved"),
    7: ("FPN-MA-10", "moved"),
    8: ("FPN-MA-11", "moved"),
    9: ("FPN-MA-1", "moved"),
    10: ("FPN-MA-2", "moved"),
    11: ("FPN-MA-3", "moved"),
    12: ("FPN-MA-4", "moved"),
    13: ("FPN-DS-1", "reworded"),
    14: ("FPN-DS-2", "reworded"),
    15: ("FPN-DS-3", "reworded"),
    16: ("FPN-DS-4", "unchanged"),
    17: ("FPN-DS-5", "unchanged"),
    18: ("FPN-MA-12", "moved"),
    19: ("FPN-MA-13", "moved"),
    20: ("FPN-DS-6", "unchanged"),
    21: ("FPN-DS-7", "unchanged"),
    22: ("FPN-DS-8", "unchanged"),
    23: ("FPN-DS-9", "reworded"),
}


@pytest.fixture(scope="module")
def later(sources: Path) -> CatalogDoc:
    """The sp800-213a build, which building the Federal Profile gives the other end of its same-as links."""
    return sp800_213a.build(sources)


@pytest.fixture(scope="module")
def doc(sources: Path, later: CatalogDoc) -> CatalogDoc:
    return federal_profile.build(sources, later)


@pytest.fixture(scope="module")
def by_id(doc: CatalogDoc) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in doc.records}


def words(text: str) -> str:
    return " ".join(text.split())


def body_lines(path: Path) -> list[str]:
    """The page's lines after its front matter."""
    lines = path.read_text(encoding="utf-8").splitlines()
    closing = lines.index("---", 1) if lines and lines[0] == "---" else -1
    return lines[closing + 1 :]


def seed_sections(path: Path) -> list[tuple[str, list[str], list[str]]]:
    """(heading, manufacturer bullets, agency bullets) per ``## `` section of the seed page."""
    sections: list[tuple[str, list[str], list[str]]] = []
    actor: list[str] | None = None
    for line in body_lines(path):
        if line.startswith("## "):
            sections.append((words(line[3:]), [], []))
            actor = None
        elif line.startswith("**Manufacturer"):
            actor = sections[-1][1]
        elif line.startswith("**Agency"):
            actor = sections[-1][2]
        elif actor is not None and BULLET.match(line):
            actor.append(words(line.strip()[1:]))
    return sections


def subtree(doc: CatalogDoc, root: str, actor: str) -> list[str]:
    """Texts of a record's descendants for one actor, in catalog (= source) order."""
    prefix = root + "."
    return [
        words(r["text"])
        for r in doc.records
        if r["id"].startswith(prefix) and r.get("props", {}).get("actor") == actor
    ]


def test_catalog_metadata(doc: CatalogDoc) -> None:
    assert doc.id == "federal-profile-2020"
    assert doc.kind == "capability-catalog"
    assert doc.title == "Federal Profile of the IoT Core Baseline: catalog (2020)"
    assert doc.publication == "NIST draft Federal Profile catalog (FederalProfile-8259A, 2020)"
    assert doc.version == "2020-08-11 (64d8e03)"
    assert set(doc.sources) == {"pages", "seed", "initial-import"}
    assert doc.sources["pages"].commit == "64d8e033801e4016dd7e97b74013c3b200857efc"
    assert doc.sources["pages"].status == "draft"
    assert any("sp800-213a" in note and "Agency actions" in note for note in doc.notes)
    pairs = {(c["old"], c["new"]) for c in doc.crosswalk}
    assert ("Device Identity", "Device Identification") in pairs
    assert ("Cybersecurity Event Awareness", "Cybersecurity State Awareness") in pairs
    moved = [c for c in doc.crosswalk if c["new"].startswith("Device Acquisition and Maintenance: ")]
    assert len(moved) == 13


def test_seed_page_has_23_sections(sources: Path) -> None:
    assert len(seed_sections(sources.parent / SEED)) == 23


@pytest.mark.parametrize("number", range(1, 24))
def test_seed_section_recorded_verbatim(
    doc: CatalogDoc, by_id: dict[str, dict[str, Any]], sources: Path, number: int
) -> None:
    heading, manufacturer, agency = seed_sections(sources.parent / SEED)[number - 1]
    record = by_id[f"FPN-SEED-{number}"]
    assert record["kind"] == "supporting-capability"
    assert record["parent"] == "FPN-SEED"
    assert record["title"] == heading
    assert record["source"] == "seed"
    assert subtree(doc, record["id"], "manufacturer") == manufacturer
    assert subtree(doc, record["id"], "agency") == agency


def test_seed_area(by_id: dict[str, dict[str, Any]]) -> None:
    area = by_id["FPN-SEED"]
    assert (area["kind"], area["title"]) == ("area", "Device Security (earlier revision, seed page)")
    assert area["path"] == SEED.as_posix()
    assert by_id["FPN-SEED-10"]["props"]["manufacturer_actions"] == "N/A"
    assert by_id["FPN-SEED-4.M1"]["props"]["actor"] == "manufacturer"
    assert by_id["FPN-SEED-4.A2"]["kind"] == "agency-action"
    assert by_id["FPN-SEED-13.A1.5"]["parent"] == "FPN-SEED-13.A1"


def page_files(sources: Path) -> list[Path]:
    technical = [sources / PAGES / "_Technical" / f"{stem}.md" for stem in TECHNICAL]
    nontechnical = [sources / PAGES / "_Nontechnical" / f"{stem}.md" for stem in NONTECHNICAL]
    return [*technical, *nontechnical, sources.parent / SEED]


def test_counts_match_headings_and_bullets(doc: CatalogDoc, sources: Path) -> None:
    for path in page_files(sources):
        lines = body_lines(path)
        headings = sum(line.startswith("## ") for line in lines)
        bullets = sum(bool(BULLET.match(line)) for line in lines)
        key = path.relative_to(sources.parent if path.name.startswith("000_") else sources).as_posix()
        records = [r for r in doc.records if r["path"] == key]
        forms = Counter(r.get("props", {}).get("source_form") for r in records)
        text_bullets = sum(len(r.get("props", {}).get("text_bullets", [])) for r in records)
        assert sum(r["kind"] == "area" for r in records) == 1, key
        titled = [r for r in records if r["kind"] in HEADING_KINDS and "title" in r]
        assert len(titled) == headings, key
        # Paragraph-form actions are not bullets; bullets inside a description are not actions.
        as_bullets = [
            r
            for r in records
            if r["kind"] in ACTION_KINDS and r.get("props", {}).get("source_form") != "paragraph"
        ]
        assert len(as_bullets) == bullets - text_bullets, key
        assert (
            len(records) == 1 + headings + forms["no-heading"] + bullets - text_bullets + forms["paragraph"]
        ), key


def test_kinds_per_area(doc: CatalogDoc) -> None:
    kinds: dict[str, set[str]] = {}
    for record in doc.records:
        area = record["id"] if record["kind"] == "area" else record["id"].split(".")[0].rsplit("-", 1)[0]
        kinds.setdefault(area, set()).add(record["kind"])
    assert kinds["FP-DI"] == {"area", "sub-capability", "element", "sub-element"}
    assert kinds["FP-DC"] == {"area", "sub-capability"}  # the page has no bullets
    for prefix in ("DI", "DC", "DP", "LAI", "SU", "CEA", "DS", "MA", "SEED"):
        assert kinds[f"FPN-{prefix}"] == {
            "area",
            "supporting-capability",
            "manufacturer-action",
            "agency-action",
        }


def test_actions_carry_their_actor(doc: CatalogDoc) -> None:
    for record in doc.records:
        if record["kind"] in {"manufacturer-action", "agency-action"}:
            actor = record["props"]["actor"]
            assert record["kind"] == f"{actor}-action"
            letter = "M" if actor == "manufacturer" else "A"
            assert re.fullmatch(rf"FPN-[A-Z]+-\d+\.{letter}\d+(\.\d+)*", record["id"]), record["id"]


def test_ids_unique_and_parents_first(doc: CatalogDoc) -> None:
    seen: set[str] = set()
    for record in doc.records:
        assert record["id"] not in seen, record["id"]
        if "parent" in record:
            assert record["parent"] in seen, record["id"]
            assert record["id"].startswith(record["parent"]), record["id"]
        seen.add(record["id"])


def test_revision_links_come_in_pairs(doc: CatalogDoc, by_id: dict[str, dict[str, Any]]) -> None:
    def links(rel: str) -> set[tuple[str, str]]:
        return {
            (f"{doc.id}:{r['id']}", ln["target"])
            for r in doc.records
            for ln in r.get("links", [])
            if ln["rel"] == rel
        }

    forward = links("revised-as")
    assert forward
    assert {(target, source) for source, target in links("revision-of")} == forward
    for seed, later in forward:
        seed_change = by_id[seed.split(":", 1)[1]]["props"]["revision_change"]
        assert by_id[later.split(":", 1)[1]]["props"]["revision_change"] == seed_change


def test_every_seed_section_is_linked_or_dropped(by_id: dict[str, dict[str, Any]]) -> None:
    for number, (target, change) in EXPECTED_REVISIONS.items():
        record = by_id[f"FPN-SEED-{number}"]
        assert record["props"]["revision_change"] == change, number
        assert record["links"] == [{"rel": "revised-as", "target": f"federal-profile-2020:{target}"}], number


def test_provenance_lines_point_at_the_record(doc: CatalogDoc, sources: Path) -> None:
    cache: dict[str, list[str]] = {}
    for record in doc.records:
        base = sources.parent if record["source"] == "seed" else sources
        lines = cache.setdefault(record["path"], (base / record["path"]).read_text("utf-8").splitlines())
        line = clean_text(lines[record["line"] - 1])
        # The builder may qualify a title in parentheses ("... (earlier revision, seed page)").
        title = re.sub(r"\s*\(.*\)$", "", record.get("title", ""))
        starts = [" ".join(text.split()[:5]) for text in (title, record.get("text", "")) if text]
        assert any(start in line for start in starts), (record["id"], line)


def test_markdown_nesting_rule(by_id: dict[str, dict[str, Any]]) -> None:
    # _Technical/event.md line 62 is indented three spaces under a two-space bullet: a sibling, not a child.
    assert by_id["FP-CEA-4.2.2"]["line"] == 62
    assert by_id["FP-CEA-4.2.2"]["parent"] == "FP-CEA-4.2"
    assert by_id["FP-CEA-4.2.2.6"]["text"] == "Identity of users/processes associated with the event"
    # The Event Response bullets are all indented two spaces and have no parent bullet.
    assert by_id["FP-CEA-3.10"]["kind"] == "element"


def test_source_quirks_kept(by_id: dict[str, dict[str, Any]], doc: CatalogDoc) -> None:
    assert by_id["FP-SU-1"]["props"]["source_form"] == "no-heading"
    assert by_id["FP-SU-1.5"]["line"] == 20
    assert by_id["FPN-CEA-2.M1"]["props"]["source_form"] == "paragraph"
    assert [by_id[f"FPN-CEA-3.A1.{n}"]["line"] for n in (1, 2, 3)] == [62, 63, 64]
    assert by_id["FPN-LAI-2.A1.2.1"]["props"]["source_form"] == "bullet-without-space"
    assert len(by_id["FPN-LAI-3"]["props"]["text_bullets"]) == 2
    assert by_id["FPN-LAI-4.M11"]["text"].startswith("Disclose to Federal agencies")
    assert by_id["FP-DI-1.1"]["props"]["source_tag"] == "NIST IR 8259"
    assert any("event.md:37" in note for note in doc.notes)


def test_nest_follows_content_columns() -> None:
    items: list[federal_profile.Para | federal_profile.Bullet] = [
        federal_profile.Bullet(1, 0, "a", spaced=True),
        federal_profile.Bullet(2, 2, "a.1", spaced=True),
        federal_profile.Bullet(3, 3, "a.2", spaced=True),
        federal_profile.Bullet(4, 6, "a.2.1", spaced=True),
        federal_profile.Para(5, "lead-in:"),
        federal_profile.Bullet(6, 0, "b.1", spaced=True),
        federal_profile.Para(7, "plain"),
        federal_profile.Bullet(8, 0, "d", spaced=True),
    ]
    paths = [path for _, path in federal_profile.nest(items)]
    assert paths == [(1,), (1, 1), (1, 2), (1, 2, 1), (2,), (2, 1), (3,), (4,)]


def test_second_actor_label_is_rejected() -> None:
    lines = ["**Agency:**", "", "- one", "", "**Agency:**", "", "- two"]
    tokens = federal_profile.tokenize(enumerate(lines, start=1), "x.md")
    ctx = federal_profile.Ctx(federal_profile.new_doc(), "pages", "x.md")
    with pytest.raises(BuildError, match="second 'Agency' label"):
        federal_profile.split_blocks(ctx, federal_profile.Section("t", 1, tokens))


# --- same-as: technical elements NIST carried over into SP 800-213A --------------------------------


def same_as(doc: CatalogDoc) -> list[tuple[str, str]]:
    return [
        (f"{doc.id}:{r['id']}", ln["target"])
        for r in doc.records
        for ln in r.get("links", [])
        if ln["rel"] == "same-as"
    ]


def test_same_text_links_come_in_pairs(doc: CatalogDoc, later: CatalogDoc) -> None:
    ours, theirs = same_as(doc), same_as(later)
    assert len(ours) == len(set(ours)) == 200
    assert sorted((target, source) for source, target in theirs) == sorted(ours)
    elements = [r for r in doc.records if r["kind"] in {"element", "sub-element"}]
    # docs/profiles.md: "NIST carried 199 of 231 over word for word"
    assert (len({source for source, _ in ours}), len(elements)) == (199, 231)
    assert len({source for source, _ in theirs}) == 199
    for catalog in (doc, later):
        linked = [r for r in catalog.records if any(ln["rel"] == "same-as" for ln in r.get("links", []))]
        assert Counter(r["props"]["same_as_wording"] for r in linked) == {
            "identical": 186,
            "punctuation differs": 13,
        }
        assert {r["kind"] for r in linked} == {"element", "sub-element"}
        assert any(note.startswith("same-as links join 199 ") for note in catalog.notes)


def test_a_carried_over_element_is_linked_both_ways(
    by_id: dict[str, dict[str, Any]], later: CatalogDoc
) -> None:
    # the Federal Profile's logical identifier is the second element of its DI-1, SP 800-213A's the first
    assert by_id["FP-DI-1.2"]["text"] == later.get("DI-1.1")["text"]
    assert by_id["FP-DI-1.2"]["links"] == [{"rel": "same-as", "target": "sp800-213a:DI-1.1"}]
    assert later.get("DI-1.1")["links"] == [{"rel": "same-as", "target": "federal-profile-2020:FP-DI-1.2"}]
    assert by_id["FP-DI-1.2"]["props"]["same_as_wording"] == "identical"
    assert later.get("DI-1.1")["props"]["same_as_wording"] == "identical"
    # a final full stop is not a change of wording, and the prop says what differs
    assert (by_id["FP-CEA-4.10.1"]["text"], later.get("CSA-8.6.1")["text"]) == ("Encryption", "Encryption.")
    assert by_id["FP-CEA-4.10.1"]["links"] == [{"rel": "same-as", "target": "sp800-213a:CSA-8.6.1"}]
    assert later.get("CSA-8.6.1")["props"]["same_as_wording"] == "punctuation differs"
    # SP 800-213A states this requirement twice: both are linked, in that catalog's order
    assert by_id["FP-LAI-1.1.1"]["links"] == [
        {"rel": "same-as", "target": "sp800-213a:LAI-1.1"},
        {"rel": "same-as", "target": "sp800-213a:LAI-1.2.1"},
    ]


def test_a_changed_word_or_a_heading_is_not_linked(
    by_id: dict[str, dict[str, Any]], later: CatalogDoc
) -> None:
    # "for the IoT device" became "for the device": the same requirement in NIST's eyes, perhaps, but
    # not the same text, so no same-as link
    ours, theirs = by_id["FP-DI-1.4"], later.get("DI-1.3")
    assert ours["text"].replace("the IoT device to", "the device to", 1) == theirs["text"]
    assert "links" not in ours
    assert "links" not in theirs
    # sub-capabilities are headings: FP-DP-1 and DP-1 share their lead sentence, not their elements
    assert by_id["FP-DP-1"]["text"] == later.get("DP-1")["text"]
    assert "links" not in by_id["FP-DP-1"]
    assert "links" not in later.get("DP-1")


def test_same_text_ignores_case_punctuation_and_spacing_only() -> None:
    key, differ = federal_profile.same_text_key, federal_profile.wording_difference
    curly, straight = (
        "Ability to control the IoT device’s interface",
        "Ability to control the IoT device's interface.",
    )
    assert key(curly) == key(straight)
    assert differ(curly, straight) == "punctuation differs"
    assert differ("Ability to log", "ability to log") == "letter case differs"
    assert differ("Ability to log", "ability to log.") == "letter case and punctuation differ"
    assert differ("Encryption", "Encryption") == "identical"
    assert key("Ability to log events") != key("Ability to log all events")
    assert key("re-keying") != key("rekeying")  # a word break is not punctuation to drop
