"""The parsed arguments of each command, typed: one class per command, one attribute per option.

``securable.cli.args.parse`` fills an instance of the command's class (``Command.args`` in
``securable.cli.spec``); tests check that every class names exactly the options of its command.
Plain annotated classes rather than dataclasses, which would import ``inspect`` and ``re`` at
start-up.
"""

from __future__ import annotations

from securable.cli.args import Args

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Literal


class PackageArgs(Args):
    product: str
    output: str
    key: str | None
    vex: str | None
    date: str | None
    openpgp_key: str | None
    no_pdf: bool
    paper: Literal["a4", "letter"] | None
    strict: bool
    allow_incomplete: bool


class KeygenArgs(Args):
    private: str
    public: str
    force: bool


class VerifyArgs(Args):
    package: str
    key: str
    format: str


class CheckArgs(Args):
    product: str
    baseline: list[str] | None
    profile: list[str] | None
    format: str
    output: str | None
    fail_on: str
    date: str | None


class QuestionsArgs(Args):
    product: str
    status: str | None
    format: str


class InitArgs(Args):
    file: str
    template: bool
    force: bool


class CatalogListArgs(Args):
    format: str


class CatalogShowArgs(Args):
    id: str
    catalog: str | None
    format: str


class CatalogSearchArgs(Args):
    text: str
    catalog: list[str] | None
    limit: int
    format: str


class CatalogExportArgs(Args):
    catalog: str
    format: str
    baseline: str | None
    target: str
    output: str | None


class ValidateArgs(Args):
    file: str
    model: str | None
    format: str


class RequirementsArgs(Args):
    baseline: str | None
    profile: str | None
    catalog: str | None
    add: list[str] | None
    drop: list[str] | None
    format: str
    output: str | None


class EvaluateArgs(Args):
    requirements: str
    vendor: list[str] | None
    key: list[str] | None
    format: str
    output: str | None
    date: str | None


class ResolveArgs(Args):
    profile: str
    catalog: str | None
    pretty: bool
    output: str | None


class AuditVerifyArgs(Args):
    file: str
    checkpoints: str | None
    key: str | None
    format: str


class ServeArgs(Args):
    addr: str
    no_migrate: bool


class WebManageArgs(Args):
    words: list[str]


class AuditExportArgs(Args):
    organization: str
    output: str | None
    checkpoints: str | None


class AuditCheckpointArgs(Args):
    key: str
