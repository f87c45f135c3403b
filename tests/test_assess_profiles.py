"""Profile files: base, select, exclude and add; every problem reported as file:line:column."""

from __future__ import annotations

from pathlib import Path

import pytest

from securable.assess.coverage import Status, assess_coverage
from securable.assess.profiles import ProfileInvalid, load_profile, parse_profile
from securable.cli.exitcodes import ExitCode, exit_code
from securable.errors import InputError
from securable.product import parse_product

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "profiles" / "medical-device.yaml"


def problems(text: str) -> list[str]:
    with pytest.raises(ProfileInvalid) as err:
        parse_profile(text, filename="p.yaml")
    assert exit_code(err.value) == ExitCode.BAD_INPUT
    return err.value.problems


def test_the_example_profile() -> None:
    target = load_profile(EXAMPLE)
    assert (target.id, target.kind, target.file) == ("medical-device", "profile", str(EXAMPLE))
    by_id = {r.id: r for r in target.requirements}
    assert len([i for i in by_id if i.startswith("nistir-8259a:")]) == 21
    assert {"sp800-213a:CSA-4.1", "sp800-213a:CSA-6.4", "sp800-213a:DS-4.4", "sp800-213a:DS-5.5"} <= set(
        by_id
    )
    assert by_id["nistir-8259a:8259A-LAI.3"].excluded is not None
    added = by_id["medical-device:MD-2"]
    assert added.satisfied_by == ("sp800-213a:DOC-3.b.1",)
    assert added.capability == "nistir-8259b:8259B-DOC"
    assert by_id["medical-device:MD-1"].areas == ("vulnerability-management", "incident-detection")


def test_select_exclude_and_add_change_the_statuses() -> None:
    target = parse_profile(
        "securable-profile: 1\n"
        "id: lab\n"
        "base: [nistir-8259b]\n"
        "select: [sp800-213a:SU-2.2, 8259A-DI.1]\n"  # a bare ID that one catalog holds
        "exclude:\n"
        "  nistir-8259b:8259B-EA: sold to laboratories that train their own staff\n"
        "add:\n"
        "  - id: LAB-1\n"
        "    text: The device keeps measuring while an update installs.\n"
        "    satisfied_by: [sp800-213a:SU-2.2.2]\n"
        "  - id: LAB-2\n"
        "    title: Calibration records\n"
        "    text: Calibration records are signed.\n",
        filename="lab.yaml",
    )
    product = parse_product(
        "securable: 1\nmeans:\n  - id: m\n    kind: device\n    catalog: [sp800-213a:SU-2.2.2]\n",
        filename="p.yaml",
    )
    results = {r.requirement.id: r for r in assess_coverage(product, target).results}
    assert list(results) == [
        "nistir-8259b:8259B-DOC",
        "nistir-8259b:8259B-IQR",
        "nistir-8259b:8259B-IDS",
        "nistir-8259b:8259B-EA",
        "sp800-213a:SU-2.2",
        "nistir-8259a:8259A-DI.1",
        "lab:LAB-1",
        "lab:LAB-2",
    ]
    assert results["nistir-8259b:8259B-EA"].status is Status.NOT_APPLICABLE
    assert results["nistir-8259b:8259B-EA"].reason == "sold to laboratories that train their own staff"
    assert results["sp800-213a:SU-2.2"].status is Status.PARTIAL  # one of its two sub-elements
    assert results["lab:LAB-1"].status is Status.MET_BY_DEVICE
    assert results["lab:LAB-1"].requirement.areas == ("vulnerability-management",)  # from SU
    gap = results["lab:LAB-2"]
    assert (gap.status, gap.requirement.title) == (Status.GAP, "Calibration records")
    assert gap.reason is not None
    assert "check it by hand" in gap.reason


def test_an_added_requirement_met_by_a_federal_profile_record_accepts_its_same_text_twin() -> None:
    # The profile selects no Federal Profile record itself; its own requirement names one.
    target = parse_profile(
        "securable-profile: 1\n"
        "id: lab\n"
        "add:\n"
        "  - id: LAB-1\n"
        "    text: Each device can be told apart on the network.\n"
        "    satisfied_by: [federal-profile-2020:FP-DI-1.2]\n",
        filename="lab.yaml",
    )
    product = parse_product(
        "securable: 1\nmeans:\n  - id: m\n    kind: device\n    catalog: [sp800-213a:DI-1.1]\n",
        filename="p.yaml",
    )
    (result,) = assess_coverage(product, target).results
    assert result.status is Status.MET_BY_DEVICE


def test_unknown_ids_come_with_the_closest_matches() -> None:
    found = problems(
        "securable-profile: 1\nid: x\nbase: [nistir-8259c]\n"
        "select:\n  - sp800-213a:SU-1.55\n  - sp800-213b:SU-1\n"
    )
    assert found == [
        "p.yaml:3:8: base[0]: unknown baseline 'nistir-8259c'; did you mean 'nistir-8259b'? use one of: "
        "nistir-8259a, nistir-8259b, sp800-213a, federal-profile-2020",
        "p.yaml:5:5: select[0]: no catalog record 'sp800-213a:SU-1.55'; did you mean 'sp800-213a:SU-1.5', "
        "'sp800-213a:SU-1.4' or 'sp800-213a:SU-1.3'?",
        "p.yaml:6:5: select[1]: 'sp800-213b' is not an IoT catalog; did you mean 'sp800-213a:SU-1'? use "
        "nistir-8259a, nistir-8259b, sp800-213a, federal-profile-2020",
    ]


