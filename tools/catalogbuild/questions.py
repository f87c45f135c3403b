"""Build the NISTIR 8259 question set from the seed's plain-text rendering of the publication.

The seed is a PDF converted to text: page breaks cut sentences in two, footnotes land in the middle
of list items, and an indented bullet can lose its indentation after a page break. The reader below
first turns lines into blocks (heading, numbered item, bullet, paragraph) and repairs those
artefacts, then walks sections 3.1 to 4.2.6 and turns every question into a record.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from tools.catalogbuild.common import BuildError, CatalogDoc, SourceDoc, clean_text

SEED_NAME = "003_916d796199ddb2ce.txt"
# The seed lives beside ``upstream/sources`` in ``upstream/seeds``; provenance paths are relative to sources.
SEED_PATH = f"../seeds/{SEED_NAME}"

FIRST_CHAPTER = "3"
END_HEADING = "5"
# Sections that ask two separate numbered lists, and what each list is about.
LIST_NAMES = {"3.1": ("customers", "use-cases"), "3.4": ("resources", "development")}

_HEADING_RE = re.compile(r"^(\d+(?:\.\d+)*) ([A-Z].*)$")
_TOC_PAGE_RE = re.compile(r"\s(?:\d+|[ivx]+)$")
_ITEM_RE = re.compile(r"^(\d+)\. (.*)$")
_BULLET_RE = re.compile(r"^\s*- (.*)$")
_FOOTNOTE_RE = re.compile(r"^([¹²³⁴⁵⁶⁷⁸⁹⁰]+) (.*)$")
_FOOTNOTE_MARK_RE = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
_ACTIVITY_RE = re.compile(r"^Activity (\d+): (.*)$")
_BOLD_QUESTION_RE = re.compile(r"\*\*(.+?)\*\*")
_PART_RE = re.compile(r"^([a-z])\. \*\*(.+?)\*\*\s*(.*)$")
_EXAMPLES_RE = re.compile(r"^\(e\.g\., (.*)\)$")
_SENTENCE_END = (".", "?", "!", ":", ")", "”", '"')


@dataclass
class Block:
    """One logical unit of the text after page-break repair."""

    kind: str  # "heading", "item", "bullet" or "para"
    line: int
    text: str
    number: str = ""
    # (offset in text, seed line) for every line joined into this block, so a question found in
    # the middle of a rejoined paragraph still points at its own line.
    joins: list[tuple[int, int]] = field(default_factory=list)

    def join(self, text: str, line: int) -> None:
        self.text += " "
        self.joins.append((len(self.text), line))
        self.text += text

    def line_at(self, offset: int) -> int:
        line = self.line
        for start, joined_line in self.joins:
            if start <= offset:
                line = joined_line
        return line


@dataclass
class Question:
    title: str
    text: str
    line: int
    number: str = ""
    list_name: str = ""
    fragment: str = ""  # a lettered part's own bold words, which finish its parent's question
    examples: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    parts: list[Question] = field(default_factory=list)


@dataclass
class Section:
    number: str
    title: str
    line: int
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Activity:
    number: str
    section: str
    title: str
    line: int
    phase: str
    intro: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"A{self.number}"


def build(sources: Path) -> CatalogDoc:
    seed = sources.parent / "seeds" / SEED_NAME
    try:
        lines = seed.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as err:
        raise BuildError(f"{seed}: NISTIR 8259 seed not found") from err
    blocks, footnotes = read_blocks(lines)
    activities = group_activities(body_of(blocks))
    doc = _new_doc(seed.read_bytes())
    for activity in activities:
        _add_activity(doc, activity, footnotes)
    return doc


def _new_doc(seed_text: bytes) -> CatalogDoc:
    doc = CatalogDoc(
        id="nistir-8259-questions",
        title="NISTIR 8259: Foundational Cybersecurity Activities for IoT Device Manufacturers (questions)",
        kind="question-set",
        publication="NISTIR 8259",
        version="May 2020",
        description=(
            "The six foundational activities of NISTIR 8259 and every question the publication asks "
            "manufacturers in sections 3.1 to 4.2.6, each with a stable ID."
        ),
    )
    doc.add_source(
        SourceDoc(
            key="nistir-8259",
            publication="NISTIR 8259",
            version="May 2020",
            date="2020-05-29",
            # A PDF, not a repository: the content hash of the text we parsed pins the version instead.
            repository="NIST Technical Series Publications (text copy in upstream/seeds)",
            commit=f"sha256:{hashlib.sha256(seed_text).hexdigest()}",
            url="https://doi.org/10.6028/NIST.IR.8259",
        )
    )
    doc.notes.extend(
        [
            f"Read from a plain-text rendering of the NISTIR 8259 PDF (upstream/seeds/{SEED_NAME}); "
            "text cut by page breaks has been rejoined and footnotes moved out of the questions "
            "(into the 'footnotes' prop where a question cites one).",
            "Section 3.3 asks its three questions in running prose; they have no number in the publication.",
            "Question 1 of section 4.2.6 has three lettered parts, kept as sub-questions Q4.2.6-1.a to -1.c.",
            "The 'examples' prop holds the publication's own examples (the '(e.g., …)' list after a "
            "question, or its example bullets), as written.",
        ]
    )
    return doc


# --- reading the seed into blocks -------------------------------------------------------------


def read_blocks(lines: list[str]) -> tuple[list[Block], dict[str, str]]:
    """Blocks in document order, and the footnotes by their superscript mark."""
    blocks: list[Block] = []
    footnotes: dict[str, str] = {}
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text:
            continue
        footnote = _FOOTNOTE_RE.match(text)
        if footnote:
            # Footnotes sit wherever the page ended; they never belong to the surrounding block.
            footnotes[footnote.group(1)] = footnote.group(2)
            continue
        if blocks and _continues(blocks[-1], text):
            blocks[-1].join(text, number)
            continue
        blocks.append(_block(raw.rstrip(), text, number))
    return blocks, footnotes


def _continues(previous: Block, text: str) -> bool:
    """A line that starts in lower case after a block cut mid-sentence is the rest of that block."""
    return previous.kind != "heading" and text[0].islower() and not previous.text.endswith(_SENTENCE_END)


def _block(raw: str, text: str, line: int) -> Block:
    heading = _HEADING_RE.match(raw)
    if heading:
        return Block("heading", line, heading.group(2), heading.group(1))
    item = _ITEM_RE.match(raw)
    if item:
        return Block("item", line, item.group(2), item.group(1))
    # Bullets are taken at any indentation: after a page break the seed sometimes drops the indent
    # of a nested bullet (the "Making a device highly configurable" example of 3.2, question 2).
    bullet = _BULLET_RE.match(raw)
    if bullet:
        return Block("bullet", line, bullet.group(1))
    return Block("para", line, text)


def body_of(blocks: list[Block]) -> list[Block]:
    """Chapter 3 up to the conclusion, skipping the table of contents (its lines end in page numbers)."""
    start = next(
        (
            n
            for n, b in enumerate(blocks)
            if b.kind == "heading" and b.number == FIRST_CHAPTER and not _TOC_PAGE_RE.search(b.text)
        ),
        None,
    )
    if start is None:
        raise BuildError(f"{SEED_PATH}: no body heading for chapter {FIRST_CHAPTER}")
    for end in range(start + 1, len(blocks)):
        if blocks[end].kind == "heading" and blocks[end].number == END_HEADING:
            return blocks[start:end]
    raise BuildError(f"{SEED_PATH}:{blocks[start].line}: no heading '{END_HEADING} …' after the activities")


def group_activities(blocks: list[Block]) -> list[Activity]:
    """Activities with their sections: 3.1–4.1 are their own section; 4.2 has sections 4.2.1–4.2.6."""
    activities: list[Activity] = []
    phase = ""
    for block in blocks:
        if block.kind == "heading":
            depth = block.number.count(".")
            if depth == 0:
                phase = "pre-market" if "Pre-Market" in block.text else "post-market"
            elif depth == 1:
                activities.append(_activity(block, phase))
            else:
                _current(activities, block).sections.append(Section(block.number, block.text, block.line))
            continue
        if not activities:
            continue  # the chapter introductions come before any activity
        activity = activities[-1]
        if activity.sections:
            activity.sections[-1].blocks.append(block)
        else:
            activity.intro.append(block)
    if [a.number for a in activities] != ["1", "2", "3", "4", "5", "6"]:
        raise BuildError(f"{SEED_PATH}: expected activities 1 to 6, found {[a.number for a in activities]}")
    return activities


def _current(activities: list[Activity], block: Block) -> Activity:
    if not activities or not block.number.startswith(activities[-1].section + "."):
        raise BuildError(f"{SEED_PATH}:{block.line}: section {block.number} outside an activity")
    return activities[-1]


def _activity(block: Block, phase: str) -> Activity:
    match = _ACTIVITY_RE.match(block.text)
    if not match:
        raise BuildError(f"{SEED_PATH}:{block.line}: section {block.number} is not 'Activity N: …'")
    activity = Activity(match.group(1), block.number, match.group(2), block.line, phase)
    if block.number != "4.2":
        # Activities 1–5 have no subsections: the activity's own section holds its questions.
        activity.sections.append(Section(block.number, match.group(2), block.line))
    return activity


# --- questions of one section -----------------------------------------------------------------


def questions_of(section: Section) -> list[Question]:
    items = [b for b in section.blocks if b.kind == "item"]
    questions = _listed_questions(section) if items else _prose_questions(section)
    if not questions:
        raise BuildError(f"{SEED_PATH}:{section.line}: section {section.number} has no questions")
    return questions


def _listed_questions(section: Section) -> list[Question]:
    """Numbered questions; a list restarting at 1 starts the section's next list."""
    blocks = section.blocks
    names = LIST_NAMES.get(section.number, ())
    questions: list[Question] = []
    list_index = -1
    for n, block in enumerate(blocks):
        if block.kind != "item":
            continue
        if block.number == "1":
            list_index += 1
        elif not questions or int(block.number) != int(questions[-1].number) + 1:
            raise BuildError(f"{SEED_PATH}:{block.line}: item {block.number} breaks the numbering")
        following = _until_next_item(blocks, n + 1)
        question = _item_question(block, following, last_of_list=_last_of_list(blocks, n))
        if names:
            if list_index >= len(names):
                raise BuildError(f"{SEED_PATH}:{block.line}: section {section.number} has an unexpected list")
            question.list_name = names[list_index]
        questions.append(question)
    if names and list_index != len(names) - 1:
        raise BuildError(
            f"{SEED_PATH}:{section.line}: section {section.number} should have {len(names)} lists"
        )
    return questions


