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
    from pathlib import Path

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
    # Reports name files as typed, so the typed path and the folder it is relative to are inputs too.
    import os

    parts = [f"product={args.product}", f"cwd={os.getcwd()}", f"date={today}", f"format={args.format}"]
    parts += [f"fail-on={args.fail_on}", *baselines, "--", *profiles]
    if args.format == "table":
        from securable.cli.render import width

        parts.append(f"width={width()}")
    # Each file is read once, with its size limit; the key is made from these very bytes, and they are
    # what is checked (a pipe such as <(cat securable.yaml) can be read only once).
    from securable.inputs import read_product_file, read_profile_file

    profile_bytes = {path: read_profile_file(path) for path in dict.fromkeys(profiles)}
    product_bytes = read_product_file(args.product)
    key = check_cache.request_key(parts, [(args.product, product_bytes), *profile_bytes.items()])
    cached = check_cache.lookup(key)
    if cached is not None:
        text, code, warnings = cached
    else:
        text, code, deps, warnings = _assess(args, today, baselines, profile_bytes, product_bytes)
        check_cache.store(key, text, code, deps, warnings)
    if warnings:
        import sys

        from securable.textsafety import terminal

        for warning in warnings:
            print(terminal(f"securable: warning: {warning}"), file=sys.stderr)
    if args.output:
        from pathlib import Path

        from securable.fileio import write_text_atomic

        write_text_atomic(Path(args.output), text)
    elif args.format == "table":
        from securable.cli.render import emit_styled
        from securable.rendering.style import check_report

        emit_styled(text, check_report)
    else:  # JSON, Markdown and SARIF stay plain wherever they go
        from securable.cli.render import emit

        emit(text)
    return code


def _assess(
    args: CheckArgs, today: date, baselines: list[str], profiles: dict[str, bytes], product: bytes
) -> tuple[str, int, dict[str, str], list[str]]:
    """The uncached check: the report, the exit code, the files it read besides the request's (each
    with the digest of what was read), and warnings for the manufacturer."""
    from pathlib import Path

    from securable import api
    from securable.cli.render import width

    def document(path: str, data: bytes) -> api.Document:
        # A pipe (`check <(cat securable.yaml)`) has no folder: its relative paths are not looked up.
        return api.Document(path, data, Path(path).parent if Path(path).is_file() else None)

    result = api.check(
        document(args.product, product),
        today=today,
        baselines=baselines,
        profiles=[document(path, raw) for path, raw in profiles.items()],
    )
    text = result.report(args.format, api.RenderOptions(width=width()))
    if args.format == "table":  # for terminals, also when written to a file and shown later
        from securable.textsafety import terminal

        text = terminal(text)
    code = ExitCode.FINDINGS if result.fails(args.fail_on) else ExitCode.OK
    given = {args.product, *profiles}
    deps = {read.name: read.sha256 for read in result.reads if read.name not in given}
    support = result.assessment.product.support
    reporting = support.vulnerability_reporting if support else None
    warnings: list[str] = []
    if reporting is not None and reporting.security_txt:
        published = Path(args.product).parent / reporting.security_txt
        warnings += _security_txt_warnings(published, reporting.security_txt, today, deps)
    return text, code, deps, warnings


def _security_txt_warnings(path: Path, named: str, today: date, deps: dict[str, str]) -> list[str]:
    """The published security.txt the product names: expired, or expiring within 30 days? What was
    read is added to ``deps``, so a cached result is dropped when the file changes."""
    import hashlib
    import os

    from securable.inputs import read_capped
    from securable.package.machine.securitytxt import expires_of, expiry_problem

    try:  # RFC 9116 files are a few hundred bytes; a regular file only, never a pipe or device
        text = read_capped(path, 64 * 1024, regular_only=True)
    except OSError as err:
        return [f"cannot read the published security.txt {named!r}: {err.strerror or err}"]
    deps[os.path.realpath(path)] = hashlib.sha256(text).hexdigest()
    if expires_of(text) is None:
        return [f"the published security.txt {named!r} has no Expires field, which RFC 9116 requires"]
    problem = expiry_problem(text, today)
    if problem is None:
        return []
    return [f"the published security.txt {named!r} {problem}: publish a fresh one (securable package)"]
