"""``securable audit verify FILE``: check an exported audit chain without the workspace installed."""

from __future__ import annotations

import io

from securable.cli.exitcodes import ExitCode
from securable.cli.render import emit, emit_json
from securable.errors import InputError, UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

    from securable.cli.arguments import AuditVerifyArgs

# 50,000 events of a few hundred bytes each are ~25 MB; a chain many times that is not an export.
MAX_EXPORT_BYTES = 512 * 1024 * 1024
MAX_CHECKPOINT_BYTES = 64 * 1024 * 1024


def _read(path: str, limit: int, what: str) -> bytes:
    from securable.inputs import read_input

    raw = read_input(path, limit, what=what, hint="export it from the workspace (see README, Workspace)")
    if len(raw) > limit:
        raise InputError(f"{path} is larger than {limit // 1024 // 1024} MiB")
    return raw


def verify(args: AuditVerifyArgs) -> int:
    from securable.audit.chain import verify_lines

    if bool(args.checkpoints) != bool(args.key):
        raise UsageError(
            "--checkpoints and --key go together", hint="give the checkpoints file and the public key"
        )
    key = None
    if args.key:
        from pathlib import Path

        from securable.package.keys import load_public_key

        key = load_public_key(Path(args.key))
    report = verify_lines(
        io.BytesIO(_read(args.file, MAX_EXPORT_BYTES, "audit export")), keep_hashes=bool(key)
    )
    checked: dict[str, Any] | None = None
    if key is not None and args.checkpoints:
        checked = _checkpoints(args.checkpoints, key, report)
    if args.format == "json":
        bad = report.bad
        emit_json(
            {
                "file": args.file,
                "intact": report.ok,
                "good_events": report.events,
                "organization": report.organization,
                "last_good_hash": report.last_hash,
                "first_bad": None
                if bad is None
                else {"line": bad.line, "seq": bad.seq, "reason": bad.reason},
                "checkpoints": checked,
            }
        )
    else:
        emit(_text(args.file, report))
        if checked is not None and args.checkpoints:
            emit(_checkpoint_text(args.checkpoints, checked))
    ok = report.ok and (checked is None or (checked["checked"] and not checked["problems"]))
    return ExitCode.OK if ok else ExitCode.FINDINGS


def _checkpoints(path: str, key: Any, report: Any) -> dict[str, Any]:
    from securable.audit.checkpoint import check

    lines = _read(path, MAX_CHECKPOINT_BYTES, "checkpoints file").splitlines()
    if not report.ok:
        return {"checked": False, "held": 0, "problems": []}
    held, problems = check(lines, key, report.organization, report.hashes or {})
    return {
        "checked": True,
        "held": held,
        "problems": [{"line": p.line, "reason": p.reason} for p in problems],
    }


def _text(path: str, report: Any) -> str:
    if report.bad is None:
        if report.events == 0:
            return f"{path}: no events (an empty chain)\n"
        return (
            f"{path}: {report.events} events of organization {report.organization}, chain intact\n"
            f"  last hash: {report.last_hash}\n"
        )
    bad = report.bad
    which = f"event {bad.seq}" if bad.seq is not None else "a record"
    return f"{path}:{bad.line}: {which}: {bad.reason}\n  the {report.events} events before it are intact\n"


def _checkpoint_text(path: str, checked: dict[str, Any]) -> str:
    if not checked["checked"]:
        return f"{path}: checkpoints not checked: the chain itself is broken\n"
    lines = [f"{path}:{p['line']}: {p['reason']}\n" for p in checked["problems"]]
    held = checked["held"]
    lines.append(f"{path}: {held} signed checkpoint{'s' if held != 1 else ''} agree with the chain\n")
    return "".join(lines)
