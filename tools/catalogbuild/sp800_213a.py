"""Build ``sp800-213a``: NIST's 2021 on-line IoT device cybersecurity requirement catalog.

That catalog (usnistgov/IoT-Device-Cybersecurity-Requirement-Catalogs, HEAD 2021-11-05) became
SP 800-213A. It has no short IDs of its own, so the IDs here are Securable's (see
``docs/catalog-format.md``). The build runs in three steps:

1. parse the markdown pages into a tree of :class:`Node` (technical and non-technical pages differ in
   shape, so each has its own parser);
2. read NIST's two DRAFT mapping workbooks of 2021-04-21 and match every row to nodes by normalized
   text, under the capability / sub-capability (/ topic / action) the row sits in;
3. emit the records, parents before children, with the mappings gathered in step 2.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.rich_text import CellRichText, TextBlock

from tools.catalogbuild.common import BuildError, CatalogDoc, SourceDoc, clean_text, rel

REPOSITORY = "usnistgov/IoT-Device-Cybersecurity-Requirement-Catalogs"
COMMIT = "60ed8e6a802bfab80acdcb5a40ace2aa153529e2"
HEAD_DATE = "2021-11-05"
BASE = "nist-iot-catalog-2021"
PAGES = f"{BASE}/pages"

# (capability ID, page) in the order of the catalog's navigation; overview.md holds no requirements.
TECHNICAL = (
    ("DI", "_Technical/identity.md"),
    ("DC", "_Technical/configuration.md"),
    ("DP", "_Technical/protection.md"),
    ("LAI", "_Technical/logical.md"),
    ("SU", "_Technical/update.md"),
    ("CSA", "_Technical/state.md"),
    ("DS", "_Technical/security.md"),
)
NONTECHNICAL = (
    ("DOC", "_Nontechnical/manufacturer_documentation.md"),
    ("IQR", "_Nontechnical/manufacturer_query.md"),
    ("IDS", "_Nontechnical/manufacturer_information.md"),
    ("EA", "_Nontechnical/manufacturer_education.md"),
)

WORKBOOK_DIR = f"{BASE}/mappings/2021-04-21"
WORKBOOK_DATE = "2021-04-21"
SP800_53 = "sp800-53r5"
CSF = "csf-1.1"


@dataclass(frozen=True)
class Workbook:
    """One of NIST's mapping workbooks: which framework it maps to and where its two sheets are."""

    key: str
    framework: str
    file: str
    title: str
    technical_sheet: str
    nontechnical_sheet: str


WORKBOOKS = (
    Workbook(
        key="map-53",
        framework=SP800_53,
        file="DRAFT_NIST_IoT_Device_Cybersecurity_Requirements_Catalog_to_800-53.xlsx",
        title="DRAFT NIST IoT Device Cybersecurity Requirements Catalog to SP 800-53 Rev. 5 "
        "(mapping workbook)",
        technical_sheet="Technical Capabilities 800-53 ",  # sic: NIST's sheet name ends in a space
        nontechnical_sheet="Non Technical Manufacturers",
    ),
    Workbook(
        key="map-csf",
        framework=CSF,
        file="DRAFT_NIST_IoT_Device_Cybersecurity_Requirements_Catalog_to_Cybersecurity_Framework.xlsx",
        title="DRAFT NIST IoT Device Cybersecurity Requirements Catalog to the Cybersecurity Framework 1.1 "
        "(mapping workbook)",
        technical_sheet="Technical Capabilities",
        nontechnical_sheet="Non Technical Manufacturers",
    ),
)

# Capability names the 2021-04-21 workbooks use that the pages no longer use.
WORKBOOK_CAPABILITY_NAMES = {"Device Identity": "Device Identification"}

# Workbook cells whose text differs from the pages by more than case, spacing and punctuation:
# (start of the workbook text, start of the page text it stands for).
TEXT_OVERRIDES = (
    # NIST's cell stops mid-sentence ("... for scheduling").
    (
        "Providing a description of the procedures the manufacturer follows for processing the software "
        "flaw reports, determining which flaws need to be fixed, for scheduling",
        "Providing a description of the procedures the manufacturer follows for processing the software "
        "flaw reports, determining which flaws need to be fixed, for scheduling corrections",
    ),
)

