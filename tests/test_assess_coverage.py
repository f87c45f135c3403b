"""Coverage statuses, link following and the sums per capability and per NISTIR 8228 area."""

from __future__ import annotations

from pathlib import Path

import pytest

from securable.assess.areas import AREAS, CAPABILITY_AREAS, areas_for
from securable.assess.coverage import STATUSES, Coverage, Result, Status, assess_coverage
from securable.assess.requirements import baseline_target
from securable.product import Product, parse_product

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "home-camera" / "securable.yaml"


def product(means: str = "", extra: str = "") -> Product:
    text = "securable: 1\n"
    if means:
        text += "means:\n" + means
    return parse_product(text + extra, filename="crafted.yaml")


def coverage(prod: Product, baseline: str = "nistir-8259a") -> Coverage:
    return assess_coverage(prod, baseline_target(baseline))


def result(cov: Coverage, requirement: str) -> Result:
    return next(r for r in cov.results if r.requirement.id == requirement)


def test_requirement_levels_of_each_baseline() -> None:
    assert len(baseline_target("nistir-8259a").requirements) == 21
    assert [r.id for r in baseline_target("nistir-8259b").requirements] == [
        "nistir-8259b:8259B-DOC",
        "nistir-8259b:8259B-IQR",
        "nistir-8259b:8259B-IDS",
        "nistir-8259b:8259B-EA",
    ]
    ids = {r.id for r in baseline_target("sp800-213a").requirements}
    assert {"sp800-213a:SU-2.2", "sp800-213a:DI-4", "sp800-213a:DOC-1.a.1"} <= ids  # element, bare
    assert not ids & {"sp800-213a:SU-2.2.1", "sp800-213a:DOC-1.a.1.1", "sp800-213a:SU"}  # parts, groups
    federal = baseline_target("federal-profile-2020").requirements
    assert not any(":FPN-SEED" in r.id for r in federal)  # the superseded seed revision
    assert {r.party for r in federal if r.id.endswith(".A1")} == {"agency"}


def test_met_by_device() -> None:
    cov = coverage(
        product("  - id: m-sig\n    kind: device\n    catalog: [nistir-8259a:8259A-SU.2]\n    status: full\n")
    )
    found = result(cov, "nistir-8259a:8259A-SU.2")
    assert found.status is Status.MET_BY_DEVICE
    assert [(u.means, u.kind, u.coverage) for u in found.means] == [("m-sig", "device", "full")]


def test_met_by_other_means_lists_the_means_and_follows_realized_by() -> None:
    cov = coverage(product("  - id: m-cloud\n    kind: service\n    catalog: [sp800-213a:SU-1.5]\n"))
    found = result(cov, "nistir-8259a:8259A-SU.2")  # realized by SU-2.2.1 or SU-1.5
    assert found.status is Status.MET_BY_OTHER_MEANS
    assert [(u.means, u.kind, u.via) for u in found.means] == [("m-cloud", "service", ("sp800-213a:SU-1.5",))]


def test_device_and_other_means_together_are_other_means() -> None:
    means = (
        "  - id: m-dev\n    kind: device\n    catalog: [sp800-213a:SU-2.2.1]\n"
        "  - id: m-app\n    kind: related-device\n    catalog: [sp800-213a:SU-2.2.2]\n"
    )
    cov = coverage(product(means), "sp800-213a")
    found = result(cov, "sp800-213a:SU-2.2")  # met when both its sub-elements are
    assert found.status is Status.MET_BY_OTHER_MEANS
    assert [u.means for u in found.means] == ["m-dev", "m-app"]


def test_partial_from_a_partial_means_a_part_or_what_contains_it() -> None:
    partial_means = product(
        "  - id: m\n    kind: device\n    catalog: [nistir-8259a:8259A-SU.2]\n    status: partial\n"
    )
    assert result(coverage(partial_means), "nistir-8259a:8259A-SU.2").status is Status.PARTIAL
    one_part = product("  - id: m\n    kind: device\n    catalog: [sp800-213a:SU-2.2.1]\n")
    assert result(coverage(one_part, "sp800-213a"), "sp800-213a:SU-2.2").status is Status.PARTIAL
    container = coverage(product("  - id: m\n    kind: service\n    catalog: [sp800-213a:SU-2]\n"))
    found = result(container, "nistir-8259a:8259A-SU.5")  # realized by SU-2.2.2, inside SU-2
    assert found.status is Status.PARTIAL
    assert found.means[0].notes == ("cites sp800-213a:SU-2, which contains it",)