def _until_next_item(blocks: list[Block], start: int) -> list[Block]:
    end = start
    while end < len(blocks) and blocks[end].kind != "item":
        end += 1
    return blocks[start:end]


def _last_of_list(blocks: list[Block], index: int) -> bool:
    later = [b for b in blocks[index + 1 :] if b.kind == "item"]
    return not later or later[0].number == "1"


def _item_question(item: Block, following: list[Block], *, last_of_list: bool) -> Question:
    title, rest = _split_bold(item)
    question = Question(title, "", item.line, number=item.number)
    texts = [rest]
    for block in following:
        part = _PART_RE.match(block.text) if block.kind == "bullet" else None
        if part:
            question.parts.append(_part_question(title, part, block.line))
        elif block.kind == "bullet":
            question.examples.append(block.text)
        elif not last_of_list:
            # Paragraphs between two items explain the first; after a list's last item they are
            # the section's own discussion.
            texts.append(block.text)
    question.text = " ".join(t for t in texts if t)
    examples = _EXAMPLES_RE.match(rest)
    if examples:
        question.examples = _split_examples(examples.group(1)) + question.examples
    if question.parts:
        # The stem alone is no question; its text lists the parts so it reads whole on its own.
        question.text = " ".join(f"{p.number}. {p.fragment}" for p in question.parts)
    return question


