"""Build the NISTIR 8259A core baseline and the NISTIR 8259B non-technical baseline as link catalogs.

Neither publication's text is among the sources. What the sources do hold:

* the 2021 catalog's overview pages, which state each 8259A and 8259B capability in the words the
  catalog says it "expands on";
* NIST's 2020-12-08 mapping workbook, whose ``Source`` column tags each technical sheet ``8259A``
  and whose rows carry a few element statements in their pre-2021 wording;
* the 2021 catalog itself (the ``sp800-213a`` build), into which NIST copied most 8259A elements.

So each 8259A element below is a Securable label with NIST's wording where the workbook or catalog
has it, and ``realized-by`` links to the catalog records that realize it, found by normalized text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from tools.catalogbuild.common import BuildError, CatalogDoc, SourceDoc, clean_text

CATALOG_ID = "sp800-213a"
CATALOG_REPO = "usnistgov/IoT-Device-Cybersecurity-Requirement-Catalogs"
PAGES_COMMIT = "60ed8e6a802bfab80acdcb5a40ace2aa153529e2"
TECHNICAL_OVERVIEW = "nist-iot-catalog-2021/pages/_Technical/overview.md"
NONTECHNICAL_OVERVIEW = "nist-iot-catalog-2021/pages/_Nontechnical/overview.md"
HISTORY_WORKBOOK = (
    "nist-iot-catalog-2021/mappings/history/2020-12-08/NIST_Device_Cybersecurity_Catalog_to_CSF.xlsx"
)
HISTORY_COMMIT = "08b82c31d35b"

# How far a catalog record goes towards an 8259A element (kept in the element's "match" prop):
STATED = "stated"  # a catalog record restates the element
RELATED = "related"  # catalog records cover it in other words (Securable's reading, listed below)
CAPABILITY = "capability"  # no catalog record covers it; linked to the catalog capability only


@dataclass(frozen=True)
class CoreElement:
    title: str  # Securable's short label; 8259A's own element text is not in the sources
    wording: tuple[str, ...] = ()  # NIST statements of the element, looked up in workbook then catalog
    realized_by: tuple[str, ...] = ()  # further catalog statements that realize it
    match: str = STATED


@dataclass(frozen=True)
class CoreCapability:
    key: str  # the sp800-213a capability ID, which is also the suffix of the baseline's ID
    name: str  # the name in 8259A (and in the 2021 catalog)
    workbook_name: str  # the name in the 2020-12-08 workbook's "NISTIR 8259 Capabilities" column
    elements: tuple[CoreElement, ...] = ()


def _stated(title: str, *wording: str, also: tuple[str, ...] = ()) -> CoreElement:
    return CoreElement(title, wording, also, STATED)


def _related(title: str, *statements: str) -> CoreElement:
    return CoreElement(title, (), statements, RELATED)


# Statements are written as the sources give them; matching ignores case, quotes and a final stop.
CORE_8259A = (
    CoreCapability(
        "DI",
        "Device Identification",
        "Device Identity",
        (
            _stated("Unique logical identifier", "Ability to uniquely identify the IoT device logically"),
            _stated("Unique physical identifier", "Ability to uniquely identify the IoT device physically."),
        ),
    ),
    CoreCapability(
        "DC",
        "Device Configuration",
        "Device Configuration",
        (
            _stated(
                "Change the software configuration",
                "Ability to change the device’s software configuration settings.",
            ),
            # The catalog splits "by authorized entities only" over what is being configured.
            _related(
                "Only authorized entities change the configuration",
                "Ability for only authorized entities to apply logical access privilege settings within the "
                "IoT device and configure logical access privilege as described in Logical Access to "
                "Interfaces.",
                "Ability for only authorized entities to configure IoT device authentication policies and "
                "limitations as described in Logical Access to Interfaces.",
                "Ability for only authorized entities to configure aspects related to the device's "
                "interfaces as described in Logical Access to Interfaces.",
            ),
            _stated(
                "Restore a secure configuration",
                "Ability for authorized entities to restore the device to a secure configuration defined by "
                "an authorized entity.",
            ),
        ),
    ),
    CoreCapability(
        "DP",
        "Data Protection",
        "Data Protection",
        (
            # 8259A's examples are authenticated encryption, hashes and signature validation, applied to
            # stored and transmitted data.
            _related(
                "Standardized cryptography for stored and transmitted data",
                "Ability to execute cryptographic mechanisms of appropriate strength and performance.",
                "Ability to verify digital signatures.",
                "Ability to run hashing algorithms.",
                "Ability to perform authenticated encryption algorithms.",
                "Ability to support encryption of data at rest.",
                "Ability to utilize one or more capabilities to protect the data it transmits from "
                "unauthorized access and modification.",
            ),
            _related(
                "Render all data inaccessible",
                "Ability to “sanitize” or “purge” specific or all data in the device.",
            ),
            _stated(
                "Configure the cryptography",
                "Ability for authorized entities to configure the cryptography use itself, such as choosing "
                "a key length.",
                also=("Ability to configure the cryptographic algorithm to protect data in transit.",),
            ),
        ),
    ),
    CoreCapability(
        "LAI",
        "Logical Access to Interfaces",
        "Logical Access to Interfaces",
        (
            _stated(
                "Disable unneeded local and network interfaces",
                "Ability to logically or physically disable any local and network interfaces that are not "
                "necessary for the core functionality of the device.",
            ),
            _related(
                "Restrict interface access to authorized entities",
                "Ability for the IoT device to require authentication prior to connecting to the device.",
                "Ability to restrict all unauthorized interactions.",
                "Ability to enforce the established local and remote access requirements.",
            ),
            _related(
                "Configurable lock-out after failed authentication",
                "Ability to set and change authentication configurations, policies and limitations settings "
                "for the IoT device.",
                "Ability to set the time period for how long the device will remain locked after an "
                "established configurable limit of unsuccessful login attempts has been met.",
                "Ability to disable or lock access to the device after an established number of "
                "unsuccessful login attempts.",
            ),
        ),
    ),
    CoreCapability(
        "SU",
        "Software Update",
        "Software Update",
        (
            _stated(
                "Update remotely or locally",
                "Ability to update the device’s software through remote (e.g., network download) and/or "
                "local (e.g., removable media) means",
            ),
            _stated(
                "Verify and authenticate updates before installing",
                "Ability to verify and authenticate any update before installing it",
                also=(
                    "Ability to verify software updates come from valid sources using an effective method "
                    "(e.g., digital signatures, checksums, certificate validation, etc).",
                ),
            ),
            # The 2021 catalog has no roll-back element; the link goes to the capability as a whole.
            CoreElement("Roll back updates", match=CAPABILITY),
            _stated(
                "Restrict updating to authorized entities",
                "Ability to restrict updating actions to authorized entities.",
                also=(
                    "Ability to restrict software installations to only authorized individuals or processes.",
                ),
            ),
            _stated("Enable or disable updating", "Ability to enable or disable updating"),
            _stated(
                "Configure automatic or manual updating and notification",
                "Ability to configure any remote update mechanisms to be either automatically or manually "
                "initiated for update downloads and installations.",
                "Ability to enable or disable notification when an update is available and specify who or "
                "what is to be notified.",
            ),
        ),
    ),
    CoreCapability(
        "CSA",
        "Cybersecurity State Awareness",
        "Cybersecurity State Awareness",
        (
            _stated("Report the cybersecurity state", "Ability to report on its cybersecurity state"),
            _stated(
                "Tell expected operation from a degraded state",
                "Ability to differentiate between when a device will likely operate as expected from when "
                "it may be in a degraded cybersecurity state.",
            ),
            _stated(
                "Restrict who can view the state",
                "Ability to restrict access to the cybersecurity state indicator to authorized entities.",
            ),
            # Nothing in the catalog restricts editing the state; restricting access to it comes closest.
            _related(
                "Restrict who can edit the state",
                "Ability to restrict access to the cybersecurity state indicator to authorized entities.",
            ),
        ),
    ),
)

# Workbook statements the 2021 catalog reworded: workbook text -> the catalog statement that replaced it.
OVERRIDES = {
    "Ability to uniquely identify the IoT device physically.": (
        "Ability to add a unique physical identifier at an external or internal location on the device "
        "authorized entities can access."
    ),
}

# (ID suffix, 8259B name, sp800-213a capability ID); the catalog's titles add "from the Manufacturer" etc.
CORE_8259B = (
    ("DOC", "Documentation", "DOC"),
    ("IQR", "Information and Query Reception", "IQR"),
    ("IDS", "Information Dissemination", "IDS"),
    ("EA", "Education and Awareness", "EA"),
)

_OVERVIEW_RE = re.compile(r"^\*\s+\[?\*\*(?P<name>[^*:]+):\*\*\]?(?:\([^)]*\))?\s*(?P<text>.+)$")


def norm(text: str) -> str:
    """Text for matching: case, curly quotes, spacing and a final full stop do not count."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return clean_text(text).rstrip(".").strip().lower()


