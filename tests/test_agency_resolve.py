"""OSCAL profile resolution: NIST's resolved baselines as the oracle, then each feature on small documents."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from securable.errors import InputError
from securable.oscal.resolution.resolve import Resolved, iter_controls, resolve_document, resolve_file
from securable.oscal.validate import validate_document

JSON = dict[str, Any]
BASELINES = ("LOW", "MODERATE", "HIGH", "PRIVACY")
V501 = "5.0.1_a849dbc"
V511 = "5.1.1_88bb8de"
# PRIVACY selects these enhancements without their parents; as-is keeps the parents as containers.
PRIVACY_CONTAINERS = ("ac-3", "au-3", "pe-8", "pm-5", "sa-8", "sc-7")


def oscal_dir(sources: Path) -> Path:
    return sources / "nist-sp800-53-rev5-oscal"


def nist_catalog(sources: Path) -> Path:
    return oscal_dir(sources) / V501 / "NIST_SP-800-53_rev5_catalog.json"


def nist_profile(sources: Path, version: str, baseline: str) -> Path:
    return oscal_dir(sources) / version / f"NIST_SP-800-53_rev5_{baseline}-baseline_profile.json"


def nist_resolved(sources: Path, version: str, baseline: str) -> JSON:
    name = f"NIST_SP-800-53_rev5_{baseline}-baseline-resolved-profile_catalog-min.json"
    body: JSON = json.loads((oscal_dir(sources) / version / name).read_text("utf-8"))["catalog"]
    return body


def ids(catalog: JSON) -> list[str]:
    return [c["id"] for c in iter_controls(catalog)]


def assert_valid(result: Resolved) -> None:
    report = validate_document(result.document, name="resolved")
    assert report.ok, report.problems[:5]


@pytest.fixture(scope="module")
def resolved_nist(sources: Path) -> dict[tuple[str, str], Resolved]:
    return {
        (version, baseline): resolve_file(
            nist_profile(sources, version, baseline), catalog=nist_catalog(sources)
        )
        for version in (V501, V511)
        for baseline in BASELINES
    }


# ---- NIST's resolved baselines ---------------------------------------------------------------------


@pytest.mark.parametrize("version", [V501, V511])
@pytest.mark.parametrize("baseline", BASELINES)
def test_nist_profiles_resolve_to_nists_control_set(
    sources: Path, resolved_nist: dict[tuple[str, str], Resolved], version: str, baseline: str
) -> None:
    result = resolved_nist[(version, baseline)]
    # Same IDs and the same order as NIST's resolved 5.1.1 catalogs (the as-is structure).
    assert ids(result.catalog) == ids(nist_resolved(sources, V511, baseline))
    assert_valid(result)


def test_5_0_1_high_matches_nists_resolved_catalog_control_for_control(
    sources: Path, resolved_nist: dict[tuple[str, str], Resolved]
) -> None:
    ours, theirs = resolved_nist[(V501, "HIGH")].catalog, nist_resolved(sources, V501, "HIGH")
    assert ids(ours) == ids(theirs)
    strip = [{k: v for k, v in c.items() if k != "controls"} for c in iter_controls(ours)]
    assert strip == [{k: v for k, v in c.items() if k != "controls"} for c in iter_controls(theirs)]
    assert [{k: v for k, v in g.items() if k != "controls"} for g in ours["groups"]] == [
        {k: v for k, v in g.items() if k != "controls"} for g in theirs["groups"]
    ]
    assert ours["back-matter"] == theirs["back-matter"]


def test_privacy_keeps_parents_of_selected_enhancements_as_containers(
    resolved_nist: dict[tuple[str, str], Resolved],
) -> None:
    for version in (V501, V511):
        result = resolved_nist[(version, "PRIVACY")]
        assert result.implicit == PRIVACY_CONTAINERS
        assert len(result.selected) == 96
        assert not set(result.selected) & set(PRIVACY_CONTAINERS)


def test_5_0_1_profiles_find_the_json_twin_of_the_xml_catalog_they_name(sources: Path) -> None:
    # The 5.0.1 profiles import "NIST_SP-800-53_rev5_catalog.xml"; the JSON sits beside it.
    result = resolve_file(nist_profile(sources, V501, "LOW"))
    assert not result.warnings
    assert len(result.selected) == 149


def test_5_1_1_profiles_need_the_catalog_and_say_so(sources: Path) -> None:
    with pytest.raises(InputError) as err:
        resolve_file(nist_profile(sources, V511, "LOW"))
    assert "--catalog" in str(err.value.hint)
    result = resolve_file(nist_profile(sources, V511, "LOW"), catalog=nist_catalog(sources))
    assert len(result.warnings) == 1
    assert "not a local file" in result.warnings[0]


_INSERT = re.compile(r"\{\{\s*insert:\s*param,\s*[^\s}]+\s*\}\}")
# 5.1.1 added SP 800-53A content and RMF metadata to every control; none of it changes which
# controls a baseline holds.
_RMF = "http://csrc.nist.gov/ns/rmf"
_53A_PARTS = ("assessment-objective", "assessment-method")
_53A_LABELS = ("zero-padded", "sp800-53a")
# Controls whose statement or guidance NIST changed between 5.0.1 and 5.1.1 beyond spacing and
# parameter IDs: PM-31 reworded its parameter phrases; AC-2(4) writes its links as AU-02 and AU-06.
_REWORDED = {"pm-31", "ac-2.4"}


def _prose(control: JSON) -> list[str]:
    """Statement and guidance prose with parameter IDs and spacing normalised (5.1.1 renamed params)."""
    found: list[str] = []

    def walk(parts: list[JSON]) -> None:
        for part in parts:
            text = _INSERT.sub("{{P}}", part.get("prose", "")).replace("**", "")
            text = re.sub(r"\s+([;,.)])", r"\1", " ".join(text.split()))
            found.append(re.sub(r"\(\s+", "(", text))
            walk(part.get("parts", []))

    walk([p for p in control.get("parts", ()) if p["name"] in ("statement", "guidance")])
    return found


@pytest.mark.parametrize("baseline", BASELINES)
def test_5_1_1_differences_come_from_the_catalog_version_only(
    sources: Path, resolved_nist: dict[tuple[str, str], Resolved], baseline: str
) -> None:
    """We resolve 5.1.1 profiles against the 5.0.1 catalog; NIST resolved them against 5.1.1.

    Same controls, same order, same back-matter. Control content differs only where the 5.1.1
    catalog itself differs: 53A parts and RMF props added, parameters renamed to ODP IDs, titles
    re-capitalised, IA-13 (new in 5.1.1) added to related links, and two reworded statements.
    """
    ours = {c["id"]: c for c in iter_controls(resolved_nist[(V511, baseline)].catalog)}
    theirs = {c["id"]: c for c in iter_controls(nist_resolved(sources, V511, baseline))}
    assert list(ours) == list(theirs)
    resources = resolved_nist[(V511, baseline)].catalog["back-matter"]["resources"]
    assert {r["uuid"] for r in resources} == {
        r["uuid"] for r in nist_resolved(sources, V511, baseline)["back-matter"]["resources"]
    }
    reworded = set()
    for cid, mine in ours.items():
        new = theirs[cid]
        assert all(p["name"] not in _53A_PARTS for p in mine.get("parts", ()))
        assert any(p["name"] in _53A_PARTS for p in new.get("parts", ())) or cid in PRIVACY_CONTAINERS
        assert mine["title"].casefold() == new["title"].casefold()
        old_labels = [p for p in new["props"] if p.get("class") not in _53A_LABELS and p.get("ns") != _RMF]
        assert mine["props"] == old_labels
        added = {x["href"] for x in new.get("links", ())} - {x["href"] for x in mine.get("links", ())}
        dropped = {x["href"] for x in mine.get("links", ())} - {x["href"] for x in new.get("links", ())}
        assert added <= {"#ia-13"}
        assert dropped <= {"#sc-12"}  # SC-12 no longer lists itself as related
        if _prose(mine) != _prose(new):
            reworded.add(cid)
    assert reworded == _REWORDED & set(ours)


# ---- small hand-made documents -----------------------------------------------------------------------

META = {"title": "T", "last-modified": "2024-01-01T00:00:00Z", "version": "1", "oscal-version": "1.1.2"}
UUID_A = "11111111-1111-4111-8111-111111111111"
UUID_B = "22222222-2222-4222-8222-222222222222"


def control(cid: str, *children: JSON, **extra: Any) -> JSON:
    out: JSON = {"id": cid, "title": cid.upper(), **extra}
    if children:
        out["controls"] = list(children)
    return out


def small_catalog() -> JSON:
    """Two groups; a-1 has enhancements a-1.1 and a-1.2, a-1.1 has a-1.1.1; b-1 carries params and parts."""
    return {
        "catalog": {
            "uuid": "00000000-0000-4000-8000-000000000001",
            "metadata": dict(META),
            "params": [{"id": "loose-used", "label": "used"}, {"id": "loose-unused", "label": "unused"}],
            "groups": [
                {
                    "id": "ga",
                    "title": "Group A",
                    "controls": [
                        control("a-1", control("a-1.1", control("a-1.1.1")), control("a-1.2")),
                        control("a-2", links=[{"href": f"#{UUID_A}", "rel": "reference"}]),
                    ],
                },
                {
                    "id": "gb",
                    "title": "Group B",
                    "controls": [
                        control(
                            "b-1",
                            params=[{"id": "b-1_prm_1", "label": "old", "values": ["x"]}],
                            props=[{"name": "label", "value": "B-1"}, {"name": "status", "value": "ready"}],
                            parts=[
                                {
                                    "id": "b-1_smt",
                                    "name": "statement",
                                    "prose": "Use {{ insert: param, b-1_prm_1 }} and "
                                    "{{ insert: param, loose-used }}.",
                                    "parts": [{"id": "b-1_smt.a", "name": "item", "prose": "A."}],
                                },
                                {"id": "b-1_gdn", "name": "guidance", "class": "extra", "prose": "G."},
                            ],
                        ),
                        control("b-2"),
                    ],
                },
            ],
            "back-matter": {
                "resources": [
                    {"uuid": UUID_A, "title": "cited by a-2"},
                    {"uuid": UUID_B, "title": "cited by nothing"},
                ]
            },
        }
    }


def profile(*imports: JSON, merge: JSON | None = None, modify: JSON | None = None, **extra: Any) -> JSON:
    body: JSON = {
        "uuid": "00000000-0000-4000-8000-0000000000aa",
        "metadata": dict(META),
        "imports": list(imports),
    }
    if merge is not None:
        body["merge"] = merge
    if modify is not None:
        body["modify"] = modify
    body.update(extra)
    return {"profile": body}


def write(path: Path, doc: JSON) -> Path:
    path.write_text(json.dumps(doc), "utf-8")
    return path


@pytest.fixture
def cat(tmp_path: Path) -> Path:
    return write(tmp_path / "cat.json", small_catalog())


def resolve(tmp_path: Path, doc: JSON, name: str = "p.json") -> Resolved:
    result = resolve_file(write(tmp_path / name, doc))
    assert_valid(result)
    return result


def picks(*selectors: JSON) -> JSON:
    return {"href": "cat.json", "include-controls": list(selectors)}


def test_include_all(tmp_path: Path, cat: Path) -> None:
    result = resolve(tmp_path, profile({"href": "cat.json", "include-all": {}}, merge={"as-is": True}))
    assert ids(result.catalog) == ["a-1", "a-1.1", "a-1.1.1", "a-1.2", "a-2", "b-1", "b-2"]
    assert [g["id"] for g in result.catalog["groups"]] == ["ga", "gb"]


def test_exclude_alone_means_include_all_and_exclusion_wins(tmp_path: Path, cat: Path) -> None:
    doc = profile(
        {"href": "cat.json", "include-all": {}, "exclude-controls": [{"with-ids": ["a-1.2", "b-2"]}]},
        merge={"as-is": True},
    )
    assert ids(resolve(tmp_path, doc).catalog) == ["a-1", "a-1.1", "a-1.1.1", "a-2", "b-1"]
    doc = profile(
        {
            "href": "cat.json",
            "include-controls": [{"with-ids": ["a-1", "a-2"]}],
            "exclude-controls": [{"matching": [{"pattern": "a-2"}]}],
        }
    )
    assert ids(resolve(tmp_path, doc).catalog) == ["a-1"]


def test_with_ids_matching_and_child_controls(tmp_path: Path, cat: Path) -> None:
    doc = profile(picks({"with-ids": ["b-2"]}, {"matching": [{"pattern": "a-?"}]}), merge={"as-is": True})
    assert ids(resolve(tmp_path, doc).catalog) == ["a-1", "a-2", "b-2"]
    doc = profile(picks({"with-ids": ["a-1"], "with-child-controls": "yes"}), merge={"as-is": True})
    result = resolve(tmp_path, doc)
    assert ids(result.catalog) == ["a-1", "a-1.1", "a-1.1.1", "a-1.2"]  # all descendants
    assert [g["id"] for g in result.catalog["groups"]] == ["ga"]  # gb held nothing selected


def test_exclude_with_child_controls(tmp_path: Path, cat: Path) -> None:
    doc = profile(
        {
            "href": "cat.json",
            "include-all": {},
            "exclude-controls": [{"with-ids": ["a-1.1"], "with-child-controls": "yes"}],
        },
        merge={"as-is": True},
    )
    assert ids(resolve(tmp_path, doc).catalog) == ["a-1", "a-1.2", "a-2", "b-1", "b-2"]


def test_as_is_keeps_containers_of_selected_enhancements(tmp_path: Path, cat: Path) -> None:
    result = resolve(tmp_path, profile(picks({"with-ids": ["a-1.1.1"]}), merge={"as-is": True}))
    assert ids(result.catalog) == ["a-1", "a-1.1", "a-1.1.1"]
    assert result.selected == ("a-1.1.1",)
    assert result.implicit == ("a-1", "a-1.1")
    a1 = result.catalog["groups"][0]["controls"][0]
    assert [c["id"] for c in a1["controls"]] == ["a-1.1"]  # a-1.2 not selected: gone


@pytest.mark.parametrize("merge", [None, {"flat": {}}])
def test_flat_has_no_groups_and_nests_only_under_selected_parents(
    tmp_path: Path, cat: Path, merge: JSON | None
) -> None:
    doc = profile(picks({"with-ids": ["a-1", "a-1.2", "a-1.1.1", "b-2"]}), merge=merge)
    body = resolve(tmp_path, doc).catalog
    assert "groups" not in body
    assert [c["id"] for c in body["controls"]] == ["a-1", "a-1.1.1", "b-2"]
    assert [c["id"] for c in body["controls"][0]["controls"]] == ["a-1.2"]


def test_combine_methods_for_a_control_selected_twice(tmp_path: Path, cat: Path) -> None:
    imports = [picks({"with-ids": ["a-2", "b-1"]}), picks({"with-ids": ["b-1", "b-2"]})]
    first = resolve(tmp_path, profile(*imports, merge={"as-is": True, "combine": {"method": "use-first"}}))
    assert ids(first.catalog) == ["a-2", "b-1", "b-2"]
    assert not first.warnings
    kept = resolve_file(write(tmp_path / "k.json", profile(*imports, merge={"as-is": True})))
    assert ids(kept.catalog) == ["a-2", "b-1", "b-1", "b-2"]  # keep, the default: ID repeats
    assert any("more than one import" in w for w in kept.warnings)


def test_combine_merge_folds_list_items(tmp_path: Path) -> None:
    one, two = small_catalog(), small_catalog()
    two["catalog"]["groups"][1]["controls"][0]["props"].append({"name": "status", "value": "late"})
    write(tmp_path / "one.json", one)
    write(tmp_path / "two.json", two)
    doc = profile(
        {"href": "one.json", "include-controls": [{"with-ids": ["b-1"]}]},
        {"href": "two.json", "include-controls": [{"with-ids": ["b-1"]}]},
        merge={"as-is": True, "combine": {"method": "merge"}},
    )
    (b1,) = iter_controls(resolve(tmp_path, doc).catalog)
    assert [p["value"] for p in b1["props"]] == ["B-1", "ready", "late"]


def test_set_parameters(tmp_path: Path, cat: Path) -> None:
    note = {"name": "note", "value": "set"}
    setting: JSON = {
        "param-id": "b-1_prm_1",
        "label": "new",
        "select": {"choice": ["y", "z"]},
        "props": [note],
    }
    modify = {"set-parameters": [setting, {"param-id": "nope", "label": "x"}]}
    result = resolve(tmp_path, profile(picks({"with-ids": ["b-1"]}), modify=modify))
    (b1,) = iter_controls(result.catalog)
    assert b1["params"] == [
        {"id": "b-1_prm_1", "label": "new", "select": {"choice": ["y", "z"]}, "props": [note]}
    ]
    assert any("'nope'" in w for w in result.warnings)


def test_alters_remove_and_add(tmp_path: Path, cat: Path) -> None:
    alters = [
        {
            "control-id": "b-1",
            "removes": [{"by-name": "status"}, {"by-id": "b-1_smt.a"}, {"by-class": "extra"}],
            "adds": [
                {"position": "starting", "props": [{"name": "first", "value": "1"}]},
                {"props": [{"name": "last", "value": "2"}], "title": "Renamed"},
                {"position": "after", "by-id": "b-1_smt", "parts": [{"name": "note", "prose": "N."}]},
                {"position": "ending", "by-id": "b-1_smt", "parts": [{"name": "inner", "prose": "I."}]},
            ],
        },
        {"control-id": "a-1", "adds": [{"props": [{"name": "x", "value": "y"}]}]},
    ]
    result = resolve(tmp_path, profile(picks({"with-ids": ["b-1"]}), modify={"alters": alters}))
    (b1,) = iter_controls(result.catalog)
    assert b1["title"] == "Renamed"
    assert [p["name"] for p in b1["props"]] == ["first", "label", "last"]
    assert [p["name"] for p in b1["parts"]] == ["statement", "note"]  # guidance removed by class
    assert [p["name"] for p in b1["parts"][0]["parts"]] == ["inner"]  # b-1_smt.a removed by id
    assert any("'a-1' is not in the result" in w for w in result.warnings)
    # The catalog read from disk is not changed by the alteration (copy on write).
    assert (
        json.loads((tmp_path / "cat.json").read_text())["catalog"]["groups"][1]["controls"][0]["title"]
        == "B-1"
    )


def test_remove_by_item_name(tmp_path: Path, cat: Path) -> None:
    alters = [{"control-id": "b-1", "removes": [{"by-item-name": "param"}, {"by-item-name": "link"}]}]
    result = resolve(tmp_path, profile(picks({"with-ids": ["b-1"]}), modify={"alters": alters}))
    (b1,) = iter_controls(result.catalog)
    assert "params" not in b1
    assert any("removes[1]" in w for w in result.warnings)  # b-1 has no links


def test_loose_params_and_back_matter_only_when_referenced(tmp_path: Path, cat: Path) -> None:
    result = resolve(tmp_path, profile(picks({"with-ids": ["b-1"]}), merge={"as-is": True}))
    assert [p["id"] for p in result.catalog["params"]] == ["loose-used"]
    assert "back-matter" not in result.catalog
    result = resolve(tmp_path, profile(picks({"with-ids": ["a-2"]}), merge={"as-is": True}), "q.json")
    assert "params" not in result.catalog
    assert [r["uuid"] for r in result.catalog["back-matter"]["resources"]] == [UUID_A]


def test_import_through_back_matter_resource_and_nested_profile(tmp_path: Path, cat: Path) -> None:
    # The inner profile names the catalog through a back-matter resource; its rlinks resolve against
    # the inner profile's folder, and the JSON rlink is tried first.
    resource = {"uuid": UUID_B, "rlinks": [{"href": "cat.xml"}, {"href": "../cat.json"}]}
    inner = profile(
        {"href": f"#{UUID_B}", "include-controls": [{"with-ids": ["a-1.1", "b-1"]}]},
        merge={"as-is": True},
        **{"back-matter": {"resources": [resource]}},
    )
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "inner.json", inner)
    outer = profile({"href": "sub/inner.json", "include-all": {}}, merge={"as-is": True})
    result = resolve(tmp_path, outer)
    # The inner profile's as-is result holds a-1 as a container; to the outer profile it is a control.
    assert ids(result.catalog) == ["a-1", "a-1.1", "b-1"]
    assert result.selected == ("a-1", "a-1.1", "b-1")
    assert [Path(s).name for s in result.sources] == ["p.json", "inner.json", "cat.json"]


def test_deterministic(tmp_path: Path, cat: Path) -> None:
    doc = profile(picks({"with-ids": ["a-1", "b-1"]}), merge={"as-is": True})
    first = json.dumps(resolve(tmp_path, doc).document)
    assert json.dumps(resolve(tmp_path, copy.deepcopy(doc)).document) == first
    # The uuid derives from the profile's uuid, not from the file name or the clock.
    assert resolve(tmp_path, doc, "x.json").catalog["uuid"] == json.loads(first)["catalog"]["uuid"]


def test_resolve_document_uses_base_for_relative_hrefs(tmp_path: Path, cat: Path) -> None:
    result = resolve_document(profile(picks({"with-ids": ["a-2"]})), name="inline", base=tmp_path)
    assert ids(result.catalog) == ["a-2"]


# ---- bad input ---------------------------------------------------------------------------------------


def test_missing_import_is_an_error_unless_a_catalog_stands_in(tmp_path: Path, cat: Path) -> None:
    doc = profile({"href": "nowhere.json", "include-all": {}})
    with pytest.raises(InputError, match=r"cannot find the imported document 'nowhere\.json'"):
        resolve_file(write(tmp_path / "p.json", doc))
    result = resolve_file(tmp_path / "p.json", catalog=cat)
    assert len(result.selected) == 7
    assert "not a local file" in result.warnings[0]


def test_remote_imports_are_not_fetched(tmp_path: Path) -> None:
    doc = profile({"href": "https://example.org/cat.json", "include-all": {}})
    with pytest.raises(InputError) as err:
        resolve_file(write(tmp_path / "p.json", doc))
    assert "not fetched" in str(err.value.hint)


def test_unknown_back_matter_reference(tmp_path: Path, cat: Path) -> None:
    with pytest.raises(InputError, match="names no resource"):
        resolve_file(write(tmp_path / "p.json", profile({"href": f"#{UUID_A}", "include-all": {}})))


def test_circular_imports(tmp_path: Path, cat: Path) -> None:
    write(tmp_path / "a.json", profile({"href": "b.json", "include-all": {}}))
    write(tmp_path / "b.json", profile({"href": "a.json", "include-all": {}}))
    with pytest.raises(InputError, match=r"circular import: a\.json -> b\.json -> a\.json"):
        resolve_file(tmp_path / "a.json")
    write(tmp_path / "self.json", profile({"href": "self.json", "include-all": {}}))
    with pytest.raises(InputError, match="circular import"):
        resolve_file(tmp_path / "self.json")


def test_unknown_ids_in_include_controls_are_reported(tmp_path: Path, cat: Path) -> None:
    with pytest.raises(InputError) as err:
        resolve_file(write(tmp_path / "p.json", profile(picks({"with-ids": ["a-1", "a-3", "zz-9"]}))))
    assert "2 control ID(s) the imported catalog lacks: a-3, zz-9" in err.value.message
    assert "a-1" in str(err.value.hint) or "a-2" in str(err.value.hint)


def test_unknown_ids_in_exclude_controls_are_a_warning(tmp_path: Path, cat: Path) -> None:
    doc = profile({"href": "cat.json", "include-all": {}, "exclude-controls": [{"with-ids": ["zz-9"]}]})
    result = resolve_file(write(tmp_path / "p.json", doc))
    assert "zz-9" in result.warnings[0]


def test_a_profile_that_is_not_oscal(tmp_path: Path, cat: Path) -> None:
    with pytest.raises(InputError, match="no OSCAL model key"):
        resolve_file(write(tmp_path / "p.json", {"imports": []}))
    with pytest.raises(InputError, match="found an OSCAL catalog"):
        resolve_file(cat)
    broken = profile(picks({"with-ids": ["a-1"]}))
    del broken["profile"]["metadata"]
    with pytest.raises(InputError, match="not a valid OSCAL profile"):
        resolve_file(write(tmp_path / "q.json", broken))
    (tmp_path / "r.json").write_text("<profile/>")
    with pytest.raises(InputError, match="not valid JSON"):
        resolve_file(tmp_path / "r.json")
    with pytest.raises(InputError, match="file not found"):
        resolve_file(tmp_path / "absent.json")


def test_an_import_that_is_neither_catalog_nor_profile(tmp_path: Path) -> None:
    write(tmp_path / "ssp.json", {"system-security-plan": {}})
    with pytest.raises(InputError, match="not a catalog or profile"):
        resolve_file(write(tmp_path / "p.json", profile({"href": "ssp.json", "include-all": {}})))


def test_merge_custom_is_refused(tmp_path: Path, cat: Path) -> None:
    doc = profile(picks({"with-ids": ["a-1"]}), merge={"custom": {"groups": [{"title": "G"}]}})
    with pytest.raises(InputError, match="merge/custom is not supported"):
        resolve_file(write(tmp_path / "p.json", doc))


def test_unknown_combine_method(tmp_path: Path, cat: Path) -> None:
    doc = profile(picks({"with-ids": ["a-1"]}), merge={"as-is": True, "combine": {"method": "best"}})
    with pytest.raises(InputError, match="unknown merge/combine method 'best'"):
        resolve_file(write(tmp_path / "p.json", doc))


def test_a_pattern_matching_nothing_is_a_warning(tmp_path: Path, cat: Path) -> None:
    result = resolve_file(write(tmp_path / "p.json", profile(picks({"matching": [{"pattern": "zz-*"}]}))))
    assert result.selected == ()
    assert "pattern 'zz-*' matches no control" in result.warnings[0]
