"""The audit hash chain (core, no Django) and `securable audit verify`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from securable.audit.chain import GENESIS, canonical, dumps_record, event_hash, record, verify_lines
from securable.cli import main

ORG = "7c0e8f7e-0000-4000-8000-000000000001"


def chain(events: list[dict[str, object]], org: str = ORG) -> list[dict[str, object]]:
    out, prev = [], GENESIS
    for seq, event in enumerate(events, 1):
        rec = record(org, seq, prev, event)
        out.append(rec)
        prev = str(rec["hash"])
    return out


def as_bytes(records: list[dict[str, object]]) -> bytes:
    return "".join(dumps_record(r) for r in records).encode("utf-8")


def events(n: int) -> list[dict[str, object]]:
    return [{"action": "product.version", "n": i, "why": f"release {i} – ü"} for i in range(n)]


def test_canonical_form_is_order_independent_and_compact() -> None:
    assert canonical({"b": 1, "a": [1, "é"]}) == canonical({"a": [1, "é"], "b": 1})
    assert canonical({"b": 1, "a": "é"}) == '{"a":"é","b":1}'.encode()
    with pytest.raises(ValueError, match="JSON compliant"):
        canonical({"x": float("nan")})


def test_each_hash_covers_the_previous_one() -> None:
    event = {"action": "x"}
    assert event_hash(GENESIS, event) != event_hash("1" * 64, event)
    assert event_hash(GENESIS, event) != event_hash(GENESIS, {"action": "y"})


def test_an_intact_chain_verifies() -> None:
    records = chain(events(5))
    report = verify_lines(io.BytesIO(as_bytes(records)))
    assert report.ok
    assert (report.events, report.organization, report.last_hash) == (5, ORG, records[-1]["hash"])


def test_an_empty_export_is_an_intact_empty_chain() -> None:
    report = verify_lines(io.BytesIO(b""))
    assert report.ok
    assert report.events == 0


def _first_bad(records: list[dict[str, object]]) -> tuple[int | None, str]:
    report = verify_lines(io.BytesIO(as_bytes(records)))
    assert report.bad is not None
    return report.bad.seq, report.bad.reason


def test_a_changed_event_is_named() -> None:
    records = chain(events(6))
    records[3]["event"] = {**records[3]["event"], "why": "edited"}  # type: ignore[dict-item]
    assert _first_bad(records) == (4, "its hash does not match its content (the event was changed)")


def test_a_changed_event_with_a_recomputed_hash_breaks_the_next_link() -> None:
    records = chain(events(6))
    changed = {**records[2]["event"], "why": "edited"}  # type: ignore[dict-item]
    records[2] = record(ORG, 3, str(records[1]["hash"]), changed)
    seq, reason = _first_bad(records)
    assert seq == 4
    assert "previous hash" in reason


def test_removed_moved_and_foreign_events_are_named() -> None:
    records = chain(events(5))
    assert _first_bad(records[:2] + records[3:])[0] == 4  # event 3 removed
    assert _first_bad([records[1], records[0], *records[2:]])[0] == 2  # swapped
    other = chain(events(5), org="another")
    assert "organization" in _first_bad([*records[:2], other[2], *records[3:]])[1]


def test_records_that_are_not_audit_events_are_refused_with_their_line() -> None:
    good = as_bytes(chain(events(2)))
    for junk in (b"{not json\n", b"[1, 2]\n", b'{"seq": 3}\n', b"\n"):
        report = verify_lines(io.BytesIO(good + junk))
        assert report.bad is not None
        assert (report.bad.line, report.events) == (3, 2)


@given(st.data())
def test_any_single_changed_byte_of_an_event_is_caught(data: st.DataObject) -> None:
    blob = bytearray(as_bytes(chain(events(4))))
    index = data.draw(st.integers(0, len(blob) - 1))
    new = data.draw(st.integers(0, 255).filter(lambda b: b != blob[index]))
    blob[index] = new
    report = verify_lines(io.BytesIO(bytes(blob)))
    # A changed byte breaks a record's JSON, its fields or its hash: the chain never verifies.
    assert not report.ok


def test_cli_verify_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.jsonl"
    good.write_bytes(as_bytes(chain(events(3))))
    assert main(["audit", "verify", str(good)]) == 0
    assert "3 events" in capsys.readouterr().out

    records = chain(events(3))
    records[1]["event"] = {"action": "forged"}
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(as_bytes(records))
    assert main(["audit", "verify", str(bad)]) == 1
    assert f"{bad}:2: event 2: its hash does not match" in capsys.readouterr().out

    assert main(["audit", "verify", str(bad), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["intact"], report["first_bad"]["line"], report["first_bad"]["seq"]) == (False, 2, 2)
    assert "hash does not match" in report["first_bad"]["reason"]
    assert report["good_events"] == 1

    assert main(["audit", "verify", str(tmp_path / "missing.jsonl")]) == 2


def test_checkpoint_lines_that_are_not_checkpoints_are_named(tmp_path: Path) -> None:
    from securable.audit.checkpoint import check, sign, statement
    from securable.package.keys import keygen, load_private_key, load_public_key

    keygen(tmp_path / "k", tmp_path / "k.pub")
    key = load_private_key(tmp_path / "k")
    records = chain(events(3))
    hashes = {int(str(r["seq"])): str(r["hash"]) for r in records}
    good = json.dumps(sign(key, statement(ORG, 3, hashes[3], "2026-12-04"))).encode()
    foreign = json.dumps(sign(key, statement("another", 3, hashes[3], "2026-12-04"))).encode()
    held, problems = check(
        [good, b"{}", b"not json", foreign], load_public_key(tmp_path / "k.pub"), ORG, hashes
    )
    assert held == 1
    assert [p.line for p in problems] == [2, 3, 4]
    assert problems[0].reason.startswith("not a checkpoint")
    assert problems[2].reason == "signed for another organization"
