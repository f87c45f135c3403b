"""The command tree: every command's help line, its arguments and the function that runs it.

Handlers are named as ``"module:function"`` and imported only when their command runs, so adding
commands never slows down the others.
"""

from __future__ import annotations

from securable.cli import arguments as a
from securable.cli.args import Args, Opt

FORMATS_SHOW = ("table", "json")
OSCAL_MODELS = (
    "catalog",
    "profile",
    "component-definition",
    "mapping-collection",
    "system-security-plan",
    "assessment-plan",
    "assessment-results",
    "plan-of-action-and-milestones",
)

DESCRIPTION = "NIST IoT device cybersecurity guidance (NISTIR 8259, SP 800-213A) as data and code."


class Command:
    """A leaf of the command tree: ``path`` words, a help line, its arguments and its handler."""

    __slots__ = ("args", "handler", "help", "opts", "path")

    def __init__(
        self, path: tuple[str, ...], help: str, opts: tuple[Opt, ...], handler: str, args: type[Args]
    ) -> None:
        self.path = path
        self.help = help
        self.opts = opts
        self.handler = handler  # "module:function"
        self.args = args  # what the handler receives: one typed attribute per option


def _format() -> Opt:
    return Opt("--format", choices=FORMATS_SHOW, default="table", help="output format")


SEVERITIES = ("high", "medium", "low", "info", "none")
BASELINES = ("nistir-8259a", "nistir-8259b", "sp800-213a", "federal-profile-2020")

# The order `securable --help` lists top-level commands in: the manufacturer's workflow, then the agency's.
WORKFLOW = ("init", "questions", "check", "package", "keygen", "verify", "requirements", "evaluate")

GROUPS = {
    "catalog": "browse, search and export the shipped catalogs",
    "oscal": "work with OSCAL documents",
    "audit": "check the workspace's hash-chained audit trail",
    "web": "the workspace: a multi-user web app and REST API (needs the `web` extra)",
}

