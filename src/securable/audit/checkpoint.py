"""Signed checkpoints of an audit chain: "on DAY, organization ORG's event SEQ had hash H", Ed25519.

A checkpoint is made daily by the workspace with a key kept outside its database. Someone who can
write the database could otherwise rewrite the chain consistently from an altered event on, or cut
its tail; a signed checkpoint pins the chain up to its event, so ``securable audit verify --checkpoints``
catches both. One checkpoint per line (JSON Lines)::

    {"statement": {"organization": ..., "seq": 42, "hash": ..., "day": "2026-12-04"}, "key": "sha256:...",
     "signature": "<base64>"}
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from securable.audit.chain import canonical

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

DOMAIN = b"securable-audit-checkpoint-v1\n"


def statement(organization: str, seq: int, digest: str, day: str) -> dict[str, Any]:
    return {"organization": organization, "seq": seq, "hash": digest, "day": day}


def sign(key: Ed25519PrivateKey, stmt: dict[str, Any]) -> dict[str, Any]:
    from securable.package.keys import fingerprint

    signature = key.sign(DOMAIN + canonical(stmt))
    return {
        "statement": stmt,
        "key": fingerprint(key.public_key()),
        "signature": base64.b64encode(signature).decode("ascii"),
    }


@dataclass(frozen=True)
class CheckpointProblem:
    line: int
    reason: str


def check(
    lines: list[bytes], key: Ed25519PublicKey, organization: str | None, hashes: dict[int, str]
) -> tuple[int, list[CheckpointProblem]]:
    """Check each checkpoint's signature and that the chain (``hashes`` by seq) still agrees with it.

    Returns how many checkpoints held and the problems, one per bad checkpoint.
    """
    from cryptography.exceptions import InvalidSignature

    good, problems = 0, []
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
            stmt = item["statement"]
            signature = base64.b64decode(item["signature"], validate=True)
            seq, digest = stmt["seq"], stmt["hash"]
            if not isinstance(seq, int) or not isinstance(digest, str):
                raise TypeError("seq and hash have the wrong types")
            key.verify(signature, DOMAIN + canonical(stmt))
        except InvalidSignature:
            problems.append(CheckpointProblem(number, "the signature does not match (wrong key, or changed)"))
            continue
        except (ValueError, KeyError, TypeError, binascii.Error, RecursionError) as err:
            problems.append(CheckpointProblem(number, f"not a checkpoint ({err})"))
            continue
        if organization is not None and stmt.get("organization") != organization:
            problems.append(CheckpointProblem(number, "signed for another organization"))
        elif seq not in hashes:
            problems.append(
                CheckpointProblem(number, f"signed event {seq} is missing from the chain (its tail was cut)")
            )
        elif hashes[seq] != digest:
            problems.append(
                CheckpointProblem(
                    number, f"event {seq} differs from the signed one (the chain was rewritten)"
                )
            )
        else:
            good += 1
    return good, problems