def test_exclusions_need_a_reason_and_must_name_a_selected_requirement() -> None:
    found = problems(
        "securable-profile: 1\nid: x\nbase: [nistir-8259a]\nexclude:\n"
        "  nistir-8259a:8259A-DP.3:\n"
        "  nistir-8259b:8259B-DOC: not ours\n"
    )
    assert found[0].startswith("p.yaml:5:3: exclude.nistir-8259a:8259A-DP.3: no reason given; say why")
    assert found[1] == (
        "p.yaml:6:3: exclude.nistir-8259b:8259B-DOC: nistir-8259b:8259B-DOC is not among the requirements "
        "`base` and `select` give; remove it, or select it first"
    )


def test_unknown_fields_versions_and_added_requirements() -> None:
    found = problems(
        "securable-profile: 2\nid: x\nbse: [nistir-8259a]\n"
        "add:\n  - id: A-1\n    txt: hello\n    areas: [asset]\n"
    )
    assert (
        "p.yaml:1:20: securable-profile: format version 2 is not supported; write `securable-profile: 1`"
        in found
    )
    assert "p.yaml:3:1: bse: unknown field 'bse'; did you mean 'base'?" in found
    assert "p.yaml:6:5: add[0].txt: unknown field 'txt'; did you mean 'text'?" in found
    assert "p.yaml:5:5: add[0]: required field 'text' is missing; add `text: ...`" in found
    assert any(
        p.startswith("p.yaml:7:13: add[0].areas[0]: unknown risk mitigation area 'asset'") for p in found
    )


def test_malformed_and_hostile_yaml_is_refused_with_its_place() -> None:
    with pytest.raises(InputError) as err:
        parse_profile("securable-profile: 1\nid: [x\n", filename="p.yaml")
    assert err.value.location is not None
    assert err.value.location.startswith("p.yaml:")
    with pytest.raises(InputError) as alias:
        parse_profile("securable-profile: 1\nid: &a x\ntitle: *a\n", filename="p.yaml")
    assert "anchors" in alias.value.message
    assert problems("- just\n- a list\n") == [
        "p.yaml:1:1: the top level must be a mapping; start with `securable-profile: 1`"
    ]


def test_missing_profile_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such profile file"):
        load_profile(tmp_path / "nope.yaml")


def test_a_catalog_id_is_not_a_profile_id() -> None:
    # its added requirements would be read as that catalog's records: nistir-8259a:8259A-DI.1
    hijack = (
        "securable-profile: 1\nid: {}\nbase: [nistir-8259b]\n"
        "add:\n  - id: 8259A-DI.1\n    text: Anything at all.\n"
    )
    for catalog_id in ("nistir-8259a", "sp800-213a", "NISTIR-8259B", "sp800-53r5"):
        assert problems(hijack.format(catalog_id)) == [
            f"p.yaml:2:5: id: {catalog_id!r} is the ID of a shipped catalog; give the profile an ID of "
            f"its own, e.g. 'my-{catalog_id}'"
        ]
    assert parse_profile(hijack.format("nistir-8259a-plus"), filename="p.yaml").id == "nistir-8259a-plus"


def test_values_of_the_wrong_type_in_added_requirements_are_problems_with_their_place() -> None:
    found = problems(
        "securable-profile: 1\nid: x\nadd:\n"
        "  - id: A-1\n    text: t\n"
        "    satisfied_by: [3, {a: b}, sp800-213a:DS-5.5]\n"
        "    capability: [nistir-8259b:8259B-DOC]\n"
        "    areas: [{a: 1}, [2], incident-detection]\n"
        "  - id: A-2\n    text: t\n    satisfied_by: {}\n    areas: {a: 1}\n"
    )
    assert found == [
        "p.yaml:6:20: add[0].satisfied_by[0]: expected a catalog ID, got 3; write the ID as text",
        "p.yaml:6:23: add[0].satisfied_by[1]: expected a catalog ID, got {'a': 'b'}; write the ID as text",
        "p.yaml:7:17: add[0].capability: expected a catalog ID, got ['nistir-8259b:8259B-DOC']; write the "
        "ID as text, e.g. nistir-8259b:8259B-DOC",
        "p.yaml:8:13: add[0].areas[0]: expected an area name, got {'a': 1}; use asset-management, "
        "vulnerability-management, access-management, data-protection, incident-detection",
        "p.yaml:8:21: add[0].areas[1]: expected an area name, got [2]; use asset-management, "
        "vulnerability-management, access-management, data-protection, incident-detection",
        "p.yaml:11:19: add[1].satisfied_by: expected a list of catalog IDs; write e.g. [sp800-213a:DS-4.1]",
        "p.yaml:12:12: add[1].areas: expected a list of areas, got {'a': 1}; use asset-management, "
        "vulnerability-management, access-management, data-protection, incident-detection",
    ]


def test_check_reports_a_malformed_profile_with_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from securable.cli import main

    monkeypatch.chdir(ROOT)
    profile = tmp_path / "p.yaml"
    profile.write_text("securable-profile: 1\nid: p\nadd:\n  - id: A\n    text: t\n    areas: [{a: 1}]\n")
    code = main(["check", "examples/home-camera/securable.yaml", "--profile", str(profile)])
    assert code == ExitCode.BAD_INPUT
    assert f"{profile}:6:13: add[0].areas[0]: expected an area name" in capsys.readouterr().err