COMMANDS = (
    Command(
        ("package",),
        "build the customer package: documents, fact sheet, machine-readable files, signed manifest",
        (
            Opt("product", metavar="PRODUCT", help="a product description (securable.yaml)"),
            Opt(
                "-o",
                "--output",
                metavar="DIR",
                required=True,
                help="the package folder (replaced atomically)",
            ),
            Opt("--key", metavar="PRIVATE", help="sign the manifest with this Ed25519 private key (PEM)"),
            Opt("--vex", metavar="FILE", help="vulnerability status: CycloneDX VEX, OpenVEX or CSAF"),
            Opt(
                "--openpgp-key",
                metavar="SECRET",
                help="clearsign security.txt with this OpenPGP secret key (RFC 9116 2.3; passphrase in "
                "SECURABLE_OPENPGP_PASSPHRASE)",
            ),
            Opt(
                "--date",
                metavar="YYYY-MM-DD",
                help="date the package (default: today in UTC, or SOURCE_DATE_EPOCH)",
            ),
            Opt(
                "--no-pdf",
                flag=True,
                help="skip PDF and PNG renderings (HTML and machine-readable files only)",
            ),
            Opt(
                "--paper",
                metavar="SIZE",
                choices=("a4", "letter"),
                help="paper size of the PDFs (default: US Letter when every market the product "
                "names is in the US, Canada or Mexico, else A4)",
            ),
            Opt(
                "--strict",
                flag=True,
                help="refuse to build when the description leaves customer topics unstated",
            ),
            Opt(
                "--allow-incomplete",
                flag=True,
                help="build even when the name, support period or security contact is missing or most "
                "questions are open",
            ),
        ),
        "securable.cli.package_cmd:package",
        a.PackageArgs,
    ),
    Command(
        ("keygen",),
        "make an Ed25519 key pair for signing packages",
        (
            Opt("private", metavar="PRIVATE", help="where to write the private key (PEM, mode 0600)"),
            Opt("public", metavar="PUBLIC", help="where to write the public key (PEM)"),
            Opt("--force", flag=True, help="overwrite existing key files"),
        ),
        "securable.cli.package_cmd:keygen",
        a.KeygenArgs,
    ),
    Command(
        ("verify",),
        "check a package against its signed manifest: changed, missing and added files",
        (
            Opt("package", metavar="DIR", help="a package folder made by `securable package`"),
            Opt("--key", metavar="PUBLIC", required=True, help="the manufacturer's Ed25519 public key (PEM)"),
            Opt("--format", choices=FORMATS_SHOW, default="table", help="output format"),
        ),
        "securable.cli.package_cmd:verify",
        a.VerifyArgs,
    ),
    Command(
        ("check",),
        "assess a product description: coverage of baselines and profiles, and findings",
        (
            Opt("product", metavar="PRODUCT", help="a product description (securable.yaml)"),
            Opt(
                "--baseline",
                choices=BASELINES,
                repeat=True,
                # securable.assess.DEFAULT_BASELINES, written out: importing it would slow start-up
                # (tests/test_check_cli.py checks the two agree).
                help="assess against this baseline (default: nistir-8259a and nistir-8259b)",
            ),
            Opt("--profile", metavar="FILE", repeat=True, help="assess against a profile (docs/profiles.md)"),
            Opt(
                "--format",
                choices=("table", "json", "markdown", "sarif"),
                default="table",
                help="report format",
            ),
            Opt("-o", "--output", metavar="FILE", help="write the report here (atomically)"),
            Opt(
                "--fail-on",
                choices=SEVERITIES,
                default="high",
                help="exit 1 when a finding is at least this severe",
            ),
            Opt(
                "--date",
                metavar="YYYY-MM-DD",
                help="assess as of this date (default: today, or SOURCE_DATE_EPOCH)",
            ),
        ),
        "securable.cli.check_cmd:check",
        a.CheckArgs,
    ),
    Command(
        ("questions",),
        "list which NISTIR 8259 questions a product description answers, leaves open or marks not applicable",
        (
            Opt("product", metavar="PRODUCT", help="a product description (securable.yaml)"),
            Opt("--status", choices=("answered", "open", "not-applicable"), help="show only these"),
            _format(),
        ),
        "securable.cli.product_cmd:questions",
        a.QuestionsArgs,
    ),
    Command(
        ("init",),
        "write a product description: interactively, question by question, or as a commented template",
        (
            Opt(
                "file",
                metavar="FILE",
                default="securable.yaml",
                help="where to write (default securable.yaml)",
            ),
            Opt("--template", flag=True, help="write the commented skeleton without asking anything"),
            Opt("--force", flag=True, help="overwrite an existing file"),
        ),
        "securable.cli.product_cmd:init",
        a.InitArgs,
    ),
    Command(
        ("catalog", "list"),
        "list the shipped catalogs and baselines",
        (_format(),),
        "securable.cli.catalog_cmd:list_catalogs",
        a.CatalogListArgs,
    ),
    Command(
        ("catalog", "show"),
        "show one record: text, place in the hierarchy, mappings, provenance",
        (
            Opt("id", metavar="ID", help="a record ID, bare (DI-1.2) or qualified (sp800-213a:DI-1.2)"),
            Opt("--catalog", metavar="C", help="look only in this catalog"),
            _format(),
        ),
        "securable.cli.catalog_cmd:show",
        a.CatalogShowArgs,
    ),
    Command(
        ("catalog", "search"),
        "find records whose ID, title or text contain every word",
        (
            Opt("text", metavar="TEXT", help="words to look for, in any order"),
            Opt("--catalog", metavar="C", repeat=True, help="limit to a catalog"),
            Opt("--limit", metavar="N", type=int, default=25, help="show at most N hits (0: all)"),
            _format(),
        ),
        "securable.cli.catalog_cmd:search",
        a.CatalogSearchArgs,
    ),
    Command(
        ("catalog", "export"),
        "export a catalog as OSCAL, JSON, CSV or Markdown",
        (
            Opt("catalog", metavar="CATALOG", help="a catalog ID from `securable catalog list`"),
            Opt(
                "--format",
                choices=("oscal", "oscal-mapping", "json", "csv", "markdown"),
                required=True,
                help="what to write",
            ),
            Opt(
                "--baseline",
                metavar="NAME",
                help="with --format oscal on sp800-53r5: export LOW, MODERATE, HIGH or PRIVACY as a profile",
            ),
            Opt(
                "--target",
                choices=("sp800-53r5", "csf-1.1"),
                default="sp800-53r5",
                help="with --format oscal-mapping: which mapping to export",
            ),
            Opt(
                "-o", "--output", metavar="FILE", help="write here (atomically) instead of to standard output"
            ),
        ),
        "securable.cli.catalog_cmd:export",
        a.CatalogExportArgs,
    ),
    Command(
        ("oscal", "validate"),
        "validate an OSCAL 1.2.1 JSON document against NIST's schema",
        (
            Opt("file", metavar="FILE", help="an OSCAL JSON document"),
            Opt(
                "--model",
                choices=OSCAL_MODELS,
                help="require this model (default: detected from the document)",
            ),
            _format(),
        ),
        "securable.cli.oscal_cmd:validate",
        a.ValidateArgs,
    ),
    Command(
        ("requirements",),
        "derive IoT device requirements from an SP 800-53 baseline or profile: device capabilities, "
        "manufacturer support and agency actions, each with the controls that call for it",
        (
            Opt(
                "--baseline",
                choices=("low", "moderate", "high", "privacy"),
                help="a shipped SP 800-53B baseline",
            ),
            Opt("--profile", metavar="FILE", help="an OSCAL profile over SP 800-53 Rev. 5, resolved here"),
            Opt(
                "--catalog",
                metavar="FILE",
                help="with --profile: the catalog for imports that are not local files",
            ),
            Opt(
                "--add",
                metavar="ID=REASON",
                repeat=True,
                help="require this record (and all it holds), for REASON",
            ),
            Opt(
                "--drop",
                metavar="ID=REASON",
                repeat=True,
                help="drop this requirement (and all it holds), for REASON",
            ),
            Opt(
                "--format",
                choices=("table", "markdown", "html", "json", "oscal"),
                default="table",
                help="report format (oscal: a profile over sp800-213a and federal-profile-2020)",
            ),
            Opt(
                "-o", "--output", metavar="FILE", help="write here (atomically) instead of to standard output"
            ),
        ),
        "securable.cli.requirements_cmd:requirements",
        a.RequirementsArgs,
    ),
    Command(
        ("evaluate",),
        "compare vendors' packages or OSCAL component definitions against an agency's requirements "
        "profile: who meets each requirement and how, questions to ask, contract clauses",
        (
            Opt(
                "--requirements",
                metavar="PROFILE",
                required=True,
                help="the requirements profile (`securable requirements --format oscal`)",
            ),
            Opt(
                "vendor",
                metavar="VENDOR",
                repeat=True,
                help="[NAME=]PATH: a package folder (`securable package`) or an OSCAL component "
                "definition (JSON); NAME defaults to the folder or file name",
            ),
            Opt(
                "--key",
                metavar="NAME=PUBLIC",
                repeat=True,
                help="verify vendor NAME's package with this Ed25519 public key (PEM)",
            ),
            Opt(
                "--format",
                choices=("table", "markdown", "html", "json", "csv", "xlsx"),
                default="table",
                help="report format (csv and xlsx: the requirement table, highest priority first)",
            ),
            Opt(
                "-o", "--output", metavar="FILE", help="write here (atomically) instead of to standard output"
            ),
            Opt(
                "--date",
                metavar="YYYY-MM-DD",
                help="the evaluation date the report names (default: today, or SOURCE_DATE_EPOCH)",
            ),
        ),
        "securable.cli.evaluate_cmd:evaluate",
        a.EvaluateArgs,
    ),
    Command(
        ("oscal", "resolve"),
        "resolve an OSCAL profile against its catalogs into one catalog (NIST's profile resolution)",
        (
            Opt("profile", metavar="PROFILE", help="an OSCAL JSON profile"),
            Opt("--catalog", metavar="FILE", help="the catalog for imports that are not local files"),
            Opt(
                "--pretty",
                flag=True,
                help="indent the JSON (default: compact, like NIST's resolved catalogs)",
            ),
            Opt(
                "-o", "--output", metavar="FILE", help="write here (atomically) instead of to standard output"
            ),
        ),
        "securable.cli.requirements_cmd:resolve",
        a.ResolveArgs,
    ),
    Command(
        ("audit", "verify"),
        "check an exported audit chain (and its signed checkpoints); names the first bad event (exit 1)",
        (
            Opt("file", metavar="FILE", help="an export: `securable web audit-export` or GET /api/v1/audit"),
            Opt(
                "--checkpoints",
                metavar="FILE",
                help="also check these signed checkpoints (JSON Lines) against the chain; needs --key",
            ),
            Opt("--key", metavar="PUBLIC", help="the workspace's Ed25519 public key for --checkpoints (PEM)"),
            Opt("--format", choices=FORMATS_SHOW, default="table", help="output format"),
        ),
        "securable.cli.audit_cmd:verify",
        a.AuditVerifyArgs,
    ),
    Command(
        ("serve",),
        "run the workspace on this machine for a demo (Django's development server; migrates first)",
        (
            Opt("--addr", metavar="HOST:PORT", default="127.0.0.1:8000", help="where to listen"),
            Opt("--no-migrate", flag=True, help="do not apply database migrations first"),
        ),
        "securable.cli.web_cmd:serve",
        a.ServeArgs,
    ),
    Command(
        ("web", "manage"),
        "run a Django management command of the workspace (migrate, createsuperuser, check, ...)",
        (Opt("words", metavar="WORD", repeat=True, help="the command and its arguments, after `--`"),),
        "securable.cli.web_cmd:manage",
        a.WebManageArgs,
    ),
    Command(
        ("web", "audit-export"),
        "export an organization's audit chain as JSON Lines (for `securable audit verify`)",
        (
            Opt("organization", metavar="ORG", help="the organization's slug"),
            Opt(
                "-o", "--output", metavar="FILE", help="write here (atomically) instead of to standard output"
            ),
            Opt("--checkpoints", metavar="FILE", help="also write the signed daily checkpoints here"),
        ),
        "securable.cli.web_cmd:audit_export",
        a.AuditExportArgs,
    ),
    Command(
        ("web", "audit-checkpoint"),
        "sign today's head of every organization's audit chain (run daily, e.g. from cron)",
        (
            Opt(
                "--key",
                metavar="PRIVATE",
                required=True,
                help="Ed25519 private key (PEM, from `securable keygen`), kept outside the database",
            ),
        ),
        "securable.cli.web_cmd:audit_checkpoint",
        a.AuditCheckpointArgs,
    ),
)