# --- sources ----------------------------------------------------------------------------------


def _pages_source() -> SourceDoc:
    return SourceDoc(
        key="pages",
        publication="NIST IoT Device Cybersecurity Requirement Catalogs (became SP 800-213A)",
        version="on-line catalog, 2021-11-05",
        date="2021-11-05",
        repository=CATALOG_REPO,
        commit=PAGES_COMMIT,
        url=f"https://github.com/{CATALOG_REPO}/tree/{PAGES_COMMIT}",
    )


def _history_source() -> SourceDoc:
    return SourceDoc(
        key="history-workbook",
        publication="NIST Device Cybersecurity Catalog to CSF (mapping workbook)",
        version="2020-12-08",
        date="2020-12-08",
        repository=CATALOG_REPO,
        commit=HISTORY_COMMIT,
        url=f"https://github.com/{CATALOG_REPO}/blob/{HISTORY_COMMIT}/_InformativeReferences/files/"
        "NIST_Device_Cybersecurity_Catalog_to_CSF.xlsx",
        status="draft",
    )


def overview_statements(sources: Path, path: str) -> dict[str, tuple[str, int]]:
    """Capability name -> (statement, line) from a catalog overview page's bullet list."""
    try:
        lines = (sources / path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as err:
        raise BuildError(f"{path}: not found") from err
    found: dict[str, tuple[str, int]] = {}
    for number, line in enumerate(lines, start=1):
        match = _OVERVIEW_RE.match(line.strip())
        if match:
            found[match.group("name").strip()] = (clean_text(match.group("text")), number)
    return found


# --- the 2020-12-08 workbook ------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    sheet: str
    row: int
    column: str
    text: str


@dataclass
class History:
    """What the workbook says: capabilities its Source column ties to 8259A, and every statement cell."""

    capabilities: dict[str, Cell]
    statements: list[Cell]

    def find(self, text: str, sheet: str) -> Cell | None:
        wanted = norm(text)
        return next((c for c in self.statements if c.sheet == sheet and norm(c.text) == wanted), None)


def read_history(sources: Path) -> History:
    path = sources / HISTORY_WORKBOOK
    try:
        book = openpyxl.load_workbook(path, read_only=True)
    except FileNotFoundError as err:
        raise BuildError(f"{HISTORY_WORKBOOK}: not found") from err
    history = History({}, [])
    try:
        for sheet in book.worksheets:
            _read_sheet(sheet, history)
    finally:
        book.close()
    if not history.capabilities:
        raise BuildError(f"{HISTORY_WORKBOOK}: no sheet has Source '8259A'")
    return history


def _read_sheet(sheet: Any, history: History) -> None:
    rows = list(sheet.iter_rows(values_only=True))
    if not rows:
        return
    header = [str(c).strip() if c is not None else "" for c in rows[0]]
    if "Source" not in header or "Element/Action" not in header:
        return  # the non-technical sheet and empty sheets have no capability rows of this shape
    source_col = header.index("Source")
    name_col = next((i for i, h in enumerate(header) if h.endswith("Capabilities") and "NISTIR" in h), -1)
    first = header.index("Sub-Capabilities") if "Sub-Capabilities" in header else name_col + 1
    last = header.index("Element/Action")
    for number, row in enumerate(rows[1:], start=2):
        if _cell(row, source_col) == "8259A" and name_col >= 0:
            name = _cell(row, name_col)
            history.capabilities[name] = Cell(sheet.title, number, get_column_letter(name_col + 1), name)
        for col in range(first, last + 1):
            text = _cell(row, col)
            if text:
                letter = get_column_letter(col + 1)
                history.statements.append(Cell(sheet.title, number, letter, text))


def _cell(row: tuple[Any, ...], index: int) -> str:
    if index < 0 or index >= len(row) or row[index] is None:
        return ""
    return clean_text(str(row[index]))


# --- the sp800-213a catalog -------------------------------------------------------------------


class CatalogIndex:
    """The sp800-213a records by ID and by normalized statement."""

    def __init__(self, catalog: CatalogDoc) -> None:
        if catalog.id != CATALOG_ID:
            raise BuildError(f"baselines: expected the {CATALOG_ID} catalog, got {catalog.id!r}")
        self.records = {r["id"]: r for r in catalog.records}
        self.by_text: dict[str, list[str]] = {}
        for record in catalog.records:
            if record.get("text"):
                self.by_text.setdefault(norm(record["text"]), []).append(record["id"])

    def capability(self, record_id: str, name: str) -> dict[str, Any]:
        """The catalog capability with this ID, checked against the baseline's name for it."""
        record = self.records.get(record_id)
        if (
            record is None
            or record["kind"] != "capability"
            or norm(name) not in norm(record.get("title", ""))
        ):
            raise BuildError(f"{CATALOG_ID}: no capability {record_id!r} named like {name!r}")
        return record

    def statement(self, text: str, where: str) -> list[str]:
        """IDs of the records stating ``text`` (two when the catalog repeats a statement)."""
        ids = self.by_text.get(norm(OVERRIDES.get(text, text)), [])
        if not ids:
            raise BuildError(f"{where}: no {CATALOG_ID} record states {text!r}")
        return ids

    def children(self, parent: str, kind: str) -> list[str]:
        return [rid for rid, r in self.records.items() if r.get("parent") == parent and r["kind"] == kind]


def realized_by(*targets: str) -> list[dict[str, str]]:
    unique = list(dict.fromkeys(targets))
    return [{"rel": "realized-by", "target": f"{CATALOG_ID}:{t}"} for t in unique]


# --- NISTIR 8259A -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Wording:
    """Where an element's text comes from; an element without NIST wording cites its capability."""

    text: str
    source: str
    path: str
    line: int | None
    cell: str = ""  # the workbook cell, when the wording comes from the workbook


@dataclass(frozen=True)
class Lookup:
    """Everything an 8259A record is resolved against."""

    index: CatalogIndex
    history: History
    statements: dict[str, tuple[str, int]]


def build_8259a(sources: Path, catalog: CatalogDoc) -> CatalogDoc:
    lookup = Lookup(
        CatalogIndex(catalog), read_history(sources), overview_statements(sources, TECHNICAL_OVERVIEW)
    )
    doc = CatalogDoc(
        id="nistir-8259a",
        title="NISTIR 8259A: IoT Device Cybersecurity Capability Core Baseline",
        kind="baseline",
        publication="NISTIR 8259A (May 2020)",
        version="May 2020",
        description=(
            "The six capabilities of the NISTIR 8259A core baseline and their elements, each linked to the "
            "SP 800-213A catalog records that realize it. https://doi.org/10.6028/NIST.IR.8259A"
        ),
    )
    doc.add_source(_pages_source())
    doc.add_source(_history_source())
    doc.notes.extend(_notes_8259a())
    for capability in CORE_8259A:
        _add_core_capability(doc, capability, lookup)
    return doc


def _notes_8259a() -> list[str]:
    return [
        "NISTIR 8259A's own text is not among Securable's sources; this baseline is derived from NIST "
        "material that cites it.",
        "Capability statements are quoted from the 2021 catalog's technical overview, which says it expands "
        "on NISTIR 8259A.",
        "Element titles are Securable's short labels. Element text is NIST's wording: from the 2020-12-08 "
        "mapping workbook (whose Source column tags each sheet 8259A) where it has the element, otherwise "
        "from the 2021 catalog where NIST restated the element; elements without text have no NIST wording "
        "in the sources and cite their capability's statement.",
        "The 'match' prop says how the realized-by links were found: 'stated' (a catalog record restates "
        "the element), 'related' (catalog records cover it in other words, Securable's reading) or "
        "'capability' (no catalog record covers it; linked to the catalog capability only).",
        "The 2020-12-08 workbook also tags its Device Security sheet with Source 8259A; NISTIR 8259A has no "
        "such capability, so it is not part of this baseline.",
    ]


def _add_core_capability(doc: CatalogDoc, capability: CoreCapability, lookup: Lookup) -> None:
    record_id = f"8259A-{capability.key}"
    target = lookup.index.capability(capability.key, capability.name)
    tagged = lookup.history.capabilities.get(capability.workbook_name)
    if tagged is None:
        raise BuildError(f"{HISTORY_WORKBOOK}: no sheet ties {capability.workbook_name!r} to Source 8259A")
    if capability.name not in lookup.statements:
        raise BuildError(f"{TECHNICAL_OVERVIEW}: no statement for {capability.name!r}")
    text, line = lookup.statements[capability.name]
    _crosswalk(doc, capability, tagged)
    doc.add(
        record_id,
        "capability",
        source="pages",
        path=TECHNICAL_OVERVIEW,
        line=line,
        title=capability.name,
        text=text,
        links=realized_by(target["id"]),
        props={"workbook-cell": f"'{tagged.sheet}'!{tagged.column}{tagged.row}"},
    )
    fallback = Wording("", "pages", TECHNICAL_OVERVIEW, line)
    for number, element in enumerate(capability.elements, start=1):
        element_id = f"{record_id}.{number}"
        wording = _wording(element, lookup, tagged.sheet, element_id) or fallback
        _add_core_element(
            doc, element_id, element, capability=capability, wording=wording, index=lookup.index
        )


def _crosswalk(doc: CatalogDoc, capability: CoreCapability, tagged: Cell) -> None:
    where = f"{Path(HISTORY_WORKBOOK).name}, sheet {tagged.sheet!r}"
    for old in dict.fromkeys((capability.workbook_name, tagged.sheet)):
        if old != capability.name:
            doc.crosswalk.append({"old": old, "new": capability.name, "where": where})


def _add_core_element(
    doc: CatalogDoc,
    record_id: str,
    element: CoreElement,
    *,
    capability: CoreCapability,
    wording: Wording,
    index: CatalogIndex,
) -> None:
    phrases = (*element.wording, *element.realized_by)
    targets = [t for phrase in phrases for t in index.statement(phrase, record_id)]
    if element.match == CAPABILITY:
        targets.append(capability.key)
    if not targets:
        raise BuildError(f"nistir-8259a: {record_id} has nothing in {CATALOG_ID} that realizes it")
    props: dict[str, str | list[str]] = {"capability": capability.key, "match": element.match}
    if wording.cell:
        props["workbook-cell"] = wording.cell
    doc.add(
        record_id,
        "element",
        source=wording.source,
        path=wording.path,
        line=wording.line,
        title=element.title,
        text=wording.text,
        parent=f"8259A-{capability.key}",
        links=realized_by(*targets),
        props=props,
    )


def _wording(element: CoreElement, lookup: Lookup, sheet: str, where: str) -> Wording | None:
    """The element's NIST wording: the workbook's cell where it has one, else the catalog's record."""
    texts: list[str] = []
    first: Wording | None = None
    for phrase in element.wording:
        cell = lookup.history.find(phrase, sheet)
        if cell is not None:
            texts.append(cell.text)
            cell_ref = f"'{cell.sheet}'!{cell.column}{cell.row}"
            first = first or Wording("", "history-workbook", HISTORY_WORKBOOK, cell.row, cell_ref)
            continue
        record = lookup.index.records[lookup.index.statement(phrase, where)[0]]
        texts.append(record["text"])
        first = first or Wording("", "pages", record["path"], record.get("line"))
    if first is None:
        return None
    return Wording(" ".join(texts), first.source, first.path, first.line, first.cell)


# --- NISTIR 8259B -----------------------------------------------------------------------------


def build_8259b(sources: Path, catalog: CatalogDoc) -> CatalogDoc:
    index = CatalogIndex(catalog)
    statements = overview_statements(sources, NONTECHNICAL_OVERVIEW)
    doc = CatalogDoc(
        id="nistir-8259b",
        title="NISTIR 8259B: IoT Non-Technical Supporting Capability Core Baseline",
        kind="baseline",
        publication="NISTIR 8259B (Aug 2021)",
        version="Aug 2021",
        description=(
            "The four non-technical supporting capabilities of the NISTIR 8259B baseline, each linked to "
            "the SP 800-213A catalog capability and sub-capabilities that expand on it. "
            "https://doi.org/10.6028/NIST.IR.8259B"
        ),
    )
    doc.add_source(_pages_source())
    doc.notes.extend(
        [
            "NISTIR 8259B's own text is not among Securable's sources. Capability statements are quoted "
            "from the 2021 catalog's non-technical overview, which says it expands on NISTIR 8259B (then a "
            "draft).",
            "The sources do not list 8259B's elements, so this baseline has none; each capability links to "
            "the SP 800-213A capability and sub-capabilities that NIST derived from it.",
        ]
    )
    for key, name, catalog_id in CORE_8259B:
        if name not in statements:
            raise BuildError(f"{NONTECHNICAL_OVERVIEW}: no statement for {name!r}")
        text, line = statements[name]
        target = index.capability(catalog_id, name)
        subs = index.children(target["id"], "sub-capability")
        if not subs:
            raise BuildError(f"{CATALOG_ID}: capability {catalog_id} has no sub-capabilities")
        doc.add(
            f"8259B-{key}",
            "capability",
            source="pages",
            path=NONTECHNICAL_OVERVIEW,
            line=line,
            title=name,
            text=text,
            links=realized_by(target["id"], *subs),
        )
    return doc