# Names that changed between versions of the catalog. The 2020-12-16 workbooks are in
# mappings/history/; their elements were traced to the 2021 sub-capabilities by matching text.
_HISTORY = "the 2020-12-16 DRAFT mapping workbooks (mappings/history/2020-12-16)"
_HISTORY_2020 = "the 2020-12-08 and 2020-12-16 mapping workbooks (mappings/history/)"
_PAGES_2021 = "the catalog pages at 60ed8e6 (2021-11-05)"
CROSSWALK = (
    (
        "Device Identity",
        "Device Identification",
        f"capability name in {_HISTORY_2020} and the 2021-04-21 DRAFT mapping workbooks, and topic "
        f"label of non-technical actions on the pages; 'Device Identification' in {_PAGES_2021} "
        "(_Technical/identity.md)",
    ),
    (
        "Cybersecurity Event Awareness",
        "Cybersecurity State Awareness",
        "sheet name in the 2020-12-08 workbooks and non-technical capability in the 2020-12-16 workbooks, "
        "still quoted in the Device Configuration Control text on _Technical/configuration.md; "
        f"'Cybersecurity State Awareness' in {_PAGES_2021} (_Technical/state.md)",
    ),
    ("Asset Identifier Support", "Identifier Management Support", f"DI sub-capability: {_HISTORY} → pages"),
    (
        "Asset Identifier Support",
        "Physical Identifiers",
        f"DI sub-capability: {_HISTORY} → pages (its physical identifier element became a sub-capability)",
    ),
    ("Adaptable Configuration", "Device Configuration Control", f"DC sub-capability: {_HISTORY} → pages"),
    (
        "Cryptographic Capabilities and Support",
        "Cryptography Capabilities and Support",
        f"DP sub-capability: {_HISTORY} → pages (key management split off as Cryptographic Key Management)",
    ),
    *(
        (
            "Authentication and Identity Management",
            new,
            f"LAI sub-capability: {_HISTORY} → pages (split into five sub-capabilities)",
        )
        for new in (
            "Authentication Support",
            "Authentication Configuration",
            "System Use Notification Support",
            "Authorization Support",
            "Authentication & Identity Management",
        )
    ),
    ("Role Support and Management", "Role Support & Management", f"LAI sub-capability: {_HISTORY} → pages"),
    (
        "Event Identification and Monitoring",
        "Event Identification & Monitoring",
        f"CSA sub-capability: {_HISTORY} → pages",
    ),
    *(
        ("Audit Support", new, f"CSA sub-capability: {_HISTORY} → pages (split into five sub-capabilities)")
        for new in (
            "Logging Capture & Trigger Support",
            "Support of Required Data Logging",
            "Audit Log Storage & Retention",
            "Support for Reliable Time",
            "Audit Support & Protection",
        )
    ),
)


# ---------------------------------------------------------------------------------------------------
# Step 1: the pages as a tree of nodes
# ---------------------------------------------------------------------------------------------------


@dataclass(eq=False)
class Node:
    """One record-to-be, with its children and the mappings the workbooks give it."""

    id: str
    kind: str
    path: str
    line: int
    title: str = ""
    text: str = ""
    parent: Node | None = None
    props: dict[str, str | list[str]] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    mappings: dict[str, list[str]] = field(default_factory=dict)
    low_baseline: list[str] = field(default_factory=list)

    def add(self, kind: str, suffix: str, line: int, **fields: Any) -> Node:
        # Capability IDs are joined with "-" (DI-1), everything below with "." (DI-1.2, DOC-1.a.1).
        sep = "-" if self.parent is None else "."
        child = Node(f"{self.id}{sep}{suffix}", kind, self.path, line, parent=self, **fields)
        self.children.append(child)
        return child

    def walk(self) -> Iterator[Node]:
        """This node and all below it, in source order."""
        yield self
        for child in self.children:
            yield from child.walk()


_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*)$")
_BULLET_RE = re.compile(r"^( *)- (.*)$")
_TOPIC_RE = re.compile(r"^\*\*([a-z])\.\s+(.*)\*\*$")
_ACTION_RE = re.compile(r"^(\d+)\.\s+\*\*(.*)\*\*$")
_SUBCAP_NUMBER_RE = re.compile(r"^(\d+)[.)]+\s*(.*)$")
_CAP_LETTER_RE = re.compile(r"^([A-D])\.\s*(.*)$")
_ANCHOR_RE = re.compile(r"^\{:\s*#(\S+)\s*\}$")
_TOPIC_LABEL_RE = re.compile(r"^([A-Z][A-Za-z ]{2,60}?):\s")
# Italic markers: an underscore that does not sit between two word characters.
_ITALIC_RE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")


def md_text(raw: str) -> str:
    """Inline markdown to plain text: drop bold and italic markers, decode entities, collapse spaces."""
    return clean_text(_ITALIC_RE.sub("", raw.replace("**", "")))