def test_a_baseline_element_with_several_realizations_is_partial_for_each() -> None:
    cov = coverage(
        product("  - id: m\n    kind: device\n    catalog: [nistir-8259a:8259A-SU.4]\n"), "sp800-213a"
    )
    for element in ("sp800-213a:LAI-9.4", "sp800-213a:SU-1.3"):
        assert result(cov, element).status is Status.PARTIAL


def test_one_to_one_links_and_federal_text_twins_count_as_the_same_requirement() -> None:
    prod = product("  - id: m\n    kind: device\n    catalog: [sp800-213a:DI-4, sp800-213a:SU-1.1]\n")
    assert result(coverage(prod), "nistir-8259a:8259A-DI.2").status is Status.MET_BY_DEVICE
    federal = coverage(prod, "federal-profile-2020")
    assert result(federal, "federal-profile-2020:FP-SU-1.1").status is Status.MET_BY_DEVICE
    backwards = product("  - id: m\n    kind: device\n    catalog: [nistir-8259a:8259A-DI.2]\n")
    assert result(coverage(backwards, "sp800-213a"), "sp800-213a:DI-4").status is Status.MET_BY_DEVICE


def test_the_same_requirement_is_followed_across_several_links() -> None:
    from securable.assess.coverage import equivalents
    from securable.catalog import find

    # 8259A-DI.1 is realized by DI-1.1 alone, whose Federal Profile twin is FP-DI-1.2
    assert equivalents(find("nistir-8259a:8259A-DI.1")[0]) == (
        "sp800-213a:DI-1.1",
        "federal-profile-2020:FP-DI-1.2",
    )
    assert equivalents(find("nistir-8259a:8259A-DI.1")[0], federal=False) == ("sp800-213a:DI-1.1",)
    # SP 800-213A states one Federal Profile text twice: each of the two is the other
    assert "sp800-213a:LAI-1.2.1" in equivalents(find("sp800-213a:LAI-1.1")[0])
    prod = product("  - id: m\n    kind: device\n    catalog: [nistir-8259a:8259A-DI.1]\n")
    federal = coverage(prod, "federal-profile-2020")
    assert result(federal, "federal-profile-2020:FP-DI-1.2").status is Status.MET_BY_DEVICE


def test_federal_twins_are_the_catalogs_same_as_links() -> None:
    from securable.assess.coverage import equivalents
    from securable.catalog import find

    # both places where SP 800-213A states this requirement, in that catalog's order
    assert equivalents(find("federal-profile-2020:FP-LAI-1.1.1")[0]) == (
        "sp800-213a:LAI-1.1",
        "sp800-213a:LAI-1.2.1",
    )
    di = find("sp800-213a:DI-1.1")[0]
    assert equivalents(di) == ("nistir-8259a:8259A-DI.1", "federal-profile-2020:FP-DI-1.2")
    assert equivalents(di, federal=False) == ("nistir-8259a:8259A-DI.1",)
    # the same words but for "IoT": no link, so not the same requirement
    assert equivalents(find("federal-profile-2020:FP-DI-1.4")[0]) == ()


def test_gap() -> None:
    found = result(coverage(product()), "nistir-8259a:8259A-CSA.2")
    assert (found.status, found.means, found.reason) == (Status.GAP, (), None)


def test_not_applicable_with_the_products_reason() -> None:
    extra = (
        "not_applicable_elements:\n"
        "  nistir-8259a:8259A-DP.3: the cryptography is fixed by the certified configuration\n"
        "  nistir-8259a:8259A-CSA: a sensor with no state to report\n"
    )
    cov = coverage(product(extra=extra))
    found = result(cov, "nistir-8259a:8259A-DP.3")
    assert found.status is Status.NOT_APPLICABLE
    assert found.reason == "the cryptography is fixed by the certified configuration"
    csa = [r for r in cov.results if r.requirement.capability == "nistir-8259a:8259A-CSA"]
    assert {r.status for r in csa} == {Status.NOT_APPLICABLE}  # a capability covers its elements
    # the same requirement in SP 800-213A (8259A-DP.3 has two realizations: not the same)
    assert (
        result(coverage(product(extra=extra), "sp800-213a"), "sp800-213a:CSA-9").status
        is Status.NOT_APPLICABLE
    )