def _part_question(stem: str, part: re.Match[str], line: int) -> Question:
    # Each part finishes the stem ("Which technical means can be provided" + "by a related device?").
    return Question(
        f"{stem} {part.group(2)}", part.group(3), line, number=part.group(1), fragment=part.group(2)
    )


def _split_bold(block: Block) -> tuple[str, str]:
    match = _BOLD_QUESTION_RE.match(block.text)
    if not match:
        raise BuildError(f"{SEED_PATH}:{block.line}: item {block.number} does not start with a bold question")
    return match.group(1), block.text[match.end() :].strip()


def _split_examples(inner: str) -> list[str]:
    """Split a "(e.g., …)" list: on semicolons where the seed uses them, else on commas."""
    separator = ";" if ";" in inner else ","
    return [piece.strip() for piece in inner.split(separator) if piece.strip()]


def _prose_questions(section: Section) -> list[Question]:
    """Bold questions asked in running text (section 3.3); the bullets after each are its examples."""
    questions: list[Question] = []
    for block in section.blocks:
        match = _BOLD_QUESTION_RE.search(block.text) if block.kind == "para" else None
        if match and match.group(1).endswith("?"):
            rest = block.text[match.end() :].strip()
            questions.append(Question(match.group(1), rest, block.line_at(match.start())))
        elif questions and block.kind == "bullet":
            _add_bullet(questions[-1], block.text)
        elif questions and block.kind == "para":
            questions[-1].text = f"{questions[-1].text} {block.text}".strip()
    return questions


