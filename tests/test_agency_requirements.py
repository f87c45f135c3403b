"""From SP 800-53 controls to device capabilities, manufacturer support and agency actions."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from securable import catalog as api
from securable.agency.requirements import report
from securable.agency.requirements.derive import (
    NON_TECHNICAL,
    TECHNICAL,
    ControlSet,
    Requirements,
    Tailoring,
    derive,
    from_baseline,
    from_profile,
    parse_tailoring,
)
from securable.agency.requirements.links import AMBIGUOUS, THRESHOLD, agency_links, supporting_capabilities
from securable.agency.requirements.oscal_profile import to_profile
from securable.errors import NotFoundError, UsageError
from securable.oscal import export
from securable.oscal.blocks import NS
from securable.oscal.resolution.resolve import resolve_file
from securable.oscal.validate import validate_document
from securable.rendering.formats import RenderOptions
from securable.rendering.stylesheet import stylesheet

NIST = Path("nist-sp800-53-rev5-oscal")


@pytest.fixture(scope="module")
def moderate() -> Requirements:
    return derive(from_baseline("moderate"))


def controls_of(*ids: str) -> ControlSet:
    return ControlSet(name="test", title="test set", kind="baseline", controls=ids)


# ---- device capabilities and manufacturer support: NIST's draft mappings ---------------------------


@pytest.mark.parametrize("name", ["low", "moderate", "high", "privacy"])
def test_requirements_are_exactly_the_records_whose_mapping_hits_the_baseline(name: str) -> None:
    result = derive(from_baseline(name))
    wanted = set(result.controls.controls)
    cat = api.load("sp800-213a")
    for roots, found in ((TECHNICAL, result.technical), (NON_TECHNICAL, result.support)):
        expected = [
            r.id
            for root in roots
            for r in cat.descendants(root)
            if set(r.mappings.get("sp800-53r5", ())) & wanted
        ]
        assert [r.record.id for r in found] == expected
        for req in found:
            calls = {c.control for c in req.calls}
            assert calls == set(req.record.mappings["sp800-53r5"]) & wanted
            assert all(c.route == "nist-mapping" and not c.derived for c in req.calls)


def test_bigger_baselines_call_for_more() -> None:
    low, moderate, high = (derive(from_baseline(n)) for n in ("low", "moderate", "high"))
    for attr in ("technical", "support", "agency"):
        ids = [{r.record.id for r in getattr(x, attr)} for x in (low, moderate, high)]
        assert ids[0] <= ids[1] <= ids[2]
    assert len(moderate.technical) > len(low.technical)


def test_a_single_control_explains_itself() -> None:
    result = derive(controls_of("ia-3"))
    di = {r.record.id: r for r in result.technical}
    assert "DI-1.1" in di
    (call,) = di["DI-1.1"].calls
    assert (call.control, call.label, call.route) == ("ia-3", "IA-3", "nist-mapping")
    assert "NIST draft mapping" in call.note
    assert result.uncalled() == []


def test_unknown_baseline() -> None:
    with pytest.raises(NotFoundError, match="unknown baseline"):
        from_baseline("extreme")


def test_profiles_resolve_to_the_shipped_baselines(sources: Path) -> None:
    catalog = sources / NIST / "5.0.1_a849dbc" / "NIST_SP-800-53_rev5_catalog.json"
    for name in ("LOW", "MODERATE", "HIGH", "PRIVACY"):
        path = sources / NIST / "5.1.1_88bb8de" / f"NIST_SP-800-53_rev5_{name}-baseline_profile.json"
        controls = from_profile(path, catalog=catalog)
        assert controls.controls == from_baseline(name).controls
        assert controls.kind == "profile"
        assert not controls.ignored
        assert len(controls.warnings) == 1  # the --catalog stand-in


# ---- agency actions: Securable-derived links --------------------------------------------------------


def test_every_supporting_capability_but_two_has_a_derived_link() -> None:
    links = agency_links()
    assert {c.id for c in supporting_capabilities()} == set(links)
    assert not any(cid.startswith("FPN-SEED") for cid in links)
    assert [cid for cid, found in links.items() if not found] == ["FPN-DS-3", "FPN-DS-4"]


def test_wording_links_carry_nists_mapping_of_the_matched_record() -> None:
    cat, fed, controls = api.load("sp800-213a"), api.load("federal-profile-2020"), api.load("sp800-53r5")
    for cid, links in agency_links().items():
        for link in links:
            assert link.control in controls
            assert link.capability == cid
            if link.route == "wording":
                matched = cat.get(link.evidence)
                assert matched is not None
                assert link.control in matched.mappings["sp800-53r5"]
                assert link.score >= THRESHOLD
                source = fed.get(link.source)
                assert source is not None
                assert source.id == cid or source.kind == "manufacturer-action"
            else:
                assert link.route == "policy"
                assert link.control == f"{link.evidence.lower()}-1"
                family = controls.get(link.evidence)
                assert family is not None
                named = {w for w in family.title.lower().replace(",", "").split() if w not in AMBIGUOUS}
                title = fed.get(cid).title.lower()  # type: ignore[union-attr]
                assert any(w[:5] in title for w in named)


def test_known_links() -> None:
    links = {(link.control, link.route, link.evidence) for link in agency_links()["FPN-MA-6"]}
    # "maintaining records for nonlocal IoT device maintenance" is DOC-4.b.1.2's wording, mapped to MA-4.
    assert ("ma-4", "wording", "DOC-4.b.1.2") in links
    assert ("ma-1", "policy", "MA") in links
    assert ("ia-1", "policy", "IA") in {(x.control, x.route, x.evidence) for x in agency_links()["FPN-DI-1"]}


def test_agency_actions_follow_their_capabilitys_links() -> None:
    result = derive(controls_of("ma-4"))
    ids = {r.record.id for r in result.agency}
    assert {"FPN-MA-6.A1", "FPN-MA-6.A2"} <= ids
    assert "FPN-MA-5.A1" not in ids  # linked to MA-1, MA-2 and MA-5 but not MA-4
    for req in result.agency:
        assert req.calls
        assert all(c.derived and c.control == "ma-4" for c in req.calls)


def test_nested_agency_actions_are_requirements_too(moderate: Requirements) -> None:
    ids = [r.record.id for r in moderate.agency]
    assert "FPN-DS-3.A2.1" not in ids  # FPN-DS-3 has no derived link
    assert ids.index("FPN-LAI-2.A1") < ids.index("FPN-LAI-2.A1.2") < ids.index("FPN-LAI-2.A1.2.1")


# ---- tailoring ----------------------------------------------------------------------------------------


def test_add_and_drop_with_reasons(moderate: Requirements) -> None:
    tailoring = parse_tailoring("add", ["LAI-1.4=kiosk needs it", "FPN-DS-3=vendor documentation matters"])
    tailoring += parse_tailoring(
        "drop", ["FPN-MA-4=budgeted elsewhere", "DI-2=identity actions out of scope"]
    )
    result = derive(from_baseline("moderate"), tailoring)
    technical = {r.record.id: r for r in result.technical}
    assert technical["LAI-1.4"].added == "kiosk needs it"
    assert technical["LAI-1.4"].calls == ()  # NIST mapped nothing to it
    assert not any(i.startswith("DI-2.") for i in technical)
    agency = {r.record.id for r in result.agency}
    assert {"FPN-DS-3.A1", "FPN-DS-3.A2", "FPN-DS-3.A2.6"} <= agency
    assert not any(i.startswith("FPN-MA-4.") for i in agency)
    dropped = {r.record.id: (r, reason) for r, reason in result.dropped}
    assert dropped["FPN-MA-4.A1"][1] == "budgeted elsewhere"
    assert dropped["DI-2.1.1"][0].calls  # the controls that called for it stay on record
    assert [t.action for t in result.tailoring] == ["add", "add", "drop", "drop"]
    assert result.tailoring[2].affected == (
        "federal-profile-2020:FPN-MA-4.A1",
        "federal-profile-2020:FPN-MA-4.A2",
    )
    assert len(result.technical) == len(moderate.technical) + 1 - len(
        [i for i in (r.record.id for r in moderate.technical) if i.startswith("DI-2.")]
    )


@pytest.mark.parametrize(
    ("action", "value", "error", "message"),
    [
        ("add", "DI-1.1", UsageError, "expected ID=REASON"),
        ("add", "DI-1.1=  ", UsageError, "expected ID=REASON"),
        ("add", "DI-1.1=already there", UsageError, "already required"),
        ("drop", "LAI-1.4=not required", UsageError, "not required"),
        ("drop", "NOPE-9=typo", NotFoundError, "to tailor"),
        ("add", "FPN-SEED-1=seed copy", UsageError, "only Agency actions"),
        ("add", "FPN-MA-5.M1=manufacturer action", UsageError, "holds no requirement"),
        ("add", "ac-2=a control", NotFoundError, "to tailor"),
    ],
)
def test_bad_tailoring(action: str, value: str, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        derive(from_baseline("moderate"), parse_tailoring(action, [value]))


def test_reasons_are_required_even_through_the_api() -> None:
    with pytest.raises(UsageError, match="a reason is required"):
        derive(from_baseline("low"), [Tailoring("add", "LAI-1.4", " ")])


# ---- OSCAL profile ------------------------------------------------------------------------------------


def test_profile_validates_and_says_why_each_requirement_is_there() -> None:
    tailoring = parse_tailoring("add", ["LAI-1.4=kiosk"]) + parse_tailoring("drop", ["FPN-MA-4=budget"])
    result = derive(from_baseline("moderate"), tailoring)
    doc = to_profile(result)
    report_ = validate_document(doc, name="requirements profile")
    assert report_.ok, report_.problems[:5]
    body = doc["profile"]
    imports = {i["href"]: i["include-controls"][0]["with-ids"] for i in body["imports"]}
    assert imports["sp800-213a.oscal.json"] == [
        r.record.id.lower() for r in (*result.technical, *result.support)
    ]
    assert imports["federal-profile-2020.oscal.json"] == [r.record.id.lower() for r in result.agency]
    alters = {a["control-id"]: a["adds"][0]["props"] for a in body["modify"]["alters"]}
    di11 = alters["di-1.1"]
    assert [(p["name"], p["value"], p["class"]) for p in di11] == [("called-for-by", "ia-3", "nist-mapping")]
    assert "NIST's draft mapping" in di11[0]["remarks"]
    derived = alters["fpn-ma-6.a1"]
    assert {p["class"] for p in derived} <= {"wording", "policy"}
    assert all("Securable-derived link, not NIST's" in p["remarks"] for p in derived)
    assert {"name": "tailoring", "ns": NS, "value": "added", "remarks": "kiosk"} in alters["lai-1.4"]
    meta = {(p["name"], p["value"]): p.get("remarks", "") for p in body["metadata"]["props"]}
    assert "budget" in meta[("tailoring-dropped", "federal-profile-2020:FPN-MA-4.A1")]
    assert meta[("control-count", "287")] == ""
    titles = " ".join(r["title"] for r in body["back-matter"]["resources"])
    assert "SP 800-53" in titles
    assert "Federal Profile" in titles
    assert json.dumps(doc) == json.dumps(to_profile(derive(from_baseline("moderate"), tailoring)))


def test_profile_resolves_against_the_exported_catalogs(tmp_path: Path, moderate: Requirements) -> None:
    for catalog_id in ("sp800-213a", "federal-profile-2020"):
        doc = export.catalog_to_oscal(api.load(catalog_id))
        (tmp_path / export.catalog_href(catalog_id)).write_text(json.dumps(doc), "utf-8")
    (tmp_path / "requirements.json").write_text(json.dumps(to_profile(moderate)), "utf-8")
    resolved = resolve_file(tmp_path / "requirements.json")
    assert not resolved.warnings
    wanted = [r.record.id.lower() for r in (*moderate.technical, *moderate.support, *moderate.agency)]
    assert sorted(resolved.selected) == sorted(wanted)
    assert validate_document(resolved.document, name="resolved requirements").ok
    # The alterations land in the resolved catalog: DI-1.1 now says which control calls for it.
    di11 = next(c for c in resolved.catalog["groups"][0]["controls"][0]["controls"] if c["id"] == "di-1.1")
    assert {"called-for-by"} <= {p["name"] for p in di11["props"]}


def test_nothing_required_means_no_profile() -> None:
    with pytest.raises(UsageError, match="no profile to write"):
        to_profile(derive(controls_of("pe-1")))


# ---- reports --------------------------------------------------------------------------------------------


def test_markdown_and_json_say_the_same(moderate: Requirements) -> None:
    data = json.loads(report.render(moderate, "json"))
    markdown = report.render(moderate, "markdown")
    for key in ("technical", "support", "agency"):
        assert [r["id"] for r in data[key]] == [r.record.id for r in getattr(moderate, key)]
        for item in data[key]:
            assert f"**{item['id']}**" in markdown
    assert data["uncalled"] == moderate.uncalled()
    assert data["unlinked"] == ["FPN-DS-3", "FPN-DS-4"]
    assert all(c["derived"] for r in data["agency"] for c in r["calls"])
    assert "Securable-derived, not NIST's" in markdown


class _Checker(HTMLParser):
    VOID = frozenset({"meta", "br", "img", "link", "input", "hr"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.ids: list[str] = []
        self.html_lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.html_lang = found.get("lang") or ""
        if "id" in found:
            self.ids.append(str(found["id"]))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> closes nothing"
        assert self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1]}>"
        self.stack.pop()


def test_html_is_well_formed_accessible_and_escaped() -> None:
    tailoring = parse_tailoring("add", ["LAI-1.4=<script>alert(1)</script> & more"])
    page = report.render(derive(from_baseline("low"), tailoring), "html")
    assert stylesheet() in page  # the customer documents' stylesheet, light and dark
    checker = _Checker()
    checker.feed(page)
    assert checker.stack == []
    assert checker.html_lang == "en"
    assert len(checker.ids) == len(set(checker.ids))
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert '<th scope="col">' in page
    assert "<caption>" in page


def test_table_lists_every_section(moderate: Requirements) -> None:
    text = report.to_table(moderate, RenderOptions(width=100))
    assert "== Device cybersecurity capabilities (" in text
    assert "== Manufacturer support (" in text
    assert "== Agency actions (" in text
    assert "called for by (Securable-derived, not NIST's):" in text
    assert "DI-1.1  IA-3" in text


def test_a_profile_over_another_catalog_calls_for_nothing(tmp_path: Path) -> None:
    catalog = {
        "catalog": {
            "uuid": "00000000-0000-4000-8000-000000000001",
            "metadata": {
                "title": "T",
                "last-modified": "2024-01-01T00:00:00Z",
                "version": "1",
                "oscal-version": "1.1.2",
            },
            "controls": [{"id": "x-1", "title": "X"}, {"id": "ac-2", "title": "Same ID as SP 800-53 AC-2"}],
        }
    }
    (tmp_path / "cat.json").write_text(json.dumps(catalog))
    doc = {
        "profile": {
            "uuid": "00000000-0000-4000-8000-0000000000aa",
            "metadata": catalog["catalog"]["metadata"],
            "imports": [{"href": "cat.json", "include-all": {}}],
        }
    }
    (tmp_path / "p.json").write_text(json.dumps(doc))
    controls = from_profile(tmp_path / "p.json")
    assert controls.controls == ("ac-2",)
    assert controls.ignored == ("x-1",)
    assert "not SP 800-53 Rev. 5 controls" in controls.warnings[-1]