def read_page(path: Path) -> list[tuple[int, str]]:
    """The page's lines after the Jekyll front matter, 1-based, with tabs expanded (as markdown does)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as err:
        raise BuildError(f"{path}: not found") from err
    start = 0
    if lines and lines[0].strip() == "---":
        ends = [i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---"]
        if not ends:
            raise BuildError(f"{path}:1: front matter is not closed")
        start = ends[0] + 1
    return [(i + 1, lines[i].expandtabs(4)) for i in range(start, len(lines))]


def nest(stack: list[tuple[int, Node]], indent: int, root: Node) -> Node:
    """The parent of a bullet indented by ``indent`` spaces, popping the bullets it does not belong to.

    As in CommonMark, a bullet nests under the previous bullet only when it is indented at least to
    that bullet's text (the dash column + 2). So the two bullets in logical.md that start with one
    space (" - Ability for the IoT device to hide or mask ...") are elements, siblings of the
    top-level bullets, not sub-elements; NIST's workbook lists them as elements too.
    """
    while stack and indent < stack[-1][0] + 2:
        stack.pop()
    return stack[-1][1] if stack else root


class _Paragraphs:
    """Collects consecutive text lines into paragraphs for whichever node they describe."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.done: list[str] = []

    def add(self, line: str) -> None:
        self.lines.append(line)

    @property
    def pending(self) -> bool:
        return bool(self.lines or self.done)

    def end_paragraph(self) -> None:
        if self.lines:
            self.done.append(md_text(" ".join(self.lines)))
            self.lines = []

    def take(self) -> str:
        """All paragraphs so far, blank-line separated, and start afresh."""
        self.end_paragraph()
        text = "\n\n".join(p for p in self.done if p)
        self.done = []
        return text


def parse_technical(path: Path, sources: Path, cap_id: str) -> Node:
    """A technical capability page: ``#`` capability, headings for sub-capabilities, bullets below.

    configuration.md marks its sub-capabilities with ``#`` like the capability itself while the other
    pages use ``##``, so every heading after the first is a sub-capability.
    """
    cap: Node | None = None
    owner: Node | None = None  # the heading node that the current paragraphs describe
    stack: list[tuple[int, Node]] = []
    paragraphs = _Paragraphs()
    where = rel(path, sources)

    def flush() -> None:
        if owner is not None and paragraphs.pending:
            if stack:
                raise BuildError(f"{where}: text after the elements of {owner.id}")
            text = paragraphs.take()
            owner.text = f"{owner.text}\n\n{text}" if owner.text else text

    for lineno, line in read_page(path):
        heading = _HEADING_RE.match(line)
        bullet = _BULLET_RE.match(line)
        if heading:
            flush()
            stack.clear()
            title = md_text(heading.group(2))
            if cap is None:
                cap = owner = Node(cap_id, "capability", where, lineno, title=title)
            else:
                owner = cap.add("sub-capability", str(len(cap.children) + 1), lineno, title=title)
        elif bullet:
            flush()
            if owner is None or owner is cap:
                raise BuildError(f"{where}:{lineno}: element outside a sub-capability")
            indent = len(bullet.group(1))
            parent = nest(stack, indent, owner)
            kind = "element" if parent is owner else "sub-element"
            node = parent.add(kind, str(len(parent.children) + 1), lineno, text=md_text(bullet.group(2)))
            stack.append((indent, node))
        elif line.strip():
            if owner is None:
                raise BuildError(f"{where}:{lineno}: text before the capability heading")
            paragraphs.add(line.strip())
        else:
            paragraphs.end_paragraph()
    flush()
    if cap is None:
        raise BuildError(f"{where}: no capability heading")
    return cap


@dataclass
class _NontechState:
    """Where the non-technical parser is: the open capability, sub-capability, topic and action."""

    where: str
    cap_id: str
    cap: Node | None = None
    subcap: Node | None = None
    topic: Node | None = None
    action: Node | None = None
    stack: list[tuple[int, Node]] = field(default_factory=list)
    in_details: bool = False

    def text_owner(self) -> Node | None:
        """The node a plain paragraph describes: the innermost open heading, topic or action."""
        return self.action or self.topic or self.subcap or self.cap


