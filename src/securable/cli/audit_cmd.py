"""``securable audit verify FILE``: check an exported audit chain without the workspace installed."""

from __future__ import annotations

import io

from securable.cli.render import emit, emit_json
from securable.errors import ExitCode, InputError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from securable.cli.args import Args

# 50,000 events of a few hundred bytes each are ~25 MB; a chain many times that is not an export.
MAX_EXPORT_BYTES = 512 * 1024 * 1024


def verify(args: Args) -> int:
    from securable.audit.chain import verify_lines
    from securable.inputs import read_input

    raw = read_input(
        args.file, MAX_EXPORT_BYTES, what="audit export", hint="export one with `securable web audit-export`"
    )
    if len(raw) > MAX_EXPORT_BYTES:
        raise InputError(f"{args.file} is larger than {MAX_EXPORT_BYTES // 1024 // 1024} MiB")
    report = verify_lines(io.BytesIO(raw))
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
            }
        )
    elif report.bad is None:
        if report.events == 0:
            emit(f"{args.file}: no events (an empty chain)\n")
        else:
            emit(
                f"{args.file}: {report.events} events of organization {report.organization}, chain intact\n"
                f"  last hash: {report.last_hash}\n"
            )
    else:
        bad = report.bad
        which = f"event {bad.seq}" if bad.seq is not None else "a record"
        emit(
            f"{args.file}:{bad.line}: {which}: {bad.reason}\n"
            f"  the {report.events} events before it are intact\n"
        )
    return ExitCode.OK if report.ok else ExitCode.FINDINGS
