"""A per-organization hash chain of audit events: canonical form, hashing and verifying.

Each event's hash covers the previous event's hash and the canonical JSON of the event itself, so
changing, removing, reordering or inserting any event breaks every hash after it. This module has
no Django import: the workspace uses it to append events and ``securable audit verify`` uses it to
check a chain exported as JSON Lines, one record per line::

    {"organization": ..., "seq": 1, "prev": "000…", "hash": "…", "event": {...}}

Personal data (names, e-mail addresses) never goes into ``event``: actors are named by a stable id,
so the people table can be erased without touching the chain.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import IO, Any

GENESIS = "0" * 64  # the "previous hash" of an organization's first event
DOMAIN = b"securable-audit-v1\n"  # ties the hash to this format, so it cannot be replayed as another
MAX_LINE = 1024 * 1024  # an event is a few hundred bytes; a longer line is refused, not read whole


def canonical(event: dict[str, Any]) -> bytes:
    """The one byte form of an event that is hashed: sorted keys, no spaces, UTF-8, no NaN."""
    return json.dumps(
        event, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def event_hash(prev: str, event: dict[str, Any]) -> str:
    return hashlib.sha256(DOMAIN + prev.encode("ascii") + b"\n" + canonical(event)).hexdigest()


def record(organization: str, seq: int, prev: str, event: dict[str, Any]) -> dict[str, Any]:
    """The exported form of one event: what a line of the JSON Lines export holds."""
    return {
        "organization": organization,
        "seq": seq,
        "prev": prev,
        "hash": event_hash(prev, event),
        "event": event,
    }


def dumps_record(rec: dict[str, Any]) -> str:
    return json.dumps(rec, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class BadEvent:
    line: int
    seq: int | None
    reason: str


@dataclass(frozen=True)
class ChainReport:
    events: int  # how many events were checked and found good
    organization: str | None
    last_hash: str
    bad: BadEvent | None
    hashes: dict[int, str] | None = None  # every good event's hash by seq, when asked for

    @property
    def ok(self) -> bool:
        return self.bad is None


def verify_lines(stream: IO[bytes], *, keep_hashes: bool = False) -> ChainReport:
    """Check a JSON Lines export from its first event; stop at the first bad one and name it.

    With ``keep_hashes``, the report lists each good event's hash (to compare with checkpoints).
    """
    prev, organization, count = GENESIS, None, 0
    hashes: dict[int, str] | None = {} if keep_hashes else None
    line_no = 0
    while True:
        raw = stream.readline(MAX_LINE + 1)
        if not raw:
            break
        line_no += 1
        if len(raw) > MAX_LINE:
            return _bad(
                count,
                organization,
                prev,
                line=line_no,
                seq=None,
                why=f"line longer than {MAX_LINE} bytes",
                hashes=hashes,
            )
        if not raw.strip():
            return _bad(
                count,
                organization,
                prev,
                line=line_no,
                seq=None,
                why="empty line inside the chain",
                hashes=hashes,
            )
        problem, seq = _check(raw, count + 1, prev, organization)
        if problem:
            return _bad(count, organization, prev, line=line_no, seq=seq, why=problem, hashes=hashes)
        rec = json.loads(raw)
        organization, prev, count = rec["organization"], rec["hash"], count + 1
        if hashes is not None:
            hashes[count] = prev
    return ChainReport(count, organization, prev, None, hashes)


def _bad(
    count: int,
    org: str | None,
    prev: str,
    *,
    line: int,
    seq: int | None,
    why: str,
    hashes: dict[int, str] | None,
) -> ChainReport:
    return ChainReport(count, org, prev, BadEvent(line, seq, why), hashes)


def _check(raw: bytes, want_seq: int, prev: str, organization: str | None) -> tuple[str | None, int | None]:
    try:
        rec = json.loads(raw)
    except (ValueError, RecursionError) as err:
        return f"not JSON ({err})", None
    if not isinstance(rec, dict) or set(rec) != {"organization", "seq", "prev", "hash", "event"}:
        return "not an audit record (expected organization, seq, prev, hash and event)", None
    seq = rec["seq"]
    if not isinstance(seq, int) or isinstance(seq, bool):
        return "seq is not an integer", None
    if not isinstance(rec["event"], dict) or not all(
        isinstance(rec[k], str) for k in ("organization", "prev", "hash")
    ):
        return "fields of the wrong type", seq
    if organization is not None and rec["organization"] != organization:
        return f"belongs to organization {rec['organization']!r}, not {organization!r}", seq
    if seq != want_seq:
        return f"expected event {want_seq} here, found event {seq} (an event is missing or moved)", seq
    if rec["prev"] != prev:
        return "its previous hash is not the hash of the event before it", seq
    try:
        actual = event_hash(prev, rec["event"])
    except ValueError as err:  # NaN or a lone surrogate cannot be canonical
        return f"event cannot be put in canonical form ({err})", seq
    if actual != rec["hash"]:
        return "its hash does not match its content (the event was changed)", seq
    return None, seq