def parse_nontechnical(path: Path, sources: Path, cap_id: str) -> Node:
    """A manufacturer capability page: ``#`` capability, ``## 1).`` sub-capabilities, ``**a. …**``
    topics, ``1. **…**`` actions, and ``-`` sub-actions (some inside ``<details>`` example blocks)."""
    state = _NontechState(rel(path, sources), cap_id)
    paragraphs = _Paragraphs()

    def flush() -> None:
        node = state.text_owner()
        if node is None or not paragraphs.pending:
            return
        if state.stack:
            raise BuildError(f"{state.where}: text after the sub-actions of {node.id}")
        text = paragraphs.take()
        if node.kind == "action":
            # The action's text is its bold statement; the explanation under it is discussion.
            node.props["discussion"] = text
        else:
            node.text = f"{node.text}\n\n{text}" if node.text else text

    for lineno, line in read_page(path):
        stripped = line.strip()
        if not stripped:
            paragraphs.end_paragraph()
            continue
        if _skip_markup(stripped, state):
            continue
        if _structure_line(stripped, lineno, state, flush):
            continue
        bullet = _BULLET_RE.match(line)
        if bullet:
            flush()
            _sub_action(bullet, lineno, state)
        elif state.in_details:
            _example_paragraph(line, lineno, state)
        elif state.text_owner() is None:
            raise BuildError(f"{state.where}:{lineno}: text before the capability heading")
        else:
            paragraphs.add(stripped)
    flush()
    if state.cap is None:
        raise BuildError(f"{state.where}: no capability heading")
    return state.cap


def _skip_markup(stripped: str, state: _NontechState) -> bool:
    """Liquid includes, kramdown attributes and the <details> wrappers carry no catalog text."""
    anchor = _ANCHOR_RE.match(stripped)
    if anchor:
        if state.subcap is None:
            raise BuildError(f"{state.where}: anchor {stripped!r} outside a sub-capability")
        state.subcap.props["anchor"] = anchor.group(1)
        return True
    if stripped.startswith(("{%", "{:")):
        return True
    if stripped.startswith("<details"):
        state.in_details = True
        return True
    if stripped.startswith("</details"):
        state.in_details = False
        return True
    return stripped.startswith("<summary")


def _structure_line(stripped: str, lineno: int, state: _NontechState, flush: Callable[[], None]) -> bool:
    """Headings, lettered topics and numbered actions; True when the line was one of them."""
    heading = _HEADING_RE.match(stripped)
    topic = _TOPIC_RE.match(stripped)
    action = _ACTION_RE.match(stripped) if state.subcap is not None else None
    if not (heading or topic or action):
        return False
    flush()
    state.stack.clear()
    if heading and len(heading.group(1)) == 1:
        _open_capability(md_text(heading.group(2)), lineno, state)
    elif heading:
        _open_subcap(md_text(heading.group(2)), lineno, state)
    elif topic:
        _open_topic(topic.group(1), md_text(topic.group(2)), lineno, state)
    elif action:
        _open_action(int(action.group(1)), md_text(action.group(2)), lineno, state)
    return True


def _open_capability(title: str, lineno: int, state: _NontechState) -> None:
    if state.cap is not None:
        raise BuildError(f"{state.where}:{lineno}: second capability heading {title!r}")
    # "A. Documentation from the Manufacturer": the letter is NIST's running order, kept as a prop.
    lettered = _CAP_LETTER_RE.match(title)
    props: dict[str, str | list[str]] = {"letter": lettered.group(1)} if lettered else {}
    title = lettered.group(2) if lettered else title
    state.cap = Node(state.cap_id, "capability", state.where, lineno, title=title, props=props)


def _expect(number: int, siblings: list[Node], kind: str, where: str) -> None:
    """NIST numbers sub-capabilities, topics and actions; the IDs use those numbers, so check them."""
    count = sum(1 for s in siblings if s.kind == kind) + 1
    if number != count:
        raise BuildError(f"{where}: {kind} numbered {number}, expected {count}")


def _open_subcap(title: str, lineno: int, state: _NontechState) -> None:
    cap = state.cap
    numbered = _SUBCAP_NUMBER_RE.match(title)
    if cap is None or not numbered:
        raise BuildError(f"{state.where}:{lineno}: unexpected sub-capability heading {title!r}")
    number = int(numbered.group(1))
    _expect(number, cap.children, "sub-capability", f"{state.where}:{lineno}")
    state.subcap = cap.add("sub-capability", str(number), lineno, title=numbered.group(2))
    state.topic = state.action = None


