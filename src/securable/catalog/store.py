"""Loading the shipped catalogs: one JSON file per catalog, opened on first use and cached.

``index.json`` maps every record ID to the catalogs holding it, so resolving an ID opens only the
catalog that has it. Start-up cost matters here (``securable catalog show`` should feel instant):
only the standard library is imported.
"""

from __future__ import annotations

import marshal
import os

from securable.catalog.model import Catalog, Record, catalog_from_json
from securable.errors import InputError, NotFoundError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

# os.path rather than pathlib: pathlib costs a few milliseconds of start-up that `show` cannot spare.
DATA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "catalogs")
# Plain dicts, not functools.cache: functools is one import too many for `catalog show`.
_INDEX: dict[str, dict[str, Any]] = {}
_CATALOGS: dict[str, Catalog] = {}
_FOUND: dict[tuple[str | None, str], tuple[Record, ...]] = {}


class CatalogInfo:
    """One line of ``catalog list``: what a shipped catalog is, without loading it."""

    __slots__ = ("id", "kind", "records", "title", "version")

    def __init__(self, id: str, title: str, kind: str, version: str, records: int) -> None:
        self.id = id
        self.title = title
        self.kind = kind
        self.version = version
        self.records = records


def index() -> dict[str, Any]:
    if "index" in _INDEX:
        return _INDEX["index"]
    try:
        _INDEX["index"] = found = _read("index")
        return found
    except FileNotFoundError as err:
        raise InputError(
            f"the shipped catalog index is missing ({os.path.join(DATA_DIR, 'index.json')})",
            hint="reinstall Securable, or run `make catalogs` in a source checkout",
        ) from err


def _read(stem: str) -> dict[str, Any]:
    """A shipped data file: its marshal twin when that loads, else the canonical JSON.

    marshal needs no import and parses two to three times faster than json (see
    tools/catalogbuild); the JSON fallback covers a Python whose marshal cannot read the twin.
    """
    try:
        with open(os.path.join(DATA_DIR, f"{stem}.marshal"), "rb") as handle:
            data = marshal.loads(handle.read())
        if isinstance(data, dict) and data.get("format") == 1:
            return data
    except (OSError, EOFError, ValueError, TypeError):
        pass
    import json

    with open(os.path.join(DATA_DIR, f"{stem}.json"), "rb") as handle:
        loaded: dict[str, Any] = json.loads(handle.read())
    return loaded


def catalogs() -> list[CatalogInfo]:
    """Every shipped catalog, in a fixed order."""
    return [CatalogInfo(**c) for c in index()["catalogs"]]


def catalog_ids() -> list[str]:
    return [c["id"] for c in index()["catalogs"]]


def closest(word: str, candidates: list[str], n: int = 5) -> list[str]:
    import difflib  # only needed on the error path

    lowered = {c.lower(): c for c in candidates}
    hits = difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=0.5)
    return [lowered[h] for h in hits]


def load(catalog_id: str) -> Catalog:
    """The catalog with this ID; raises :class:`NotFoundError` with suggestions for unknown IDs."""
    if catalog_id in _CATALOGS:
        return _CATALOGS[catalog_id]
    if catalog_id not in catalog_ids():
        raise NotFoundError(
            f"unknown catalog {catalog_id!r}",
            suggestions=closest(catalog_id, catalog_ids()) or catalog_ids(),
        )
    _CATALOGS[catalog_id] = catalog = catalog_from_json(_read(catalog_id))
    return catalog


def _normalise(ref: str) -> str:
    """SP 800-53 labels as people write them ("AC-2(1)", "ac-2 (1)") become OSCAL IDs ("ac-2.1").

    Parsed by hand: the ``re`` module (and the ``enum`` it imports) would double this module's cost.
    """
    ref = ref.strip()
    head, sep_paren, tail = ref.partition("(")
    family, dash, number = head.strip().partition("-")
    enhancement = tail.removesuffix(")").strip()
    if (
        dash
        and len(family) == 2
        and family.isascii()
        and family.isalpha()
        and number.isdigit()
        and (not sep_paren or (tail.endswith(")") and enhancement.isdigit()))
    ):
        return f"{family.lower()}-{number}" + (f".{enhancement}" if enhancement else "")
    return ref


def find(ref: str, *, catalog: str | None = None) -> list[Record]:
    """All records a reference names: ``catalog:ID`` or a bare ``ID`` (case-insensitive).

    Answers are memoised: the data never changes in a process, and coverage asks the same
    questions thousands of times when a portfolio is assessed.
    """
    memo_key = (catalog, ref)
    if memo_key in _FOUND:
        return list(_FOUND[memo_key])
    if ":" in ref:
        named, _, ref = ref.partition(":")
        if catalog is not None and named != catalog:
            return []  # "a:ID" looked up in catalog b names nothing there
        catalog = named
    exact = _normalise(ref)
    key = exact.lower()
    holders = index()["ids"].get(key, [])
    if catalog is not None:
        load(catalog)  # unknown catalog names fail here with suggestions
        holders = [h for h in holders if h == catalog]
    found = [record for holder in holders if (record := load(holder).get_folded(exact)) is not None]
    _FOUND[memo_key] = tuple(found)
    return found


def resolve(ref: str, *, catalog: str | None = None) -> Record:
    """Exactly one record for a reference, or a :class:`NotFoundError` saying why not."""
    found = find(ref, catalog=catalog)
    if len(found) == 1:
        return found[0]
    if found:
        options = [r.qualified_id for r in found]
        raise NotFoundError(
            f"{ref!r} is in more than one catalog",
            hint="name one of: " + ", ".join(options),
        )
    named, colon, bare = ref.partition(":")
    within = catalog or (named if colon else None)
    if within is not None:
        load(within)  # an unknown catalog name fails here, with suggestions
    ids = list(index()["ids"])
    if within is not None:
        ids = [i for i, holders in index()["ids"].items() if within in holders]
    where = f" in catalog {within!r}" if within else ""
    raise NotFoundError(
        f"no record {ref!r}{where}", suggestions=_suggest(bare if colon else ref, ids, within)
    )


def _suggest(ref: str, ids: list[str], catalog: str | None) -> list[str]:
    hits = closest(_normalise(ref).lower(), ids)
    # The index holds lower-cased IDs; show them the way the catalogs spell them.
    return [r.qualified_id for h in hits for r in find(h, catalog=catalog)][:5]


def clear_cache() -> None:
    """Forget loaded catalogs and the index (tests point DATA_DIR elsewhere and back)."""
    _INDEX.clear()
    _CATALOGS.clear()
    _FOUND.clear()
