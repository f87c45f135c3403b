"""The command tree: every command's help line, its arguments and the function that runs it.

Arguments are added only for the command being run (``configure`` is called lazily by
``build_parser``): argparse spends noticeable time per argument, and start-up is a feature.
"""

from __future__ import annotations

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

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    Configure = Callable[[argparse.ArgumentParser], None]


class Command:
    """A leaf of the command tree: ``path`` words, a help line, argument setup and its handler."""

    __slots__ = ("configure", "handler", "help", "path")

    def __init__(self, path: tuple[str, ...], help: str, configure: Configure, handler: str) -> None:
        self.path = path
        self.help = help
        self.configure = configure
        self.handler = handler  # "module:function", imported only when the command runs


GROUPS = {
    "catalog": "browse, search and export the shipped catalogs",
    "oscal": "work with OSCAL documents",
}


def _catalog_list(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=FORMATS_SHOW, default="table", help="output format")


def _catalog_show(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", metavar="ID", help="a record ID, bare (DI-1.2) or qualified (sp800-213a:DI-1.2)")
    p.add_argument("--catalog", metavar="C", help="look only in this catalog")
    p.add_argument("--format", choices=FORMATS_SHOW, default="table", help="output format")


def _catalog_search(p: argparse.ArgumentParser) -> None:
    p.add_argument("text", metavar="TEXT")
    p.add_argument("--catalog", metavar="C", action="append", help="limit to a catalog (repeatable)")
    p.add_argument("--limit", type=int, default=25, help="show at most this many hits (0: all)")
    p.add_argument("--format", choices=FORMATS_SHOW, default="table", help="output format")


def _catalog_export(p: argparse.ArgumentParser) -> None:
    p.add_argument("catalog", metavar="CATALOG")
    p.add_argument("--format", choices=("oscal", "oscal-mapping", "json", "csv", "markdown"), required=True)
    p.add_argument(
        "--baseline",
        metavar="NAME",
        help="with --format oscal on sp800-53r5: export the LOW, MODERATE, HIGH or PRIVACY baseline profile",
    )
    p.add_argument(
        "--target",
        choices=("sp800-53r5", "csf-1.1"),
        default="sp800-53r5",
        help="with --format oscal-mapping: which mapping to export",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write here (atomically) instead of stdout")


def _oscal_validate(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--model", choices=OSCAL_MODELS, help="require this model (default: detected from the document)"
    )
    p.add_argument("--format", choices=FORMATS_SHOW, default="table", help="output format")


COMMANDS = (
    Command(
        ("catalog", "list"),
        "list the shipped catalogs and baselines",
        _catalog_list,
        "securable.cli.catalog_cmd:list_catalogs",
    ),
    Command(
        ("catalog", "show"),
        "show one record: text, place in the hierarchy, mappings, provenance",
        _catalog_show,
        "securable.cli.catalog_cmd:show",
    ),
    Command(
        ("catalog", "search"),
        "find records whose ID, title or text contain every word",
        _catalog_search,
        "securable.cli.catalog_cmd:search",
    ),
    Command(
        ("catalog", "export"),
        "export a catalog as OSCAL, JSON, CSV or Markdown",
        _catalog_export,
        "securable.cli.catalog_cmd:export",
    ),
    Command(
        ("oscal", "validate"),
        "validate an OSCAL 1.2.1 JSON document against NIST's schema",
        _oscal_validate,
        "securable.cli.oscal_cmd:validate",
    ),
)