def _open_topic(letter: str, title: str, lineno: int, state: _NontechState) -> None:
    subcap = state.subcap
    if subcap is None:
        raise BuildError(f"{state.where}:{lineno}: topic outside a sub-capability")
    expected = chr(ord("a") + sum(1 for c in subcap.children if c.kind == "topic"))
    if letter != expected:
        raise BuildError(f"{state.where}:{lineno}: topic lettered {letter}, expected {expected}")
    state.topic = subcap.add("topic", letter, lineno, title=title)
    state.action = None


def _open_action(number: int, statement: str, lineno: int, state: _NontechState) -> None:
    # Actions sit under the lettered topic; a sub-capability without topics holds them directly.
    parent = state.topic or state.subcap
    if parent is None:
        raise BuildError(f"{state.where}:{lineno}: action outside a sub-capability")
    _expect(number, parent.children, "action", f"{state.where}:{lineno}")
    props: dict[str, str | list[str]] = {}
    label = _TOPIC_LABEL_RE.match(statement)
    if label:
        props["topic_label"] = label.group(1)
    state.action = parent.add("action", str(number), lineno, text=statement, props=props)


def _sub_action(bullet: re.Match[str], lineno: int, state: _NontechState) -> None:
    """A ``-`` bullet under an action: a sub-action, nested by indentation, flagged inside examples."""
    if state.action is None:
        raise BuildError(f"{state.where}:{lineno}: bullet outside an action")
    indent = len(bullet.group(1))
    parent = nest(state.stack, indent, state.action)
    node = parent.add("sub-action", str(len(parent.children) + 1), lineno, text=md_text(bullet.group(2)))
    if state.in_details:
        node.props["example"] = "yes"
    state.stack.append((indent, node))


def _example_paragraph(line: str, lineno: int, state: _NontechState) -> None:
    """Text in an example block without a bullet (NIST forgot the dash once): still an example."""
    if state.action is None:
        raise BuildError(f"{state.where}:{lineno}: example outside an action")
    indent = len(line) - len(line.lstrip(" "))
    parent = nest(list(state.stack), indent, state.action)  # a paragraph never parents a bullet
    node = parent.add("sub-action", str(len(parent.children) + 1), lineno, text=md_text(line))
    node.props["example"] = "yes"