def _add_bullet(question: Question, text: str) -> None:
    # "which one or more of the following is a suitable means" asks the reader to choose among the
    # bullets, so they are options, not examples.
    if "of the following" in question.title:
        question.options.append(text)
    else:
        question.examples.append(text)


# --- records ----------------------------------------------------------------------------------


def _add_activity(doc: CatalogDoc, activity: Activity, footnotes: dict[str, str]) -> None:
    intro = next((b.text for b in activity.intro if b.kind == "para"), "")
    if not intro and activity.sections:
        intro = next((b.text for b in activity.sections[0].blocks if b.kind == "para"), "")
    doc.add(
        activity.key,
        "activity",
        source="nistir-8259",
        path=SEED_PATH,
        line=activity.line,
        title=activity.title,
        text=_plain(intro),
        props={"section": activity.section, "number": activity.number, "phase": activity.phase},
    )
    for section in activity.sections:
        _add_section(doc, activity, section, footnotes)


def _add_section(doc: CatalogDoc, activity: Activity, section: Section, footnotes: dict[str, str]) -> None:
    section_id = f"S{section.number}"
    # A section of its own (4.2.x) gets its opening paragraph; 3.1–4.1 share the activity's.
    intro = (
        ""
        if section.number == activity.section
        else next((b.text for b in section.blocks if b.kind == "para"), "")
    )
    doc.add(
        section_id,
        "section",
        source="nistir-8259",
        path=SEED_PATH,
        line=section.line,
        title=section.title,
        text=_plain(intro),
        parent=activity.key,
        props={"activity": activity.key, "section": section.number},
    )
    for index, question in enumerate(questions_of(section), start=1):
        question_id = f"Q{section.number}-{index}"
        where = {"activity": activity.key, "section": section.number}
        _add_question(doc, question_id, question, parent=section_id, where=where, footnotes=footnotes)
        for part in question.parts:
            part_id = f"{question_id}.{part.number}"
            _add_question(doc, part_id, part, parent=question_id, where=where, footnotes=footnotes)


def _add_question(
    doc: CatalogDoc,
    record_id: str,
    question: Question,
    *,
    parent: str,
    where: dict[str, str],
    footnotes: dict[str, str],
) -> None:
    props: dict[str, str | list[str]] = dict(where)
    if question.number:
        props["number"] = question.number
    if question.list_name:
        props["list"] = question.list_name
    for key, values in (
        ("examples", question.examples),
        ("options", question.options),
        ("parts", [p.title for p in question.parts]),
        ("footnotes", _cited(question, footnotes)),
    ):
        if values:
            props[key] = [_plain(v) for v in values]
    doc.add(
        record_id,
        "sub-question" if parent.startswith("Q") else "question",
        source="nistir-8259",
        path=SEED_PATH,
        line=question.line,
        title=_plain(question.title),
        text=_plain(question.text),
        parent=parent,
        props=props,
    )


def _cited(question: Question, footnotes: dict[str, str]) -> list[str]:
    marks = _FOOTNOTE_MARK_RE.findall(f"{question.title} {question.text}")
    missing = [m for m in marks if m not in footnotes]
    if missing:
        raise BuildError(f"{SEED_PATH}:{question.line}: footnote {missing[0]} cited but not found")
    return [footnotes[m] for m in marks]


def _plain(text: str) -> str:
    """Drop footnote marks and markdown emphasis; the publication's words stay as they are."""
    return clean_text(_FOOTNOTE_MARK_RE.sub("", text).replace("*", ""))