def test_agency_actions_are_the_customers_not_gaps() -> None:
    cov = coverage(product(), "federal-profile-2020")
    agency = [r for r in cov.results if r.requirement.party == "agency"]
    assert agency
    assert {r.status for r in agency} == {Status.CUSTOMER_ACTION}
    assert cov.totals["customer-action"] == len(agency)
    assert cov.totals["gap"] == len(cov.results) - len(agency)


def test_unknown_element_in_not_applicable_is_rejected_with_a_suggestion() -> None:
    from securable.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as err:
        product(extra="not_applicable_elements:\n  nistir-8259a:8259A-DP.9: no\n")
    assert "did you mean 'nistir-8259a:8259A-DP.3'?" in err.value.render()


def test_sums_per_capability_and_per_area() -> None:
    means = (
        "  - id: m-id\n    kind: device\n    catalog: [nistir-8259a:8259A-DI.1, nistir-8259a:8259A-DI.2]\n"
        "  - id: m-upd\n    kind: service\n    catalog: [nistir-8259a:8259A-SU.1]\n"
        "  - id: m-cfg\n    kind: device\n    catalog: [nistir-8259a:8259A-DC.1]\n    status: partial\n"
    )
    cov = coverage(product(means))
    caps = {g.id: g for g in cov.capabilities}
    assert [g.id.split(":")[1] for g in cov.capabilities] == [
        "8259A-DI",
        "8259A-DC",
        "8259A-DP",
        "8259A-LAI",
        "8259A-SU",
        "8259A-CSA",
    ]
    assert caps["nistir-8259a:8259A-DI"].counts["met-by-device"] == 2
    su = caps["nistir-8259a:8259A-SU"].counts
    # SU.3 (roll back) is realized by the whole SU capability, of which SU-2.1 (= 8259A-SU.1) is a part
    assert (su["met-by-other-means"], su["partial"], su["gap"], su["total"]) == (1, 1, 4, 6)
    assert caps["nistir-8259a:8259A-DC"].areas == ("vulnerability-management", "access-management")
    areas = {g.id: g.counts for g in cov.areas}
    assert list(areas) == list(AREAS)
    assert areas["asset-management"] == {**dict.fromkeys(STATUSES, 0), "met-by-device": 2, "total": 2}
    vm = areas["vulnerability-management"]  # DC (3) and SU (6)
    assert (vm["total"], vm["partial"], vm["met-by-other-means"], vm["gap"]) == (9, 2, 1, 6)
    assert areas["access-management"]["total"] == 6  # DC (3) and LAI (3)
    assert sum(cov.totals[s] for s in STATUSES) == cov.totals["total"] == 21


def test_every_capability_of_every_baseline_has_areas() -> None:
    for baseline in ("nistir-8259a", "nistir-8259b", "sp800-213a", "federal-profile-2020"):
        assert all(r.areas for r in baseline_target(baseline).requirements), baseline
    assert areas_for("FP-CEA") == CAPABILITY_AREAS["CSA"]
    assert areas_for("DOC", "Data Protection") == ("data-protection",)  # labelled actions


def test_the_example_credits_its_app_as_other_means() -> None:
    from securable.product import load_product

    cov = coverage(load_product(EXAMPLE))
    assert result(cov, "nistir-8259a:8259A-CSA.1").status is Status.MET_BY_OTHER_MEANS  # the app


# --- links to whole capabilities, and capabilities listed with their own parts --------------------


def test_a_whole_capability_is_not_the_same_requirement_as_an_element() -> None:
    # 8259A-SU.3 (roll back) is realized by the whole SP 800-213A SU capability: not its equal
    from securable.assess.coverage import equivalents
    from securable.catalog import find

    assert equivalents(find("nistir-8259a:8259A-SU.3")[0]) == ()
    assert "nistir-8259a:8259A-SU.3" not in equivalents(find("sp800-213a:SU")[0])
    assert equivalents(find("nistir-8259a:8259A-DI.2")[0]) == ("sp800-213a:DI-4",)  # element to element

    capability = coverage(product("  - id: m\n    kind: device\n    catalog: [sp800-213a:SU]\n"))
    rollback = result(capability, "nistir-8259a:8259A-SU.3")
    assert rollback.status is Status.PARTIAL  # citing a container claims the area, not the element
    assert rollback.means[0].notes == (
        "cites sp800-213a:SU, a whole capability: cite the elements that realize it",
    )

    element = coverage(product("  - id: m\n    kind: device\n    catalog: [nistir-8259a:8259A-SU.3]\n"))
    assert result(element, "nistir-8259a:8259A-SU.3").status is Status.MET_BY_DEVICE
    for other in ("8259A-SU.1", "8259A-SU.2", "8259A-SU.4", "8259A-SU.5"):  # no "which contains it"
        found = result(element, f"nistir-8259a:{other}")
        assert (found.status, found.means) == (Status.GAP, ()), other
    sp = coverage(
        product("  - id: m\n    kind: device\n    catalog: [nistir-8259a:8259A-SU.3]\n"), "sp800-213a"
    )
    assert {r.status for r in sp.results if r.requirement.capability == "sp800-213a:SU"} == {Status.GAP}

    every_part = coverage(
        product("  - id: m\n    kind: device\n    catalog: [sp800-213a:SU-1, sp800-213a:SU-2]\n")
    )
    assert result(every_part, "nistir-8259a:8259A-SU.3").status is Status.MET_BY_DEVICE