# ---------------------------------------------------------------------------------------------------
# Step 2: NIST's mapping workbooks, matched to the nodes
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One workbook row, with the hierarchy NIST writes once per merged block filled down."""

    sheet: str
    number: int
    hierarchy: tuple[str, ...]  # capability, sub-capability (non-technical: + topic, action)
    lines: tuple[str, ...]  # the element / sub-action cell: its head, then its "o" / "-" sub-items
    ids: tuple[str, ...]  # mapped control or subcategory IDs, in the cell's order
    low_baseline: tuple[str, ...] = ()  # 800-53 only: the controls NIST set in bold
    no_mapping: bool = False  # NIST wrote "No Mapping"

    @property
    def cell(self) -> str:
        return f"{self.sheet.strip()}!row {self.number}"


_NUMBER_PREFIX_RE = re.compile(r"^(?:[A-Da-z]|\d+)\.\s*")
_SUBLINE_RE = re.compile(r"^(?:o|-)\s+")
_CONTROL_RE = re.compile(r"^\s*([A-Z]{2})-(\d+)")
_ENHANCEMENT_RE = re.compile(r"\((\d+)\)")
# NIST writes one subcategory as "ID-SC-3"; the separator after the function is normally a dot.
_SUBCATEGORY_RE = re.compile(r"\b([A-Z]{2})[.\-]([A-Z]{2})-(\d+)\b")
_NO_MAPPING = "no mapping"
# "PT" is no CSF function; PR.PT (Protective Technology) is the only subcategory one letter away.
SUBCATEGORY_TYPOS = {"PT.PT-1": "PR.PT-1"}


def read_workbook(path: Path, sheet: str, framework: str, *, technical: bool) -> list[Row]:
    """The rows of one sheet (row 1 is the header), skipping empty ones."""
    try:
        book = openpyxl.load_workbook(path, rich_text=True)
    except FileNotFoundError as err:
        raise BuildError(f"{path}: not found") from err
    if sheet not in book.sheetnames:
        raise BuildError(f"{path}: no sheet {sheet!r} (has {book.sheetnames})")
    hierarchy = ["", "", "", ""] if not technical else ["", ""]
    rows: list[Row] = []
    for cells in book[sheet].iter_rows(min_row=2, max_col=5):
        texts = [_cell_text(cell) for cell in cells]
        if not any(texts):
            continue
        where = f"{path.name} {sheet.strip()}!row {cells[0].row}"
        _fill_down(hierarchy, texts[:3], technical, where)
        lines = _split_cell(texts[3])
        ids, low, none = _parse_targets(cells[4], framework, where)
        if lines and not (ids or none):
            raise BuildError(f"{where}: element without a mapping cell")
        rows.append(Row(sheet, cells[0].row, tuple(hierarchy), lines, ids, low, none))
    return rows


def _cell_text(cell: Any) -> str:
    return "" if cell.value is None else str(cell.value).strip()


def _fill_down(hierarchy: list[str], texts: list[str], technical: bool, where: str) -> None:
    """Update the filled-down hierarchy from columns A to C; a new level clears the levels below."""
    cap, sub, third = texts
    if cap:
        hierarchy[:] = [_NUMBER_PREFIX_RE.sub("", cap)] + [""] * (len(hierarchy) - 1)
    if sub:
        hierarchy[1:] = [_NUMBER_PREFIX_RE.sub("", sub)] + [""] * (len(hierarchy) - 2)
    # Technical column C repeats the sub-capability description; matching uses the pages' text instead.
    if technical or not third:
        return
    if re.match(r"^[a-z]\.\s", third):
        hierarchy[2:] = [_NUMBER_PREFIX_RE.sub("", third), ""]
    elif re.match(r"^\d+\.\s", third):
        hierarchy[3] = _NUMBER_PREFIX_RE.sub("", third)
    else:
        raise BuildError(f"{where}: column C is neither a lettered topic nor a numbered action: {third!r}")


def _split_cell(text: str) -> tuple[str, ...]:
    """An element cell: the first line is the element, later lines ("o" or "-" bullets) its sub-items."""
    lines = [line.strip() for line in text.split("\n")]
    head, rest = lines[0] if lines else "", lines[1:]
    items = [head] + [_SUBLINE_RE.sub("", line) for line in rest]
    return tuple(clean_text(item) for item in items if item)


def _parse_targets(cell: Any, framework: str, where: str) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """The mapping cell: (IDs, IDs NIST set in bold, whether NIST wrote "No Mapping")."""
    text, bold = _text_and_bold(cell)
    if framework == CSF:
        found = (f"{m[1]}.{m[2]}-{m[3]}" for m in _SUBCATEGORY_RE.finditer(text))
        ids = tuple(dict.fromkeys(SUBCATEGORY_TYPOS.get(sub, sub) for sub in found))
        rest = _SUBCATEGORY_RE.sub("", text).strip(" ;,\n").lower()
        if rest not in ("", _NO_MAPPING):
            raise BuildError(f"{where}: cannot read the subcategory cell {text!r}")
        return ids, (), rest == _NO_MAPPING
    controls: list[str] = []
    low: list[str] = []
    offset = 0
    none = False
    for line in text.split("\n"):
        control = _CONTROL_RE.match(line)
        if control:
            enhancement = _ENHANCEMENT_RE.search(line, control.end())
            oscal = f"{control[1].lower()}-{control[2]}" + (f".{enhancement[1]}" if enhancement else "")
            controls.append(oscal)
            # Bold marks the LOW baseline; judge by the control ID's own characters, since NIST
            # sometimes bolds one line of a cell and not the next.
            if all(bold[offset + control.start(1) : offset + control.end(2)]):
                low.append(oscal)
        elif line.strip().lower() == _NO_MAPPING:
            none = True
        elif line.strip():
            raise BuildError(f"{where}: cannot read the control line {line!r}")
        offset += len(line) + 1
    return tuple(dict.fromkeys(controls)), tuple(dict.fromkeys(low)), none


def _text_and_bold(cell: Any) -> tuple[str, list[bool]]:
    """The cell's text and, per character, whether it is bold (cells can mix bold and plain runs)."""
    value = cell.value
    if value is None:
        return "", []
    cell_bold = bool(cell.font is not None and cell.font.b)
    if not isinstance(value, CellRichText):
        return str(value), [cell_bold] * len(str(value))
    text = ""
    bold: list[bool] = []
    for part in value:
        # A plain string run takes the cell's font; a text block brings its own.
        run, run_bold = (part.text, bool(part.font.b)) if isinstance(part, TextBlock) else (part, cell_bold)
        text += run
        bold += [run_bold] * len(run)
    return text, bold


