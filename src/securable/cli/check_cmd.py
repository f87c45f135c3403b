"""``securable check``: coverage of baselines and profiles, and findings, for one product description.

Exit codes: 0 when no finding reaches ``--fail-on``, 1 when one does (or the product description
does not validate), 2 for bad input (a missing file, an unknown baseline, a malformed profile).
Everything heavy (pydantic, the YAML reader, the catalogs) is imported inside :func:`check`, so
other commands never pay for it.
"""

from __future__ import annotations

from securable.errors import ExitCode

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from securable.cli.args import Args

DEFAULT_BASELINES = ("nistir-8259a", "nistir-8259b")


def check(args: Args) -> int:
    from pathlib import Path

    from securable.assess.profiles import load_profile
    from securable.assess.report import assessment_date, build_assessment, fails, render
    from securable.assess.requirements import baseline_target
    from securable.product import load_document

    today = assessment_date(args.date)
    baselines = list(args.baseline or ())
    profiles = list(args.profile or ())
    if not baselines and not profiles:
        baselines = list(DEFAULT_BASELINES)
    # Targets first: a typo in a profile is reported before the product is read.
    targets = [baseline_target(name) for name in dict.fromkeys(baselines)]
    targets += [load_profile(Path(path)) for path in dict.fromkeys(profiles)]
    loaded = load_document(Path(args.product))
    assessment = build_assessment(loaded, targets, today=today)
    text = render(assessment, args.format)
    if args.output:
        from securable.fileio import write_text_atomic

        write_text_atomic(Path(args.output), text)
    else:
        from securable.cli.render import emit

        emit(text)
    return ExitCode.FINDINGS if fails(assessment, args.fail_on) else ExitCode.OK
