"""The core rules of reviews (due dates, the schedule, the assignee, outcomes), advisories matched
to register devices, and reports built from an audit chain (made here with the chain's own hashing)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisories import csaf
from securable.audit.chain import GENESIS, event_hash, record
from securable.errors import InputError
from securable.operations import advisory as adv
from securable.operations import report as rp
from securable.operations import reviews as rv


def test_due_dates_follow_the_kind() -> None:
    day = date(2026, 3, 1)
    assert [rv.due(k, day) for k in rv.KINDS] == [day + timedelta(days=rv.DUE_DAYS[k]) for k in rv.KINDS]
    assert rv.due("incident", day) < rv.due("advisory", day) < rv.due("scheduled", day)
    with pytest.raises(KeyError):
        rv.due("whim", day)


def test_months_clip_to_the_end_of_shorter_months() -> None:
    assert rv.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert rv.add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert rv.add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert rv.add_months(date(2026, 5, 31), 12) == date(2027, 5, 31)


@settings(derandomize=True, max_examples=200)
@given(st.dates(date(2000, 1, 1), date(2090, 12, 31)), st.integers(1, 60))
def test_a_schedule_is_due_exactly_from_the_anniversary(last: date, months: int) -> None:
    anniversary = rv.add_months(last, months)
    assert anniversary > last
    assert rv.scheduled_due(last, months, anniversary)
    assert not rv.scheduled_due(last, months, anniversary - timedelta(days=1))
    assert rv.scheduled_due(None, months, last)


def test_a_frequency_under_a_month_is_refused() -> None:
    with pytest.raises(InputError, match="at least one month"):
        rv.scheduled_due(None, 0, date(2026, 1, 1))


def test_the_least_loaded_candidate_is_assigned_first_listed_on_ties() -> None:
    assert rv.pick_assignee([]) is None
    assert rv.pick_assignee([("a", 2), ("b", 1), ("c", 1)]) == "b"
    assert rv.pick_assignee([("a", 0), ("b", 0)]) == "a"


def test_an_outcome_is_known_and_explained() -> None:
    rv.check_outcome("risk accepted", "vendor fix next quarter")
    with pytest.raises(InputError, match="unknown outcome"):
        rv.check_outcome("fine", "x")
    with pytest.raises(InputError, match="say what"):
        rv.check_outcome("no action needed", " \n")
    with pytest.raises(InputError, match="longer than"):
        rv.check_outcome("no action needed", "x" * (rv.MAX_NOTE + 1))


def key(vendor: str, product: str, version: str, tag: str = "D") -> adv.DeviceKey:
    return adv.DeviceKey(tag, vendor, product, version)


@pytest.mark.parametrize(
    ("named", "purl", "device", "expected"),
    [
        ("Acme SmartCam 2.1", "", key("Acme", "SmartCam", "2.1"), True),
        ("Acme SmartCam 2.1", "", key("acme", "smartcam", ""), True),  # version unknown: every one
        ("Acme SmartCam 2.1", "", key("Acme", "SmartCam", "2.0"), False),
        ("Acme SmartCam 2.1", "", key("Other", "SmartCam", "2.1"), False),
        ("Acme SmartCam Pro 2.1", "", key("Acme", "SmartCam", "2.1"), True),
        ("Acme SmartCamera 2.1", "", key("Acme", "SmartCam", "2.1"), False),  # whole words only
        ("Acme SmartCam", "", key("Acme", "SmartCam", "2.1"), True),  # advisory names no version
        ("", "pkg:generic/acme/smartcam@2.1", key("Acme", "SmartCam", "2.1"), True),
        ("", "pkg:generic/acme/smartcam@2.2", key("Acme", "SmartCam", "2.1"), False),
        ("", "pkg:generic/other/smartcam@2.1", key("Acme", "SmartCam", "2.1"), False),
        ("Acme SmartCam 2.1", "", key("Acme", "", "2.1"), False),  # no product: nothing to match
    ],
)
def test_findings_name_devices_by_vendor_product_and_version(
    named: str, purl: str, device: adv.DeviceKey, expected: bool
) -> None:
    assert adv.names(adv.Finding("CVE-2026-1", "affected", named, purl), device) is expected


def test_only_triggering_statements_match() -> None:
    devices = [key("Acme", "SmartCam", "2.1", "A"), key("Acme", "Hub", "1", "B")]
    findings = [
        adv.Finding("CVE-1", "not_affected", "Acme SmartCam 2.1", ""),
        adv.Finding("CVE-2", "fixed", "Acme Hub 1", ""),
    ]
    assert adv.match(findings, devices) == {"B": [findings[1]]}


def test_an_advisory_is_read_with_the_schema_checked_readers() -> None:
    read = adv.read(csaf("Acme", "SmartCam", "2.1", purl="pkg:generic/acme/smartcam@2.1"), "a.json")
    assert read.format == "csaf"
    assert read.title == "SmartCam advisory"
    assert read.findings == (
        adv.Finding("CVE-2026-0001", "affected", "Acme SmartCam 2.1", "pkg:generic/acme/smartcam@2.1"),
    )
    with pytest.raises(InputError, match="not a CSAF, OpenVEX or CycloneDX"):
        adv.read(b'{"hello": "world"}', "x.json")
    with pytest.raises(InputError):
        adv.read(csaf("Acme", "SmartCam", "2.1").replace(b'"csaf_vex"', b"1"), "bad.json")
    with pytest.raises(InputError, match="larger than"):
        adv.read(b" " * (adv.MAX_BYTES + 1), "big.json")


def chain(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records as the workspace exports them, hashed as the chain hashes."""
    out, prev = [], GENESIS
    for seq, event in enumerate(events, start=1):
        rec = record("org-1", seq, prev, event)
        out.append(rec)
        prev = event_hash(prev, event)
        assert rec["hash"] == prev
    return out