def norm(text: str) -> str:
    """Text for comparison: NIST's cells and pages differ in case, spacing, quotes and punctuation."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def same(workbook_text: str, page_text: str) -> bool:
    """Whether a workbook text names a page text, allowing for :data:`TEXT_OVERRIDES`."""
    wanted, found = norm(workbook_text), norm(page_text)
    if wanted == found:
        return True
    return any(wanted == norm(old) and found.startswith(norm(new)) for old, new in TEXT_OVERRIDES)


def _is_below(node: Node, ancestor: Node) -> bool:
    parent = node.parent
    while parent is not None:
        if parent is ancestor:
            return True
        parent = parent.parent
    return False


def _candidates(text: str, scope: Node, heads: list[Node]) -> list[Node]:
    """Nodes in ``scope`` (itself included) whose text is ``text``; below ``heads`` when some are.

    All equal-text nodes are returned: NIST repeats one element as a sub-element in logical.md, and
    the same words deserve the same mapping.
    """
    found = [node for node in scope.walk() if node.text and same(text, node.text)]
    below = [node for node in found if any(_is_below(node, head) for head in heads)]
    return below or found


def _match_lines(row: Row, scope: Node) -> list[Node] | str:
    """The nodes a row's element cell names, or why it cannot be matched."""
    heads = _candidates(row.lines[0], scope, [])
    if not heads:
        return f"no {scope.id} record reads {row.lines[0]!r}"
    matched = list(heads)
    for line in row.lines[1:]:
        found = _candidates(line, scope, heads)
        if not found:
            return f"no {scope.id} record reads sub-item {line!r}"
        matched += found
    return matched


def _child(parent: Node, name: str, kinds: tuple[str, ...], use_text: bool = False) -> Node | None:
    for child in parent.children:
        if child.kind in kinds and same(name, child.text if use_text else child.title):
            return child
    return None


def resolve_technical(caps: list[Node], row: Row) -> list[Node] | str:
    cap_name, sub_name = row.hierarchy
    name = WORKBOOK_CAPABILITY_NAMES.get(cap_name, cap_name)
    cap = next((c for c in caps if same(name, c.title)), None)
    if cap is None:
        return f"no capability {cap_name!r}"
    sub = _child(cap, sub_name, ("sub-capability",))
    if sub is None:
        return f"no sub-capability {sub_name!r} in {cap.id}"
    return _match_lines(row, sub) if row.lines else []


def resolve_nontechnical(caps: list[Node], row: Row) -> list[Node] | str:
    cap_name, sub_name, topic_name, action_name = row.hierarchy
    cap = next((c for c in caps if same(cap_name, c.title)), None)
    if cap is None:
        return f"no capability {cap_name!r}"
    parent = _child(cap, sub_name, ("sub-capability",))
    if parent is None:
        return f"no sub-capability {sub_name!r} in {cap.id}"
    if topic_name:
        topic = _child(parent, topic_name, ("topic",))
        if topic is None:
            return f"no topic {topic_name!r} in {parent.id}"
        parent = topic
    if not action_name:
        return "sub-action outside an action" if row.lines else []
    action = _child(parent, action_name, ("action",), use_text=True)
    if action is None:
        return f"no action {action_name!r} in {parent.id}"
    return _match_lines(row, action) if row.lines else []


def apply_workbook(book: Workbook, sources: Path, technical: list[Node], nontechnical: list[Node]) -> None:
    """Give every node the mappings of the rows that name it.

    A row that cannot be matched is an error: a silent gap would look like "no mapping".
    """
    path = sources / WORKBOOK_DIR / book.file
    problems: list[str] = []
    for sheet, caps, resolve, is_technical in (
        (book.technical_sheet, technical, resolve_technical, True),
        (book.nontechnical_sheet, nontechnical, resolve_nontechnical, False),
    ):
        for row in read_workbook(path, sheet, book.framework, technical=is_technical):
            nodes = resolve(caps, row)
            if isinstance(nodes, str):
                problems.append(f"{row.cell}: {nodes}")
                continue
            for node in nodes:
                _give(node, book.framework, row)
    if problems:
        raise BuildError(f"{rel(path, sources)}: rows not found on the pages:\n  " + "\n  ".join(problems))


def _give(node: Node, framework: str, row: Row) -> None:
    targets = node.mappings.setdefault(framework, [])
    targets.extend(t for t in row.ids if t not in targets)
    node.low_baseline.extend(c for c in row.low_baseline if c not in node.low_baseline)
    if row.no_mapping:
        flagged = node.props.setdefault("no_mapping", [])
        if isinstance(flagged, list) and framework not in flagged:
            flagged.append(framework)


# ---------------------------------------------------------------------------------------------------
# Step 3: the catalog document
# ---------------------------------------------------------------------------------------------------

MAPPED_KINDS = ("element", "sub-element", "action", "sub-action")


