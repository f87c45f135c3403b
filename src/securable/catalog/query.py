"""Questions asked across catalogs: text search, mappings both ways, links both ways, baselines."""

from __future__ import annotations

from collections.abc import Iterable

from securable.catalog.model import Record
from securable.catalog.store import catalog_ids, find, index, load

CONTROLS = "sp800-53r5"
MAPPING_TARGETS = ("sp800-53r5", "csf-1.1")
_INVERSE = {
    "realized-by": "realizes",
    "realizes": "realized-by",
    "revised-as": "revision-of",
    "revision-of": "revised-as",
    "same-as": "same-as",
}


# Plain slotted classes, not dataclasses: see the note on start-up time in catalog/model.py.
class Hit:
    """A search result and its rank."""

    __slots__ = ("record", "score")

    def __init__(self, record: Record, score: int) -> None:
        self.record = record
        self.score = score


class Baseline:
    """A named selection of catalog records: an IoT baseline or an SP 800-53B control baseline."""

    __slots__ = ("catalog", "id", "members", "title")

    def __init__(self, id: str, title: str, catalog: str, members: tuple[str, ...]) -> None:
        self.id = id
        self.title = title
        self.catalog = catalog  # the catalog whose records the baseline selects
        self.members = members


def search(text: str, *, catalogs: Iterable[str] | None = None, limit: int | None = None) -> list[Hit]:
    """Records whose ID, title or text contain every word of ``text`` (case-insensitive), best first.

    Title and ID matches weigh more than body matches, and the words as one phrase more than
    scattered, so "software update" puts the capability of that name before records that merely
    mention both words.
    """
    words = text.lower().split()
    if not words:
        return []
    text = " ".join(words)  # "software  update" is the phrase "software update"
    hits: list[Hit] = []
    for catalog_id in catalogs or catalog_ids():
        for record in load(catalog_id):
            head = f"{record.id} {record.title}".lower()
            body = record.text.lower()
            if all(w in head or w in body for w in words):
                phrase = text.lower()
                score = sum(3 if w in head else 1 for w in words)
                score += 6 if phrase in head else 3 if phrase in body else 0
                hits.append(Hit(record, score))
    hits.sort(key=lambda h: -h.score)  # stable: ties keep catalog order
    return hits[:limit] if limit else hits


def mapped_controls(record: Record, target: str = CONTROLS) -> list[str]:
    return list(record.mappings.get(target, ()))


def ids_mapped_to(target_id: str, target: str = CONTROLS) -> list[str]:
    """Reverse mapping as qualified IDs, from the index alone (no catalog is opened)."""
    return list(index()["mapped_from"].get(target, {}).get(target_id.lower(), []))


def records_mapped_to(target_id: str, target: str = CONTROLS) -> list[Record]:
    """Reverse mapping: the catalog records that NIST maps to a control or CSF subcategory."""
    return [record for ref in ids_mapped_to(target_id, target) for record in find(ref)]


def linked_ids(record: Record) -> list[tuple[str, str]]:
    """Links of a record both ways as (relation, qualified ID), from the record and the index alone:
    no other catalog is opened."""
    out = [(link.rel, link.target) for link in record.links]
    for rel, source in index()["links_in"].get(record.qualified_id, []):
        out.append((_INVERSE.get(rel, f"inverse of {rel}"), source))
    # Where the data records a relation in both directions (revised-as / revision-of), the own link
    # and the reversed incoming one are the same fact: list it once.
    return list(dict.fromkeys(out))


def linked(record: Record) -> list[tuple[str, Record]]:
    """Links of a record both ways: its own links, and other records' links that point at it."""
    return list(dict.fromkeys((rel, other) for rel, target in linked_ids(record) for other in find(target)))


def baselines() -> list[Baseline]:
    """Every baseline Securable knows: the IoT baselines and the SP 800-53B control baselines."""
    found: list[Baseline] = []
    for catalog_id in catalog_ids():
        catalog = load(catalog_id)
        if catalog.kind == "baseline":
            targets = sorted({link.target for r in catalog for link in r.links if link.rel == "realized-by"})
            target_catalog = targets[0].partition(":")[0] if targets else ""
            members = tuple(t.partition(":")[2] for t in targets)
            found.append(Baseline(catalog.id, catalog.title, target_catalog, members))
        for name, members_ in catalog.baselines.items():
            found.append(
                Baseline(f"{catalog.id}:{name}", f"{catalog.publication} {name}", catalog.id, members_)
            )
    return found