def ev(action: str, kind: str, ident: str, day: int, **after: Any) -> dict[str, Any]:
    return {
        "action": action,
        "actor": "p-1",
        "credential": "session",
        "request_id": "",
        "object": {"type": kind, "id": ident},
        "before": None,
        "after": after,
        "why": "",
        "time": datetime(2026, 6, day, 12, tzinfo=UTC).isoformat(),
    }


STORY = [
    ev("maintenance.request", "maintenance", "M-1", 1, device="CAM-1"),
    ev("maintenance.approve", "maintenance", "M-1", 2, device="CAM-1", state="approved"),
    ev("maintenance.perform", "maintenance", "M-1", 3, device="CAM-1", state="performed"),
    ev("maintenance.verify", "maintenance", "M-1", 4, device="CAM-1", state="failed", note="drift"),
    ev("review.open", "review", "R-1", 4, device="CAM-1", state="open"),
    ev("maintenance.perform", "maintenance", "M-1", 5, device="CAM-1", state="performed"),
    ev("maintenance.verify", "maintenance", "M-1", 6, device="CAM-1", state="verified"),
    ev("maintenance.close", "maintenance", "M-1", 7, device="CAM-1", state="closed"),
    ev("maintenance.request", "maintenance", "M-2", 8, device="HUB-1"),
    ev("maintenance.attest", "maintenance", "M-2", 9, device="HUB-1", state="attested"),
    ev("policy.acknowledge", "policy", "1", 10),
    ev("review.complete", "review", "R-1", 11, device="CAM-1", state="completed", outcome="risk accepted"),
]


def test_a_report_reads_the_whole_chain_and_states_its_range() -> None:
    records = chain(STORY)
    built = rp.named(rp.build(iter(records), rp.Scope("all")), {"p-1": "Pat"})
    assert built.first == (1, records[0]["hash"])
    assert built.last == (len(STORY), records[-1]["hash"])
    counts = {k: len(v) for k, v in built.sections.items()}
    assert counts == {
        "performed": 2,
        "approvals": 1,
        "removals": 1,
        "failures": 2,
        "reviews": 2,
        "open": 1,
        "acknowledgements": 1,
    }
    (still_open,) = built.sections["open"]
    assert (still_open.subject, still_open.detail) == ("M-2", "maintenance attested")
    assert "resolved by event 7" in built.sections["failures"][1].detail
    assert {line.who for lines in built.sections.values() for line in lines} == {"Pat"}


def test_a_report_scopes_by_device_and_period_but_keeps_the_range() -> None:
    records = chain(STORY)
    hub = rp.build(records, rp.Scope("hub", frozenset({"HUB-1"})))
    assert [x.subject for x in hub.sections["removals"]] == ["M-2"]
    assert not hub.sections["performed"]
    assert len(hub.sections["acknowledgements"]) == 1  # organization-wide, shown with every device
    assert hub.last == (len(STORY), records[-1]["hash"])
    start, end = datetime(2026, 6, 5, tzinfo=UTC), datetime(2026, 6, 9, tzinfo=UTC)
    week = rp.build(records, rp.Scope("week", None, start, end))
    assert [x.seq for x in week.sections["performed"]] == [6]
    assert [x.seq for x in week.sections["failures"]] == [7]
    assert [x.subject for x in week.sections["open"]] == ["M-2"]  # open at the head, whatever the period
    assert "p-1" in {x.who for x in week.sections["performed"]}  # no name given: the id in the chain
    with pytest.raises(InputError, match="ends before"):
        rp.Scope("bad", None, end, start)


def test_report_exports_carry_the_range_and_defuse_formulas() -> None:
    records = chain([*STORY, ev("maintenance.perform", "maintenance", "M-3", 12, device="=1+1", note="@x")])
    built = rp.build(records, rp.Scope("=title"))
    text = rp.to_csv(built)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["report", "'=title"]
    assert records[-1]["hash"] in rows[2][1]
    assert rows[3] == list(rp.COLUMNS)
    (performed,) = [r for r in rows if r[0] == "performed" and r[4] == "M-3"]
    assert [performed[5], performed[7]] == ["'=1+1", "'@x"]
    page = rp.to_html(built)
    assert records[0]["hash"] in page
    assert "<script" not in page
    empty = rp.build([], rp.Scope("nothing"))
    assert "the audit chain was empty" in rp.to_html(empty)