def test_a_baseline_capability_realized_by_a_whole_capability_is_partial_for_each_sub_capability() -> None:
    # 8259A-DC is realized by the whole SP 800-213A DC capability, that is DC-1 to DC-5 together: the
    # citation supports each of them without saying which one it meets, as the package claims it.
    from securable.assess.gaps import coverage_findings

    prod = product("  - id: m\n    kind: device\n    catalog: [nistir-8259a:8259A-DC]\n    status: full\n")
    cov = coverage(prod, "sp800-213a")
    why = (
        "cites nistir-8259a:8259A-DC, which NIST realizes by the whole sp800-213a:DC capability, "
        "without saying which of its sub-capabilities it meets"
    )
    for sub in ("DC-1", "DC-2", "DC-3", "DC-4"):  # sub-capabilities NIST states without elements
        found = result(cov, f"sp800-213a:{sub}")
        assert found.status is Status.PARTIAL, sub
        assert [(u.means, u.coverage, u.via, u.notes) for u in found.means] == [
            ("m", "partial", ("nistir-8259a:8259A-DC",), (why,))
        ]
    for element in ("DC-5.1", "DC-5.4"):  # nothing for what the sub-capabilities contain
        assert result(cov, f"sp800-213a:{element}").status is Status.GAP
    assert {r.status for r in cov.results if r.requirement.capability != "sp800-213a:DC"} == {Status.GAP}
    # one finding for the DC capability's partly met requirements, each listed with why
    (dc,) = [f for f in coverage_findings(prod, [cov]) if "sp800-213a:DC-1" in f.citation.elements]
    assert dc.rule == "COV-002"
    assert dc.citation.elements == tuple(f"sp800-213a:DC-{n}" for n in range(1, 5))
    assert dc.message.startswith("sp800-213a:DC (Device Configuration): 4 of ")
    assert f"DC-1 ({why}), DC-2 ({why})" in dc.message


def test_not_applicable_on_an_element_does_not_spread_over_the_capability_that_realizes_it() -> None:
    extra = "not_applicable_elements:\n  nistir-8259a:8259A-SU.3: a single firmware bank\n"
    cov = coverage(product(extra=extra), "sp800-213a")
    assert {r.status for r in cov.results if r.requirement.capability == "sp800-213a:SU"} == {Status.GAP}
    # a capability's declaration covers the equivalents of the elements inside it, and no more
    extra = "not_applicable_elements:\n  nistir-8259a:8259A-SU: no updates\n"
    cov = coverage(product(extra=extra), "sp800-213a")
    assert result(cov, "sp800-213a:SU-2.1").status is Status.NOT_APPLICABLE  # = 8259A-SU.1
    assert result(cov, "sp800-213a:SU-1.1").status is Status.GAP


@pytest.mark.parametrize(
    ("requirement", "children"),
    [
        ("8259B-DOC", ("DOC-1", "DOC-2", "DOC-3", "DOC-4")),
        ("8259B-IQR", ("IQR-1", "IQR-2")),
        ("8259B-IDS", ("IDS-1", "IDS-2")),
        ("8259B-EA", ("EA-1", "EA-2", "EA-3", "EA-4", "EA-5", "EA-6")),
    ],
)
def test_a_capability_listed_with_its_own_parts_needs_all_of_them(
    requirement: str, children: tuple[str, ...]
) -> None:
    # NIST's link list is the capability and its sub-capabilities: parts, not alternatives
    def status(*cited: str) -> Status:
        refs = ", ".join(f"sp800-213a:{c}" for c in cited)
        cov = coverage(product(f"  - id: m\n    kind: device\n    catalog: [{refs}]\n"), "nistir-8259b")
        return result(cov, f"nistir-8259b:{requirement}").status

    assert status(children[-1]) is Status.PARTIAL
    assert status(*children[:-1]) is Status.PARTIAL
    assert status(*children) is Status.MET_BY_DEVICE
    assert status(children[0].partition("-")[0]) is Status.PARTIAL  # the capability alone


