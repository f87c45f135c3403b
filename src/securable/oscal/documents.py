"""Which OSCAL document a catalog becomes, rendered as JSON text.

A capability or control catalog becomes an OSCAL catalog, an IoT baseline becomes a profile over
the catalog it selects from, an SP 800-53B baseline becomes a profile over SP 800-53, and NIST's
element-to-control mappings become a mapping collection.
"""

from __future__ import annotations

from typing import Any

from securable.catalog.model import Catalog
from securable.catalog.store import closest
from securable.errors import NotFoundError, UsageError


def oscal_document(cat: Catalog, baseline: str | None = None) -> str:
    from securable.oscal import export

    doc: dict[str, Any]
    if baseline:
        if not cat.baselines:
            raise UsageError(
                f"catalog {cat.id!r} has no control baselines", hint="use --baseline with sp800-53r5"
            )
        name = baseline.upper()
        if name not in cat.baselines:
            names = list(cat.baselines)
            raise NotFoundError(f"unknown baseline {baseline!r}", suggestions=closest(name, names) or names)
        doc = export.sp800_53_baseline_to_profile(cat, name)
    elif cat.kind == "baseline":
        targets = {
            link.target.partition(":")[0] for r in cat for link in r.links if link.rel == "realized-by"
        }
        doc = export.baseline_to_profile(cat, export.catalog_href(min(targets) if targets else "sp800-213a"))
    else:
        doc = export.catalog_to_oscal(cat)
    return export.dumps(doc)


def mapping_document(cat: Catalog, target: str) -> str:
    from securable.oscal import export

    if not any(r.mappings.get(target) for r in cat):
        raise UsageError(
            f"catalog {cat.id!r} has no mappings to {target}",
            hint="try `securable catalog export sp800-213a --format oscal-mapping`",
        )
    return export.dumps(export.mappings_to_oscal(cat, target))
