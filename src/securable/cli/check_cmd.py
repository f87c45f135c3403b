"""``securable check``: coverage of baselines and profiles, and findings, for one product description.

Exit codes: 0 when no finding reaches ``--fail-on``, 1 when one does (or the product description
does not validate), 2 for bad input (a missing file, an unknown baseline, a malformed profile).
Everything heavy (pydantic, the YAML reader, the catalogs) is imported only for an uncached check;
results are cached by ``securable.cli.check_cache``.
"""

from __future__ import annotations

from securable.cli.exitcodes import ExitCode

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from datetime import date

    from securable.cli.arguments import CheckArgs


def check(args: CheckArgs) -> int:
    from securable.assess import DEFAULT_BASELINES
    from securable.cli import check_cache
    from securable.cli.dates import run_date

    today = run_date(args.date)
    baselines = list(args.baseline or ())
    profiles = list(args.profile or ())
    if not baselines and not profiles:
        baselines = list(DEFAULT_BASELINES)
    if args.output and _same_file(args.output, args.product):
        from securable.errors import UsageError

        raise UsageError("the report would overwrite the product description", hint="choose another -o file")
    # Reports name files as typed, so the typed path and the folder it is relative to are inputs too.
    import os

    parts = [f"product={args.product}", f"cwd={os.getcwd()}", f"date={today}", f"format={args.format}"]
    parts += [f"fail-on={args.fail_on}", *baselines, "--", *profiles]
    if args.format == "table":
        from securable.cli.render import width

        parts.append(f"width={width()}")
    key = check_cache.request_key(parts, [args.product, *profiles])
    cached = check_cache.lookup(key)
    if cached is not None:
        text, code = cached
    else:
        text, code, deps = _assess(args, today, baselines, profiles)
        check_cache.store(key, text, code, deps)
    if args.output:
        from pathlib import Path

        from securable.fileio import write_text_atomic

        write_text_atomic(Path(args.output), text)
    else:
        from securable.cli.render import emit

        emit(text)
    return code


def _assess(
    args: CheckArgs, today: date, baselines: list[str], profiles: list[str]
) -> tuple[str, int, list[str]]:
    """The uncached check: the report, the exit code, and the files it read besides the request's."""
    from securable import api
    from securable.cli.render import width

    result = api.check(args.product, today=today, baselines=baselines, profiles=profiles)
    text = result.report(args.format, api.RenderOptions(width=width()))
    code = ExitCode.FINDINGS if result.fails(args.fail_on) else ExitCode.OK
    given = {args.product, *profiles}
    return text, code, [read.name for read in result.reads if read.name not in given]


def _same_file(a: str, b: str) -> bool:
    import os

    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