def test_an_element_listed_with_some_of_its_sub_elements() -> None:
    # 8259A-LAI.3 (configurable lock-out): LAI-2.1, or both LAI-2.1.1 (how long) and LAI-2.1.2 (after
    # how many attempts); either sub-element alone is not a configurable lock-out
    def status(*cited: str) -> Status:
        refs = ", ".join(f"sp800-213a:{c}" for c in cited)
        cov = coverage(product(f"  - id: m\n    kind: device\n    catalog: [{refs}]\n"))
        return result(cov, "nistir-8259a:8259A-LAI.3").status

    assert status("LAI-2.1.2") is Status.PARTIAL
    assert status("LAI-2.1.1", "LAI-2.1.2") is Status.MET_BY_DEVICE
    assert status("LAI-2.1") is Status.MET_BY_DEVICE


def test_a_lock_out_answer_limits_what_its_lock_out_citations_meet() -> None:
    auth = "    robustness:\n      authentication:\n        lockout: {}\n"

    def status(cites: str, lockout: str | None) -> Status:
        text = f"  - id: m\n    kind: device\n    catalog: [{cites}]\n" + (
            auth.format(lockout) if lockout else ""
        )
        return result(coverage(product(text)), "nistir-8259a:8259A-LAI.3").status

    configurable = "nistir-8259a:8259A-LAI.3"
    assert status(configurable, None) is Status.MET_BY_DEVICE
    assert status(configurable, "configurable") is Status.MET_BY_DEVICE
    assert status(configurable, "fixed") is Status.PARTIAL  # it locks, but nobody can configure it
    assert status(configurable, "none") is Status.GAP
    # locking after failed attempts is one of the two parts of configurable lock-out
    assert status("sp800-213a:LAI-2.1.2", "fixed") is Status.PARTIAL
    assert status("sp800-213a:LAI-2.1.2", "none") is Status.GAP
    text = f"  - id: m\n    kind: device\n    catalog: [{configurable}]\n" + auth.format("fixed")
    notes = [note for use in result(coverage(product(text)), configurable).means for note in use.notes]
    assert any("lock-out is fixed" in note for note in notes)


@pytest.mark.parametrize(
    ("reversion", "expected"),
    [(None, Status.PARTIAL), ("both", Status.PARTIAL), ("none", Status.GAP), ("anti-rollback", Status.GAP)],
)
def test_a_means_that_cannot_revert_updates_does_not_count_for_roll_back(
    reversion: str | None, expected: Status
) -> None:
    # 8259A-SU.3 is realized by the whole SU capability, so any SU citation counts partly for it,
    # unless the citing means says it does not roll updates back
    robustness = f"    robustness:\n      update_reversion: {reversion}\n" if reversion else ""
    means = "  - id: m-upd\n    kind: device\n    catalog: [sp800-213a:SU-2.1]\n"
    cov = coverage(product(means + robustness))
    found = result(cov, "nistir-8259a:8259A-SU.3")
    assert found.status is expected
    assert result(cov, "nistir-8259a:8259A-SU.1").status is not Status.GAP  # other elements unaffected


@pytest.mark.parametrize(
    ("credentials", "expected"),
    [
        ("unique", Status.MET_BY_DEVICE),
        ("shared-must-change", Status.MET_BY_DEVICE),
        ("shared", Status.PARTIAL),
    ],
)
def test_a_shared_default_password_does_not_meet_restricted_interface_access(
    credentials: str, expected: Status
) -> None:
    means = (
        "  - id: m-auth\n    kind: device\n    catalog: [nistir-8259a:8259A-LAI.2]\n"
        f"    robustness:\n      authentication:\n        shipped_credentials: {credentials}\n"
    )
    found = result(coverage(product(means)), "nistir-8259a:8259A-LAI.2")
    assert found.status is expected
    if expected is Status.PARTIAL:
        assert any("shared default password" in note for use in found.means for note in use.notes)
