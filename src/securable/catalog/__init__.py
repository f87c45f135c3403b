"""The NIST catalogs as data: load, look up, walk, search, follow mappings.

>>> from securable import catalog
>>> catalog.resolve("sp800-213a:DI").title
'Device Identification'
"""

from securable.catalog.model import Catalog, CatalogId, Link, Provenance, Record, RecordId, Source
from securable.catalog.query import (
    Baseline,
    Hit,
    baselines,
    linked,
    linked_ids,
    mapped_controls,
    records_mapped_to,
    search,
)
from securable.catalog.store import CatalogInfo, catalog_ids, catalogs, find, load, resolve

__all__ = [
    "Baseline",
    "Catalog",
    "CatalogId",
    "CatalogInfo",
    "Hit",
    "Link",
    "Provenance",
    "Record",
    "RecordId",
    "Source",
    "baselines",
    "catalog_ids",
    "catalogs",
    "find",
    "linked",
    "linked_ids",
    "load",
    "mapped_controls",
    "records_mapped_to",
    "resolve",
    "search",
]