def build(sources: Path) -> CatalogDoc:
    doc = CatalogDoc(
        id="sp800-213a",
        title="IoT Device Cybersecurity Requirement Catalog (SP 800-213A)",
        kind="capability-catalog",
        publication="NIST SP 800-213A (catalog, 2021 online edition)",
        version=f"{HEAD_DATE} ({COMMIT[:7]})",
        description=(
            "NIST's IoT device cybersecurity requirement catalog as published on-line in 2021, the catalog "
            "that became SP 800-213A: 7 technical device capabilities with their sub-capabilities, elements "
            "and sub-elements, and 4 non-technical manufacturer capabilities with their sub-capabilities, "
            "topics, actions and sub-actions (examples flagged), mapped to SP 800-53 Rev. 5 controls and "
            "CSF 1.1 subcategories by NIST's DRAFT workbooks of 2021-04-21."
        ),
    )
    doc.add_source(
        SourceDoc(
            key="pages",
            publication="NIST IoT Device Cybersecurity Requirement Catalog (on-line; became SP 800-213A)",
            version=doc.version,
            date=HEAD_DATE,
            repository=REPOSITORY,
            commit=COMMIT,
            url=f"https://github.com/{REPOSITORY}/tree/{COMMIT}",
        )
    )
    for book in WORKBOOKS:
        doc.add_source(
            SourceDoc(
                key=book.key,
                publication=book.title,
                version=WORKBOOK_DATE,
                date=WORKBOOK_DATE,
                repository=REPOSITORY,
                commit=COMMIT,
                url=f"https://github.com/{REPOSITORY}/blob/{COMMIT}/_InformativeReferences/files/{book.file}",
                status="draft",
            )
        )
    technical = [parse_technical(sources / PAGES / page, sources, cap_id) for cap_id, page in TECHNICAL]
    nontechnical = [
        parse_nontechnical(sources / PAGES / page, sources, cap_id) for cap_id, page in NONTECHNICAL
    ]
    for book in WORKBOOKS:
        apply_workbook(book, sources, technical, nontechnical)
    doc.mapping_sources = {book.framework: book.key for book in WORKBOOKS}
    doc.crosswalk = [{"old": old, "new": new, "where": where} for old, new, where in CROSSWALK]
    nodes = [node for cap in technical + nontechnical for node in cap.walk()]
    doc.notes.extend(_notes(nodes))
    for node in nodes:
        _emit(doc, node)
    return doc


def _emit(doc: CatalogDoc, node: Node) -> None:
    props = dict(node.props)
    if node.low_baseline:
        props["low_baseline_controls"] = list(node.low_baseline)
    doc.add(
        node.id,
        node.kind,
        source="pages",
        path=node.path,
        line=node.line,
        title=node.title,
        text=node.text,
        parent=node.parent.id if node.parent else None,
        mappings={fw: list(ids) for fw, ids in node.mappings.items() if ids} or None,
        props=props,
    )


def _notes(nodes: list[Node]) -> list[str]:
    unmapped = [
        n.id
        for n in nodes
        if n.kind in MAPPED_KINDS
        and n.props.get("example") != "yes"
        and not any(n.mappings.values())
        and "no_mapping" not in n.props
        and n.kind != "action"
    ]
    return [
        "The short IDs (DI-1.2, DOC-1.a.1.2, …) are Securable's own: the source pages number nothing "
        "below the sub-capability, and the final SP 800-213A IDs are not in the source.",
        "Mappings are NIST's DRAFT mappings from the 2021-04-21 workbooks (sources map-53 and map-csf), "
        "matched to the pages by text. NIST maps elements and sub-actions; numbered actions carry no "
        "mapping of their own, and sub-capabilities without elements carry the mapping NIST gave their "
        "description.",
        "props.low_baseline_controls lists the mapped controls NIST set in bold, its mark for the "
        "SP 800-53B LOW baseline (NIST left SI-2 unbolded in two rows although it is in LOW).",
        "NIST's CSF workbook writes 'ID-SC-3' twice and 'PT.PT-1' once; they are read as ID.SC-3 and "
        "PR.PT-1.",
        "Structure follows the markdown: in logical.md two bullets indented by one space are elements "
        "(as in NIST's workbook); in configuration.md the bullet on configuring cryptography is "
        "an element whose two sub-elements are the update settings, although NIST's workbook lists all "
        "three under 'Configuration settings … including, but not limited to:'.",
        f"{len(unmapped)} elements or sub-actions have no row in NIST's workbooks and so no mappings: "
        + ", ".join(unmapped)
        + ".",
    ]
