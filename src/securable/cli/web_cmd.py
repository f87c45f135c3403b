"""``securable serve`` and ``securable web ...``: the workspace, with Django imported only here."""

from __future__ import annotations

import os

from securable.cli.exitcodes import ExitCode
from securable.errors import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from securable.cli.arguments import AuditCheckpointArgs, AuditExportArgs, ServeArgs, WebManageArgs


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "securable.web.settings")
    try:
        import django
    except ImportError as err:
        raise UsageError(
            "the workspace is not installed",
            hint="install Securable with its `web` extra: pip install 'securable[web]'",
        ) from err
    from securable.web.config import data_dir

    data_dir(os.environ).mkdir(parents=True, exist_ok=True)  # the SQLite file and demo secret live here
    django.setup()


def _call(*words: str) -> None:
    from django.core.management import call_command

    call_command(*words)


def serve(args: ServeArgs) -> int:
    _django()
    if not args.no_migrate:
        _call("migrate", "--no-input", "--verbosity", "0")
    from django.core.management import execute_from_command_line

    print(f"Securable workspace on http://{args.addr}/ (a development server: see README, Workspace)")
    # --insecure serves the style sheet without a separate static files server, as a demo needs.
    execute_from_command_line(["securable", "runserver", "--noreload", "--insecure", args.addr])
    return ExitCode.OK


def manage(args: WebManageArgs) -> int:
    if not args.words:
        raise UsageError("name a management command", hint="e.g. `securable web manage -- migrate`")
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["securable web manage", *args.words])
    return ExitCode.OK


def audit_export(args: AuditExportArgs) -> int:
    _django()
    words = ["audit_export", args.organization]
    if args.output:
        words += ["--output", args.output]
    if args.checkpoints:
        words += ["--checkpoints", args.checkpoints]
    from django.core.management.base import CommandError

    try:
        _call(*words)
    except CommandError as err:
        from securable.errors import NotFoundError

        raise NotFoundError(str(err)) from err
    return ExitCode.OK


def audit_checkpoint(args: AuditCheckpointArgs) -> int:
    _django()
    from pathlib import Path

    from securable.package.keys import load_private_key

    load_private_key(Path(args.key))  # a bad key is reported as such, before the command runs
    _call("audit_checkpoint", "--key", args.key)
    return ExitCode.OK
